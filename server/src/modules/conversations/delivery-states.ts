// Message delivery states only ever move forward: a late or retried callback that carries an
// earlier status is recorded as seen and changes nothing. The names are Twilio's (the SMS
// adapter's); a new channel maps its provider's states onto these.

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

export function messageStatusAdvances(current: string | null | undefined, next: string): boolean {
  const to = MESSAGE_RANK[next];
  if (to === undefined) return false;
  if (!current) return true;
  return to > (MESSAGE_RANK[current] ?? -1);
}
