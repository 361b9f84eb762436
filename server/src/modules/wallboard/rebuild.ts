// The reconciliation's pure half: turns database rows back into the events the live figures are
// made of, and folds them with the same reducer. Live figures and figures recomputed here agree
// exactly when the events that reached the wallboard were the events the database recorded.
import { localTime, startOfLocalDay } from '../../clock.js';
import { emptyState, reduce, rollover, type LiveEvent, type LiveState, type OperatorState, type Settings } from './figures.js';
import type { CallRow, ConversationRow, DeadlineRow, DispatchRow, HistoryRow, OfferRow, RiskContactRow, StateRow } from './wallboard.repository.js';

export interface Rows {
  calls: CallRow[];
  offers: OfferRow[];
  states: StateRow[];
  history: HistoryRow[];
  conversations: ConversationRow[];
  contacts: RiskContactRow[];
  dispatches: DispatchRow[];
  deadlines: DeadlineRow[];
}

const ORDER: Record<LiveEvent['type'], number> = {
  'call.queued': 0,
  'call.answered': 1,
  'call.abandoned': 2,
  'call.ended': 3,
  'operator.state': 4,
  'sms.received': 5,
  'conversation.assigned': 6,
  'sms.replied': 7,
  'conversation.closed': 8,
  'contact.alert': 9,
  'dispatch.status': 9,
  'case.deadline': 9,
};

const STATES = new Set<OperatorState>(['available', 'on_call', 'wrap_up', 'away', 'offline']);
const asState = (s: string): OperatorState => (STATES.has(s as OperatorState) ? (s as OperatorState) : 'offline');

/** The start of the centre day containing `now`: rows before it only matter if still open. */
export const dayStart = (now: number, timezone: string) => startOfLocalDay(localTime(now, timezone).day, timezone);

export function eventsFromRows(rows: Rows): LiveEvent[] {
  const events: LiveEvent[] = [];
  const offersByCall = new Map<string, OfferRow[]>();
  for (const o of rows.offers) offersByCall.set(o.callId, [...(offersByCall.get(o.callId) ?? []), o]);

  for (const c of rows.calls) {
    const queuedAt = c.queuedAt.getTime();
    events.push({ type: 'call.queued', callId: c.id, at: queuedAt });
    if (c.answeredAt) {
      const answeredAt = c.answeredAt.getTime();
      const accepted = offersByCall.get(c.id) ?? [];
      const first = accepted[0]?.operatorId ?? c.operatorId;
      if (first) events.push({ type: 'call.answered', callId: c.id, operatorId: first, at: answeredAt, queuedAt });
      for (const o of accepted.slice(1))
        events.push({ type: 'call.answered', callId: c.id, operatorId: o.operatorId, at: Math.max(answeredAt, o.decidedAt.getTime()), queuedAt });
      if (c.endedAt) events.push({ type: 'call.ended', callId: c.id, at: c.endedAt.getTime() });
    } else if (c.endedAt) {
      events.push({ type: 'call.abandoned', callId: c.id, at: c.endedAt.getTime(), queuedAt });
    }
  }
  for (const h of rows.history)
    events.push({ type: 'operator.state', operatorId: h.userId, state: asState(h.state), at: h.startedAt.getTime(), reason: h.reason });
  for (const s of rows.states) events.push({ type: 'operator.state', operatorId: s.userId, state: asState(s.state), at: s.since.getTime(), reason: s.reason });
  for (const c of rows.conversations) {
    if (c.firstInbound) events.push({ type: 'sms.received', conversationId: c.id, at: c.firstInbound.getTime() });
    if (c.operatorId) events.push({ type: 'conversation.assigned', conversationId: c.id, operatorId: c.operatorId, at: c.openedAt.getTime() });
    if (c.firstOutbound) events.push({ type: 'sms.replied', conversationId: c.id, at: c.firstOutbound.getTime() });
  }
  return events.sort((a, b) => a.at - b.at || ORDER[a.type] - ORDER[b.type]);
}

function alertEvents(rows: Rows, now: number, timezone: string): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const c of rows.contacts)
    events.push({
      type: 'contact.alert',
      contactId: c.id,
      risk: c.riskLevel,
      open: true,
      raisedAt: c.raisedAt.getTime(),
      ackedAt: c.alertAckedAt?.getTime() ?? null,
      at: now,
    });
  for (const d of rows.dispatches) {
    const status = d.state === 'requested' ? 'waiting' : d.state === 'offered' ? 'offered' : 'accepted';
    const due = status === 'accepted' ? d.deliveryDeadline : d.ackDeadline;
    events.push({ type: 'dispatch.status', dispatchId: d.id, status, dueAt: due?.getTime() ?? null, at: now });
  }
  for (const d of rows.deadlines)
    events.push({ type: 'case.deadline', deadlineId: d.id, caseId: d.caseId, dueAt: deadlinePassesAt(d.dueDate, timezone), done: false, at: now });
  return events;
}

/** A deadline due on a calendar day is overdue from the start of the next centre day. */
export function deadlinePassesAt(dueDate: Date, timezone: string) {
  const next = new Date(dueDate.getTime());
  next.setUTCDate(next.getUTCDate() + 1);
  return startOfLocalDay(next.toISOString().slice(0, 10), timezone);
}

/** The live state as the database says it is at `now`. `history` keeps the earlier days' hourly
 * counts already known (the database query covers only today). */
export function rebuild(rows: Rows, now: number, settings: Settings, history: LiveState['history'] = {}): LiveState {
  const events = eventsFromRows(rows);
  const firstDay = events.length ? localTime(events[0]!.at, settings.timezone).day : localTime(now, settings.timezone).day;
  let state = emptyState(firstDay);
  for (const e of events) state = reduce(state, e, settings);
  for (const e of alertEvents(rows, now, settings.timezone)) state = reduce(state, e, settings);
  state = rollover(state, localTime(now, settings.timezone).day);
  state.recent = Object.fromEntries(Object.entries(state.recent).filter(([m]) => Number(m) >= Math.floor(now / 60_000) - 60));
  return { ...state, history: { ...state.history, ...history } };
}
