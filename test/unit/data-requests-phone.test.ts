// The forms a number searched for is hashed in: a record may hold it as Twilio sent it (E.164) or
// as an operator typed a call-back number (national), and the keyed hash is of the text.
import { describe, expect, it } from 'vitest';
import { phoneForms } from '../../server/src/modules/data-requests/data-requests.service.js';

describe('phone forms of a data request', () => {
  it('gives every Russian form of one number, however it is typed', () => {
    const all = ['+79001234567', '89001234567', '79001234567'];
    for (const typed of ['+7 (900) 123-45-67', '8 900 123 45 67', '7.900.123.45.67', '900 123-45-67']) {
      expect(new Set(phoneForms(typed)), typed).toEqual(new Set(typed.startsWith('900') ? ['9001234567', ...all] : all));
    }
  });

  it('keeps another country’s number as given, with and without the plus', () => {
    expect(new Set(phoneForms('+44 20 7946 0958'))).toEqual(new Set(['+442079460958']));
    expect(new Set(phoneForms('442079460958'))).toEqual(new Set(['442079460958', '+442079460958']));
  });
});
