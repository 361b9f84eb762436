// The centre's wall clock: which day, hour and weekday an instant falls on in the centre's time
// zone. "Today" on the wallboard and in reports is the centre's day, not the server's.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  /** YYYY-MM-DD in the centre's zone. */
  day: string;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(atMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(atMs))) parts[p.type] = p.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday!),
  };
}

/** The instant the given local day starts (handles DST by probing the offset). */
export function startOfLocalDay(day: string, timeZone: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  // Offset at the guess; applying it twice settles days where the offset changes.
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const lt = localTime(t, timeZone);
    const shownAsUtc = Date.parse(`${lt.day}T${String(lt.hour).padStart(2, '0')}:${String(lt.minute).padStart(2, '0')}:00Z`);
    t = guess - (shownAsUtc - t);
  }
  return t;
}

/** The same local day one week earlier. */
export function sameWeekdayLastWeek(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 7);
  return d.toISOString().slice(0, 10);
}
