// Is a service open at a moment, in the centre's time zone? Reads HSDS schedule rows: weekly
// rows (freq WEEKLY, byday, opens_at/closes_at; 00:00-24:00 every day is 24/7) and date rows
// (valid_from = valid_to = the date, no freq): a holiday, closed unless it has its own hours.
// A date row overrides the weekly rows of that day. Pure: unit-tested.

export interface ScheduleLike {
  freq: string | null;
  byday: string | null;
  opensAt: string | null;
  closesAt: string | null;
  validFrom: Date | null;
  validTo: Date | null;
}

export type Openness = 'open' | 'closed' | 'unknown';
const DAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** Local calendar date, weekday and seconds since midnight in `timeZone`. */
export function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = DAY[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
  const seconds = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  return { date, weekday, seconds };
}

const secs = (t: string) => {
  const [h, m, s] = t.split(':').map(Number);
  return h! * 3600 + m! * 60 + (s ?? 0);
};
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const within = (s: ScheduleLike, date: string) => (!s.validFrom || day(s.validFrom)! <= date) && (!s.validTo || day(s.validTo)! >= date);
const isDateRow = (s: ScheduleLike) => !s.freq && !!s.validFrom && !!s.validTo && day(s.validFrom) === day(s.validTo);

function openInRow(s: ScheduleLike, seconds: number): boolean {
  if (!s.opensAt || !s.closesAt) return false;
  const o = secs(s.opensAt);
  const c = secs(s.closesAt);
  if (c === o) return true; // 00:00-00:00 written for all day
  return c > o ? seconds >= o && seconds < c : seconds >= o; // overnight rows: the evening part
}

export function opennessAt(schedules: readonly ScheduleLike[], at: Date, timeZone: string): Openness {
  if (!schedules.length) return 'unknown';
  const { date, weekday, seconds } = localParts(at, timeZone);
  const dated = schedules.filter((s) => isDateRow(s) && day(s.validFrom) === date);
  if (dated.length) return dated.some((s) => openInRow(s, seconds)) ? 'open' : 'closed';
  const weekly = schedules.filter((s) => !isDateRow(s) && within(s, date));
  if (!weekly.length) return schedules.some((s) => !isDateRow(s)) ? 'closed' : 'unknown';
  for (const s of weekly) {
    const days = (s.byday ?? 'MO,TU,WE,TH,FR,SA,SU').split(',').map((d) => d.trim().replace(/^[+-]?\d+/, ''));
    if (days.includes(weekday) && openInRow(s, seconds)) return 'open';
    // The morning part of an overnight row that started yesterday.
    const yesterday = DAY[(DAY.indexOf(weekday) + 6) % 7]!;
    if (s.opensAt && s.closesAt && secs(s.closesAt) < secs(s.opensAt) && days.includes(yesterday) && seconds < secs(s.closesAt)) return 'open';
  }
  return 'closed';
}
