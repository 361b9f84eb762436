// Twilio's call and message statuses only ever move forward: a late or retried callback that
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

const MESSAGE_RANK: Record<string, number> = {
  pending: 0, // ours: created, not yet handed to Twilio
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  receiving: 4,
  received: 5,
  delivered: 6,
  undelivered: 6,
  failed: 6,
  canceled: 6,
  partially_delivered: 6,
  read: 7,
};

const TERMINAL_CALL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** True when `next` is a later status than `current` (unknown statuses never win). */
export function callStatusAdvances(current: string | null | undefined, next: string): boolean {
  const to = CALL_RANK[next];
  if (to === undefined) return false;
  if (!current) return true;
  return to > (CALL_RANK[current] ?? -1);
}

export function messageStatusAdvances(current: string | null | undefined, next: string): boolean {
  const to = MESSAGE_RANK[next];
  if (to === undefined) return false;
  if (!current) return true;
  return to > (MESSAGE_RANK[current] ?? -1);
}

export const isTerminalCallStatus = (s: string) => TERMINAL_CALL.has(s);
