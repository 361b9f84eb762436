// Twilio's call statuses only ever move forward (message statuses: conversations/delivery-states.ts): a late or retried callback that
// carries an earlier status is recorded as seen and changes nothing.

const CALL_RANK: Record<string, number> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  'no-answer': 4,
  failed: 4,
  canceled: 4,
};

const TERMINAL_CALL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** True when `next` is a later status than `current` (unknown statuses never win). */
export function callStatusAdvances(current: string | null | undefined, next: string): boolean {
  const to = CALL_RANK[next];
  if (to === undefined) return false;
  if (!current) return true;
  return to > (CALL_RANK[current] ?? -1);
}

export const isTerminalCallStatus = (s: string) => TERMINAL_CALL.has(s);
