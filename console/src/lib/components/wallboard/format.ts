// Small formatters for the wallboard's figures.
export const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** 75 → "1:15", 3700 → "1:01:40". */
export function clock(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
