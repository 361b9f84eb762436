import { describe, expect, it } from 'vitest';
import { parseProviderReply } from '../../server/src/modules/dispatch/sms-replies.js';

describe('provider SMS replies', () => {
  it.each([
    ['ДА 123', 'accept', '123'],
    ['да 123', 'accept', '123'],
    ['  Да   4567  ', 'accept', '4567'],
    ['YES 123', 'accept', '123'],
    ['yes123', 'accept', '123'],
    ['Yes, 123!', 'accept', '123'],
    ['НЕТ 123', 'decline', '123'],
    ['нет 123', 'decline', '123'],
    ['no 123', 'decline', '123'],
    ['No #123', 'decline', '123'],
    ['ГОТОВО 123', 'delivered', '123'],
    ['готово   123', 'delivered', '123'],
    ['Done 123', 'delivered', '123'],
    ['DONE\t123\n', 'delivered', '123'],
    // Latin look-alikes typed into a Russian word, and the other way round.
    ['HET 123', 'decline', '123'],
    ['ДA 123', 'accept', '123'],
    ['NО 321', 'decline', '321'],
    ['ГOТOВO 555', 'delivered', '555'],
    ['«Да» 777', 'accept', '777'],
  ])('reads %j', (body, answer, code) => {
    expect(parseProviderReply(body)).toEqual({ answer, code });
  });

  it.each([['ДА'], ['123'], ['МОЖЕТ 123'], ['ДА 12'], ['ДА 1234567'], ['ДА 123 и ещё 456'], ['STOP'], ['привет, нужна помощь'], ['']])(
    'does not read %j as an answer',
    (body) => {
      expect(parseProviderReply(body)).toBeNull();
    },
  );
});
