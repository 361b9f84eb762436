import { describe, expect, it } from 'vitest';
import { keywordOf, segmentInfo } from '../../server/src/modules/conversations/sms/sms-text.js';
import { messageStatusAdvances } from '../../server/src/modules/conversations/delivery-states.js';
import { callStatusAdvances } from '../../server/src/modules/telephony/status-rank.js';

describe('SMS segment count', () => {
  it.each([
    ['plain latin fits one GSM-7 segment', 'a'.repeat(160), 'GSM-7', 1],
    ['161 latin characters take two 153-septet segments', 'a'.repeat(161), 'GSM-7', 2],
    ['GSM extension characters count twice', '€'.repeat(80), 'GSM-7', 1],
    ['one Cyrillic letter switches to UCS-2 (70 per segment)', 'П'.repeat(70), 'UCS-2', 1],
    ['71 Cyrillic letters take two 67-unit segments', 'П'.repeat(71), 'UCS-2', 2],
    ['134 Cyrillic letters still fit two segments', 'П'.repeat(134), 'UCS-2', 2],
    ['an emoji takes two UTF-16 units', '😢'.repeat(35), 'UCS-2', 1],
    ['36 emoji overflow into a second segment', '😢'.repeat(36), 'UCS-2', 2],
    ['an empty body is one segment', '', 'GSM-7', 1],
  ])('%s', (_name, body, encoding, segments) => {
    const info = segmentInfo(body);
    expect(info.encoding).toBe(encoding);
    expect(info.segments).toBe(segments);
  });
});

describe('opt-out and opt-in keywords (Twilio defaults)', () => {
  it.each([
    ['STOP', 'opt-out'],
    ['stop', 'opt-out'],
    [' Stop. ', 'opt-out'],
    ['STOPALL', 'opt-out'],
    ['UNSUBSCRIBE', 'opt-out'],
    ['CANCEL', 'opt-out'],
    ['END', 'opt-out'],
    ['QUIT', 'opt-out'],
    ['REVOKE', 'opt-out'],
    ['OPTOUT', 'opt-out'],
    ['стоп', 'opt-out'],
    ['START', 'opt-in'],
    ['UNSTOP', 'opt-in'],
    ['yes', 'opt-in'],
  ])('%s is %s', (body, kind) => {
    expect(keywordOf(body)?.kind).toBe(kind);
  });
  it.each(['please stop calling me', 'ДА 123', 'Помогите', 'STOP IT'])('"%s" is not a keyword', (body) => {
    expect(keywordOf(body)).toBeNull();
  });
});

describe('statuses only move forward', () => {
  it.each([
    [null, 'ringing', true],
    ['ringing', 'in-progress', true],
    ['in-progress', 'ringing', false],
    ['completed', 'in-progress', false],
    ['completed', 'busy', false],
    ['ringing', 'something-new', false],
  ])('call %s -> %s: %s', (from, to, ok) => expect(callStatusAdvances(from, to as string)).toBe(ok));
  it.each([
    ['pending', 'queued', true],
    ['queued', 'sent', true],
    ['delivered', 'sent', false],
    ['sent', 'delivered', true],
    ['failed', 'delivered', false],
    ['delivered', 'read', true],
    ['undelivered', 'queued', false],
  ])('message %s -> %s: %s', (from, to, ok) => expect(messageStatusAdvances(from, to)).toBe(ok));
});
