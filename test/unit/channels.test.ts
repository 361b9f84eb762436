// The contact's channel is text checked against CHANNELS (shared/src/contacts.ts): every listed
// channel has labels in both languages for reports, and a code not labelled yet (a channel added
// to the data before its labels) still counts under its own code.
import { describe, expect, it } from 'vitest';
import { Channel, CHANNEL_LABELS, CHANNELS, channelLabels, ReportQuery } from '@trustline/shared';

describe('channels', () => {
  it('labels every listed channel in Russian and English, and keeps the stored codes', () => {
    expect(CHANNELS).toEqual(['voice', 'sms', 'walk-in', 'referral']);
    for (const c of CHANNELS) {
      expect(CHANNEL_LABELS[c].ru).toBeTruthy();
      expect(CHANNEL_LABELS[c].en).toBeTruthy();
    }
    expect(channelLabels('walk-in')).toEqual({ key: 'walk-in', labelRu: 'Личный визит', labelEn: 'Walk-in' });
  });

  it('shows an unlabelled code as itself', () => {
    expect(channelLabels('telegram')).toEqual({ key: 'telegram', labelRu: 'telegram', labelEn: 'telegram' });
  });

  it('checks a contact’s channel and the reports’ filter against the one list', () => {
    expect(Channel.safeParse('walk_in').success).toBe(false);
    expect(ReportQuery.safeParse({ from: '2026-03-01', to: '2026-03-31', channel: 'referral' }).success).toBe(true);
    expect(ReportQuery.safeParse({ from: '2026-03-01', to: '2026-03-31', channel: 'fax' }).success).toBe(false);
  });
});
