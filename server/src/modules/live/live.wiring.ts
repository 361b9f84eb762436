// Feeds the live figures from the other features' domain events, after their commit. Each
// adapter turns a feature's payload into the wallboard's own event (figures.ts), so that a change
// in another feature's payload touches only this file. A listener's failure is logged by
// DomainEvents and never undoes the producer's change; the reconciliation repairs the figures.
import type { Services } from '../../services.js';
import type { LiveEvent, OperatorState } from './figures.js';

type Payload = Record<string, unknown>;

const ms = (...values: unknown[]): number => {
  for (const v of values) {
    if (v instanceof Date) return v.getTime();
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return Date.now();
};
const optMs = (v: unknown) => (v === undefined || v === null ? undefined : ms(v));
const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** Domain event name → the wallboard events it means (none when the payload does not fit). */
export const adapters: Record<string, (p: Payload) => LiveEvent[]> = {
  'call.queued': (p) => (str(p.callId) ? [{ type: 'call.queued', callId: str(p.callId)!, at: ms(p.queuedAt, p.at) }] : []),
  'call.answered': (p) =>
    str(p.callId) && str(p.operatorId)
      ? [{ type: 'call.answered', callId: str(p.callId)!, operatorId: str(p.operatorId)!, at: ms(p.answeredAt, p.at), queuedAt: optMs(p.queuedAt) }]
      : [],
  'call.transferred': (p) =>
    str(p.callId) && str(p.operatorId ?? p.targetId)
      ? [{ type: 'call.answered', callId: str(p.callId)!, operatorId: str(p.operatorId ?? p.targetId)!, at: ms(p.at) }]
      : [],
  'call.abandoned': (p) => (str(p.callId) ? [{ type: 'call.abandoned', callId: str(p.callId)!, at: ms(p.endedAt, p.at), queuedAt: optMs(p.queuedAt) }] : []),
  'call.ended': (p) => (str(p.callId) ? [{ type: 'call.ended', callId: str(p.callId)!, at: ms(p.endedAt, p.at) }] : []),
  'operator.state-changed': (p) => {
    const operatorId = str(p.userId ?? p.operatorId);
    const state = str(p.state) as OperatorState | null;
    return operatorId && state ? [{ type: 'operator.state', operatorId, state, at: ms(p.since, p.at), reason: str(p.reason) }] : [];
  },
  'sms.received': (p) => (str(p.conversationId) ? [{ type: 'sms.received', conversationId: str(p.conversationId)!, at: ms(p.receivedAt, p.at, p.createdAt) }] : []),
  'sms.sent': (p) => (str(p.conversationId) ? [{ type: 'sms.replied', conversationId: str(p.conversationId)!, at: ms(p.sentAt, p.at, p.createdAt) }] : []),
  'conversation.replied': (p) => (str(p.conversationId) ? [{ type: 'sms.replied', conversationId: str(p.conversationId)!, at: ms(p.at) }] : []),
  'conversation.assigned': (p) =>
    str(p.conversationId) && str(p.operatorId)
      ? [{ type: 'conversation.assigned', conversationId: str(p.conversationId)!, operatorId: str(p.operatorId)!, at: ms(p.at) }]
      : [],
  'conversation.closed': (p) => (str(p.conversationId) ? [{ type: 'conversation.closed', conversationId: str(p.conversationId)!, at: ms(p.closedAt, p.at) }] : []),
};

export function wireLive(services: Services) {
  const { events, live } = services;
  for (const [name, adapt] of Object.entries(adapters)) {
    // The producing feature declares the payload type; this side reads it defensively.
    events.after(name as never, async (payload: unknown) => {
      for (const e of adapt((payload ?? {}) as Payload)) await live.apply(e);
    });
  }
}
