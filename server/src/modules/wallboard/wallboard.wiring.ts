// Feeds the live figures from the other features' domain events, after their commit. Each
// adapter turns a feature's payload into the wallboard's own events (figures.ts), so that a change
// in another feature's payload touches only this file. Where a payload carries no time, the
// adapter reads the one row the event is about (by primary key) for its recorded times, so that
// live figures and the reconciliation count the very same instants. A listener's failure is
// logged by DomainEvents and never undoes the producer's change; the reconciliation repairs it.
import type { Services } from '../../kernel.js';
import type { LiveEvent, OperatorState } from './figures.js';
import type { WallboardRepository } from './wallboard.repository.js';
import { deadlinePassesAt } from './rebuild.js';

type Payload = Record<string, unknown>;
type Adapter = (p: Payload, repo: WallboardRepository, timezone: string) => Promise<LiveEvent[]> | LiveEvent[];

const ms = (...values: unknown[]): number => {
  for (const v of values) {
    if (v instanceof Date) return v.getTime();
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return Date.now();
};
const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

async function contactAlert(p: Payload, repo: WallboardRepository): Promise<LiveEvent[]> {
  const contactId = str(p.contactId);
  if (!contactId) return [];
  const c = await repo.contactAlert(contactId);
  if (!c) return [];
  const risk = c.riskLevel as 'R0' | 'R1' | 'R2' | 'R3' | 'R4';
  return [
    {
      type: 'contact.alert',
      contactId,
      risk,
      open: c.status !== 'finalised',
      raisedAt: c.raisedAt.getTime(),
      ackedAt: c.alertAckedAt?.getTime() ?? null,
      at: Date.now(),
    },
  ];
}

/** Domain event name → the wallboard events it means (none when the payload does not fit). */
export const adapters: Record<string, Adapter> = {
  // Telephony, operators and conversations (their modules' *.events.ts).
  'call.queued': (p) => (str(p.callId) ? [{ type: 'call.queued', callId: str(p.callId)!, at: ms(p.queuedAt) }] : []),
  'call.answered': (p) => {
    const callId = str(p.callId);
    const operatorId = str(p.operatorId);
    if (!callId || !operatorId) return [];
    const at = ms(p.answeredAt);
    return [{ type: 'call.answered', callId, operatorId, at, queuedAt: typeof p.waitMs === 'number' ? at - p.waitMs : undefined }];
  },
  'call.transferred': (p) => {
    const callId = str(p.callId);
    const operatorId = str(p.toOperatorId);
    return callId && operatorId ? [{ type: 'call.answered', callId, operatorId, at: Date.now() }] : [];
  },
  'call.abandoned': async (p, repo) => {
    const c = str(p.callId) ? await repo.callTimes(str(p.callId)!) : null;
    return c ? [{ type: 'call.abandoned', callId: c.id, at: ms(c.endedAt), queuedAt: c.queuedAt?.getTime() }] : [];
  },
  'call.ended': async (p, repo) => {
    const c = str(p.callId) ? await repo.callTimes(str(p.callId)!) : null;
    if (!c) return [];
    // An unanswered call's end is its abandonment (telephony sends both; the reducer counts once).
    return c.answeredAt
      ? [{ type: 'call.ended', callId: c.id, at: ms(c.endedAt) }]
      : c.queuedAt
        ? [{ type: 'call.abandoned', callId: c.id, at: ms(c.endedAt), queuedAt: c.queuedAt.getTime() }]
        : [];
  },
  'operator.state-changed': (p) => {
    const operatorId = str(p.userId);
    const state = str(p.state) as OperatorState | null;
    return operatorId && state ? [{ type: 'operator.state', operatorId, state, at: ms(p.since), reason: str(p.reason) }] : [];
  },
  'sms.received': async (p, repo) => {
    const m = str(p.messageId) && str(p.conversationId) ? await repo.message(str(p.messageId)!) : null;
    return m?.conversationId ? [{ type: 'sms.received', conversationId: m.conversationId, at: m.createdAt.getTime() }] : [];
  },
  'sms.status-changed': async (p, repo) => {
    const m = str(p.messageId) ? await repo.message(str(p.messageId)!) : null;
    return m?.conversationId && m.direction === 'outbound' ? [{ type: 'sms.replied', conversationId: m.conversationId, at: m.createdAt.getTime() }] : [];
  },
  'conversation.assigned': (p) =>
    str(p.conversationId) && str(p.operatorId)
      ? [{ type: 'conversation.assigned', conversationId: str(p.conversationId)!, operatorId: str(p.operatorId)!, at: Date.now() }]
      : [],
  'conversation.closed': (p) => (str(p.conversationId) ? [{ type: 'conversation.closed', conversationId: str(p.conversationId)!, at: Date.now() }] : []),

  // Contacts: R3/R4 alerts and their acknowledgement (the row says what is open now).
  'contact.risk-changed': contactAlert,
  'contact.alert-raised': contactAlert,
  'contact.alert-acknowledged': contactAlert,
  'contact.finalised': contactAlert,
  'contact.reopened': contactAlert,

  // Dispatch: every step; the row says whether it still waits, is offered or is under way.
  'dispatch.step': async (p, repo) => {
    const d = str(p.dispatchId) ? await repo.dispatch(str(p.dispatchId)!) : null;
    if (!d) return [];
    const status =
      d.state === 'requested' ? 'waiting' : d.state === 'offered' ? 'offered' : ['accepted', 'in_progress'].includes(d.state) ? 'accepted' : 'closed';
    const due = status === 'accepted' ? d.deliveryDeadline : d.ackDeadline;
    return [{ type: 'dispatch.status', dispatchId: d.id, status, dueAt: due?.getTime() ?? null, at: Date.now() }];
  },

  // Cases: statutory deadlines that passed unmet, until met or the case closes.
  'case.deadline-overdue': (p, _repo, tz) =>
    str(p.deadlineId) && str(p.dueDate)
      ? [
          {
            type: 'case.deadline',
            deadlineId: str(p.deadlineId)!,
            caseId: str(p.caseId),
            dueAt: deadlinePassesAt(new Date(`${String(p.dueDate).slice(0, 10)}T00:00:00Z`), tz),
            done: false,
            at: Date.now(),
          },
        ]
      : [],
  'case.deadline-met': (p) =>
    str(p.deadlineId) ? [{ type: 'case.deadline', deadlineId: str(p.deadlineId)!, caseId: str(p.caseId), dueAt: 0, done: true, at: Date.now() }] : [],
  'case.stage-changed': async (p, repo) => {
    if (p.to !== 'closed' || !str(p.caseId)) return [];
    return (await repo.deadlinesOfCase(str(p.caseId)!)).map(
      (d) => ({ type: 'case.deadline', deadlineId: d.id, caseId: d.caseId, dueAt: 0, done: true, at: Date.now() }) as LiveEvent,
    );
  },
};

export function wireWallboard(services: Services) {
  const { events, wallboard: live } = services;
  const timezone = services.infra.config.timezone;
  for (const [name, adapt] of Object.entries(adapters)) {
    // The producing feature declares the payload type; this side reads it defensively.
    events.after(name as never, async (payload: unknown) => {
      for (const e of await adapt((payload ?? {}) as Payload, live.repo, timezone)) await live.apply(e);
    });
  }
}
