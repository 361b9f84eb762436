import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarOf, isWorkingDay, workingDaysBetween } from '../../shared/src/working-days.js';
import { PRODUCTION_CALENDAR } from '../../server/src/modules/cases/production-calendar.js';

const cal = calendarOf(PRODUCTION_CALENDAR);
const weekendsOnly = calendarOf([]);

describe('isWorkingDay on the 2026–2027 production calendar', () => {
  it.each([
    ['2026-01-01', false, 'New Year holiday (Thu)'],
    ['2026-01-08', false, 'New Year holiday (Thu)'],
    ['2026-01-09', false, 'day off moved from Sat 3 Jan'],
    ['2026-01-12', true, 'first working day of 2026'],
    ['2026-02-23', false, 'Defender of the Fatherland Day (Mon)'],
    ['2026-03-09', false, 'moved from Sun 8 Mar by art. 112'],
    ['2026-04-30', true, 'Thursday before May Day'],
    ['2026-05-01', false, 'May Day (Fri)'],
    ['2026-05-04', true, 'Monday after May Day'],
    ['2026-05-11', false, 'moved from Sat 9 May'],
    ['2026-05-12', true, 'Tuesday after Victory Day'],
    ['2026-06-12', false, 'Russia Day (Fri)'],
    ['2026-11-04', false, 'Unity Day (Wed)'],
    ['2026-12-30', true, 'last working day of 2026'],
    ['2026-12-31', false, 'moved from Sun 4 Jan'],
    ['2027-01-08', false, 'New Year holiday 2027'],
    ['2027-01-11', true, 'first working day of 2027 (as seeded)'],
    ['2027-05-03', false, 'moved from Sat 1 May 2027'],
    ['2027-06-14', false, 'moved from Sat 12 Jun 2027'],
    ['2026-05-16', false, 'an ordinary Saturday'],
    ['2026-05-18', true, 'an ordinary Monday'],
  ])('%s is working: %s (%s)', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it('counts 247 working days in 2026, as the official calendar does', () => {
    expect(workingDaysBetween(cal, '2025-12-31', '2026-12-31')).toBe(247);
  });

  it('a moved working Saturday counts as working', () => {
    const withSaturday = calendarOf([{ date: '2026-11-14', working: true }]);
    expect(isWorkingDay(withSaturday, '2026-11-14')).toBe(true);
    expect(addWorkingDays(withSaturday, '2026-11-13', 1)).toBe('2026-11-14');
  });
});

describe('addWorkingDays: statutory deadlines across holidays and year ends', () => {
  it.each([
    // start, n, due, why
    ['2026-05-18', 5, '2026-05-25', 'ordinary week: Mon + 5 = next Mon'],
    ['2026-04-28', 5, '2026-05-06', 'across May Day (1 May Fri off)'],
    ['2026-05-06', 5, '2026-05-14', 'across Victory Day (9 May Sat, 11 May Mon off)'],
    ['2026-04-28', 10, '2026-05-14', 'ИППСУ across both May holidays'],
    ['2026-12-28', 5, '2027-01-13', 'across the year end: 31 Dec and 1–8 Jan 2027 off'],
    ['2026-01-02', 1, '2026-01-12', 'inside the 2026 New Year break: 1–9 Jan off'],
    ['2026-12-30', 1, '2027-01-11', 'the last working day of 2026 + 1 is the first of 2027'],
    ['2026-03-05', 1, '2026-03-06', 'Thursday + 1 = Friday'],
    ['2026-03-06', 1, '2026-03-10', 'Friday + 1 skips the weekend and 9 Mar'],
    ['2026-02-20', 1, '2026-02-24', 'across 23 Feb'],
    ['2026-06-11', 10, '2026-06-26', 'across Russia Day'],
    ['2026-11-03', 5, '2026-11-11', 'across Unity Day'],
    ['2026-05-09', 5, '2026-05-18', 'an application made on a holiday counts from the next working day'],
    ['2026-05-18', 0, '2026-05-18', 'zero days is the day itself'],
    ['2026-05-12', -1, '2026-05-08', 'backwards over 9–11 May'],
  ])('%s + %i working days = %s (%s)', (start, n, due) => {
    expect(addWorkingDays(cal, start, n)).toBe(due);
    if (n > 0) expect(workingDaysBetween(cal, start, due)).toBe(n);
  });

  it('a calendar with no overrides counts weekends only', () => {
    expect(addWorkingDays(weekendsOnly, '2026-04-30', 1)).toBe('2026-05-01');
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2026-05-18', '2026-05-18', 0],
    ['2026-05-15', '2026-05-18', 1],
    ['2026-05-18', '2026-05-15', -1],
    // 1 May off, 4–8 May work (5 days), 11 May off, 12 May works: 6.
    ['2026-04-30', '2026-05-12', 6],
    ['2026-12-30', '2027-01-11', 1],
  ])('from %s to %s is %i working days', (from, to, expected) => {
    expect(workingDaysBetween(cal, from, to)).toBe(expected);
  });

  it('refuses a malformed date', () => {
    expect(() => addWorkingDays(cal, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => workingDaysBetween(cal, '26-1-1', '2026-01-02')).toThrow(RangeError);
  });
});
