import { describe, expect, it } from 'vitest';
import { localClock } from '../../server/src/modules/reports/reports.repository.js';

// What Intl says directly, for comparison.
function expected(timezone: string, ms: number) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return { hour: Number(p.hour), isoWeekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) + 1 };
}

describe('placing UTC quarter-hours in the centre’s local hour and weekday', () => {
  const cases: [string, string][] = [
    ['Europe/Moscow', '2026-12-31T20:45:00Z'], // 23:45 on Thursday, last quarter-hour of the year
    ['Europe/Moscow', '2026-12-31T21:00:00Z'], // 00:00 on Friday, 1 January
    ['Europe/Berlin', '2026-03-29T00:45:00Z'], // 01:45 CET, just before the spring change
    ['Europe/Berlin', '2026-03-29T01:00:00Z'], // 03:00 CEST, just after it
    ['Europe/Berlin', '2026-10-25T00:30:00Z'], // 02:30 CEST, the first of the repeated hour
    ['Europe/Berlin', '2026-10-25T01:30:00Z'], // 02:30 CET, the second
    ['Asia/Kolkata', '2026-06-01T18:15:00Z'], // 23:45 at +05:30
    ['Asia/Kolkata', '2026-06-01T18:30:00Z'], // 00:00 the next day
    ['Asia/Kathmandu', '2026-06-01T18:00:00Z'], // 23:45 at +05:45
    ['America/St_Johns', '2026-11-01T04:15:00Z'], // a −03:30 zone on its autumn change
  ];
  it.each(cases)('%s at %s', (tz, iso) => {
    const ms = Date.parse(iso);
    expect(localClock(tz)(ms)).toEqual(expected(tz, ms));
  });

  it('agrees with Intl for every quarter-hour of a year with two clock changes', () => {
    const clock = localClock('Europe/Berlin');
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 15 * 60_000) {
      const got = clock(ms);
      const want = expected('Europe/Berlin', ms);
      if (got.hour !== want.hour || got.isoWeekday !== want.isoWeekday) {
        throw new Error(`${new Date(ms).toISOString()}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    }
    // 35,000 Intl comparisons: seconds of CPU on a loaded machine, not a measure of speed.
  }, 60_000);
});
