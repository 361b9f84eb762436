// The domain events telephony (voice) emits (server/src/domain-events.ts); operators' and
// conversations' are in their own modules. Other features subscribe in their wiring
// (modules/<feature>/index.ts, `wiring`): `within` runs inside our transaction (contacts opens its
// draft contact there), `after` runs after the commit (wallboard figures). Payloads carry ids and
// hashes, never a phone number.
declare module '../../domain-events.js' {
  interface DomainEventMap {
    /** A call reached us and is recorded (once per CallSid). */
    'call.created': { callId: string; lineId: string | null; callerHash: string; priority: 'normal' | 'urgent'; receivedAt: Date; viaFallback: boolean };
    /** The caller passed the greeting and waits in the queue. */
    'call.queued': { callId: string; lineId: string | null; priority: 'normal' | 'urgent'; queuedAt: Date };
    /** The call rings in one operator's console. */
    'call.offered': { callId: string; operatorId: string; offerId: string; kind: string };
    /** Exactly one operator took the call. */
    'call.answered': { callId: string; operatorId: string; lineId: string | null; callerHash: string; waitMs: number; answeredAt: Date };
    /** Another operator now holds the call (warm transfer completed, or cold transfer accepted). */
    'call.transferred': { callId: string; fromOperatorId: string; toOperatorId: string; mode: 'warm' | 'cold' };
    /** The caller hung up before anyone answered. */
    'call.abandoned': { callId: string; lineId: string | null; callerHash: string; waitedMs: number };
    /** The call ended (any reason; abandoned calls emit both). */
    'call.ended': { callId: string; reason: string; durationMs: number; operatorId: string | null; answered: boolean };
    /** No operator answered in time: voicemail / call-back offered, supervisors alerted. */
    'call.unanswered': { callId: string; waitMs: number };
    'callback.created': { callbackId: string; kind: 'abandoned' | 'voicemail' | 'requested'; callId: string | null };
  }
}

export {};
