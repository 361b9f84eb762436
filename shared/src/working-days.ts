// Working days, counted on a production calendar: Saturdays and Sundays are days off unless the
// calendar says a moved working day; weekdays work unless the calendar says a holiday or a moved
// day off. Dates are ISO calendar dates ('2026-05-11'), never instants, so a time zone can never
// shift a deadline by a day. Pure functions; tested table by table in test/unit/working-days.test.ts.

export type IsoDate = string;

export interface WorkCalendar {
  /** Days that differ from the Monday–Friday rule: date → working? */
  readonly overrides: ReadonlyMap<IsoDate, boolean>;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function toUtc(date: IsoDate): number {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return t;
}
const fromUtc = (t: number): IsoDate => new Date(t).toISOString().slice(0, 10);

export const calendarOf = (days: Iterable<{ date: IsoDate; working: boolean }>): WorkCalendar => ({
  overrides: new Map([...days].map((d) => [d.date, d.working])),
});

export const addDays = (date: IsoDate, n: number): IsoDate => fromUtc(toUtc(date) + n * DAY_MS);

export function isWeekend(date: IsoDate): boolean {
  const dow = new Date(toUtc(date)).getUTCDay();
  return dow === 0 || dow === 6;
}

export function isWorkingDay(cal: WorkCalendar, date: IsoDate): boolean {
  return cal.overrides.get(date) ?? !isWeekend(date);
}

/** The date `n` working days after `start` (the start day itself is not counted, as a period
 * runs from the day after the event). n = 0 gives `start`; negative n counts backwards. */
export function addWorkingDays(cal: WorkCalendar, start: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError('n must be a whole number');
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let t = toUtc(start);
  while (left > 0) {
    t += step * DAY_MS;
    if (isWorkingDay(cal, fromUtc(t))) left -= 1;
  }
  return fromUtc(t);
}

/** Working days in (from, to]: how many working days pass from `from` to reach `to`.
 * Negative when `to` is before `from`. workingDaysBetween(a, addWorkingDays(a, n)) === n. */
export function workingDaysBetween(cal: WorkCalendar, from: IsoDate, to: IsoDate): number {
  const a = toUtc(from);
  const b = toUtc(to);
  if (a === b) return 0;
  const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let t = lo + DAY_MS; t <= hi; t += DAY_MS) if (isWorkingDay(cal, fromUtc(t))) count += 1;
  return sign * count;
}

/** Today's calendar date in a time zone (the centre's), for "is it overdue". */
export function isoDateIn(timeZone: string, at: Date = new Date()): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant a calendar day starts in a time zone (DST-safe to the minute for whole-hour zones). */
export function startOfDayIn(timeZone: string, date: IsoDate): Date {
  const utcMidnight = toUtc(date);
  // Offset of the zone at that moment: format the UTC instant in the zone and compare.
  const probe = new Date(utcMidnight);
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(probe).map((x) => [x.type, x.value]));
  const asZone = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  const offset = asZone - utcMidnight;
  return new Date(utcMidnight - offset);
}
