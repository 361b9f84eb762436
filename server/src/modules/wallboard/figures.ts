// The wallboard's live figures as pure functions: `reduce(state, event)` applies one event and
// `view(state, now)` derives what the wallboard shows. No I/O here: wallboard.store.ts applies
// `reduce` to the state kept in Redis atomically, and the reconciliation feeds the same reducer
// the events rebuilt from the database, so both paths count by the same rules.
//
// Definitions (docs/wallboard.md):
// - a call counts on the centre's day on which its wait ended (answered or abandoned);
//   calls per hour count calls offered (queued) by the hour they joined the queue;
// - service level = answered within the threshold / (answered + abandoned after the threshold):
//   a caller who hangs up before the threshold is not counted against the line;
// - abandon rate = abandoned / (answered + abandoned);
// - handle time = talk time (answer → end) plus the wrap-up that follows, per handled call.
import { localTime } from '../../clock.js';

export type OperatorState = 'available' | 'on_call' | 'wrap_up' | 'away' | 'offline';

export type LiveEvent =
  | { type: 'call.queued'; callId: string; at: number }
  | { type: 'call.answered'; callId: string; operatorId: string; at: number; queuedAt?: number }
  | { type: 'call.abandoned'; callId: string; at: number; queuedAt?: number }
  | { type: 'call.ended'; callId: string; at: number }
  | { type: 'operator.state'; operatorId: string; state: OperatorState; at: number; reason?: string | null }
  | { type: 'sms.received'; conversationId: string; at: number }
  | { type: 'sms.replied'; conversationId: string; at: number }
  | { type: 'conversation.assigned'; conversationId: string; operatorId: string; at: number }
  | { type: 'conversation.closed'; conversationId: string; at: number }
  | { type: 'contact.alert'; contactId: string; risk: 'R0' | 'R1' | 'R2' | 'R3' | 'R4'; open: boolean; raisedAt: number; ackedAt: number | null; at: number }
  | { type: 'dispatch.status'; dispatchId: string; status: 'waiting' | 'offered' | 'accepted' | 'closed'; dueAt: number | null; at: number }
  | { type: 'case.deadline'; deadlineId: string; caseId: string | null; dueAt: number; done: boolean; at: number };

export interface Settings {
  timezone: string;
  serviceLevelMs: number;
}

export interface OperatorFigures {
  state: OperatorState;
  since: number;
  reason: string | null;
  callId: string | null;
  conversationId: string | null;
  contactsToday: number;
}

/** [answered within threshold, answered + abandoned after threshold] */
export type SlPair = [number, number];

export interface DayTotals {
  offered: number;
  answered: number;
  answeredInTime: number;
  abandoned: number;
  abandonedInTime: number;
  waitSumMs: number;
  handled: number;
  handleSumMs: number;
  /** Calls queued per local hour. */
  offeredByHour: number[];
  /** Service level pairs per local hour (by the hour the wait ended). */
  slByHour: SlPair[];
}

export interface LiveState {
  day: string;
  /** Calls waiting: callId → queuedAt. */
  waiting: Record<string, number>;
  /** Calls in progress: callId → operator and answer time. */
  active: Record<string, { operatorId: string; answeredAt: number }>;
  /** Calls whose wait ended today (answered or abandoned): repeated events are ignored. */
  done: Record<string, 1>;
  /** SMS conversations waiting for a first reply: id → first inbound message time. */
  sms: Record<string, number>;
  /** Conversations that already had a reply (a later inbound message does not make them wait). */
  replied: Record<string, 1>;
  operators: Record<string, OperatorFigures>;
  today: DayTotals;
  /** Service level pairs per epoch minute, for the last 60 minutes. */
  recent: Record<string, SlPair>;
  /** Calls queued per hour on finished days (kept for "same weekday last week"). */
  history: Record<string, number[]>;
  alerts: {
    contacts: Record<string, { risk: 'R3' | 'R4'; raisedAt: number; ackedAt: number | null }>;
    /** Open dispatches; dueAt is the acknowledgement deadline (offered) or delivery deadline (accepted). */
    dispatches: Record<string, { status: 'waiting' | 'offered' | 'accepted'; dueAt: number | null }>;
    caseDeadlines: Record<string, { caseId: string | null; dueAt: number }>;
  };
}

const zeros = () => Array.from({ length: 24 }, () => 0);
export const emptyTotals = (): DayTotals => ({
  offered: 0,
  answered: 0,
  answeredInTime: 0,
  abandoned: 0,
  abandonedInTime: 0,
  waitSumMs: 0,
  handled: 0,
  handleSumMs: 0,
  offeredByHour: zeros(),
  slByHour: Array.from({ length: 24 }, () => [0, 0] as SlPair),
});

export const emptyState = (day: string): LiveState => ({
  day,
  waiting: {},
  active: {},
  done: {},
  sms: {},
  replied: {},
  operators: {},
  today: emptyTotals(),
  recent: {},
  history: {},
  alerts: { contacts: {}, dispatches: {}, caseDeadlines: {} },
});

const HISTORY_DAYS = 8;
const MINUTE = 60_000;

/** Starts a new centre day: daily totals reset; waiting calls, operators and alerts carry over. */
export function rollover(state: LiveState, day: string): LiveState {
  if (day <= state.day) return state;
  const history = { ...state.history, [state.day]: state.today.offeredByHour };
  for (const d of Object.keys(history).sort().slice(0, -HISTORY_DAYS)) delete history[d];
  const operators: LiveState['operators'] = {};
  for (const [id, op] of Object.entries(state.operators)) operators[id] = { ...op, contactsToday: 0 };
  return { ...state, day, today: emptyTotals(), history, operators, done: {} };
}

function operator(state: LiveState, id: string, at: number): OperatorFigures {
  return state.operators[id] ?? { state: 'available', since: at, reason: null, callId: null, conversationId: null, contactsToday: 0 };
}

function countSl(state: LiveState, at: number, hour: number, inTime: boolean, counts: boolean) {
  if (!counts) return;
  const t = state.today;
  const pair = t.slByHour[hour]!;
  pair[1] += 1;
  if (inTime) pair[0] += 1;
  const minute = String(Math.floor(at / MINUTE));
  const r = (state.recent[minute] ??= [0, 0]);
  r[1] += 1;
  if (inTime) r[0] += 1;
}

function pruneRecent(state: LiveState, at: number) {
  const oldest = Math.floor(at / MINUTE) - 60;
  for (const m of Object.keys(state.recent)) if (Number(m) < oldest) delete state.recent[m];
}

/** Applies one event. Returns a new state (the input is not changed). */
export function reduce(input: LiveState, event: LiveEvent, settings: Settings): LiveState {
  const lt = localTime(event.at, settings.timezone);
  // An event from a later day rolls the day over first; a late event from an earlier day still
  // updates what is live now (queue, operators) and counts on today.
  const state: LiveState = structuredClone(lt.day > input.day ? rollover(input, lt.day) : input);
  const t = state.today;
  pruneRecent(state, event.at);

  switch (event.type) {
    case 'call.queued': {
      if (state.waiting[event.callId] !== undefined || state.active[event.callId] || state.done[event.callId]) break;
      state.waiting[event.callId] = event.at;
      t.offered += 1;
      t.offeredByHour[lt.hour]! += 1;
      break;
    }
    case 'call.answered': {
      const current = state.active[event.callId];
      if (current) {
        // Answered again: a transfer. Counted once; the call moves to the new operator.
        if (current.operatorId !== event.operatorId) {
          const from = state.operators[current.operatorId];
          if (from?.callId === event.callId) from.callId = null;
          current.operatorId = event.operatorId;
          const to = operator(state, event.operatorId, event.at);
          state.operators[event.operatorId] = { ...to, callId: event.callId };
        }
        break;
      }
      if (state.done[event.callId]) break;
      const queuedAt = state.waiting[event.callId] ?? event.queuedAt;
      if (queuedAt === undefined) break; // never queued: not a call of the queue
      delete state.waiting[event.callId];
      state.done[event.callId] = 1;
      const waitMs = Math.max(0, event.at - queuedAt);
      const inTime = waitMs <= settings.serviceLevelMs;
      t.answered += 1;
      t.waitSumMs += waitMs;
      if (inTime) t.answeredInTime += 1;
      countSl(state, event.at, lt.hour, inTime, true);
      state.active[event.callId] = { operatorId: event.operatorId, answeredAt: event.at };
      const op = operator(state, event.operatorId, event.at);
      state.operators[event.operatorId] = { ...op, callId: event.callId, contactsToday: op.contactsToday + 1 };
      break;
    }
    case 'call.abandoned': {
      if (state.active[event.callId] || state.done[event.callId]) break;
      const queuedAt = state.waiting[event.callId] ?? event.queuedAt;
      if (queuedAt === undefined) break;
      delete state.waiting[event.callId];
      state.done[event.callId] = 1;
      const inTime = event.at - queuedAt <= settings.serviceLevelMs;
      t.abandoned += 1;
      if (inTime) t.abandonedInTime += 1;
      countSl(state, event.at, lt.hour, false, !inTime);
      break;
    }
    case 'call.ended': {
      const call = state.active[event.callId];
      if (!call) {
        // Ended while still waiting and no abandon event came: count it as abandoned.
        if (state.waiting[event.callId] !== undefined) return reduce(input, { type: 'call.abandoned', callId: event.callId, at: event.at }, settings);
        break;
      }
      delete state.active[event.callId];
      t.handled += 1;
      t.handleSumMs += Math.max(0, event.at - call.answeredAt);
      const op = state.operators[call.operatorId];
      if (op?.callId === event.callId) op.callId = null;
      break;
    }
    case 'operator.state': {
      const op = operator(state, event.operatorId, event.at);
      // Wrap-up belongs to the handle time of the call before it.
      if (op.state === 'wrap_up' && event.state !== 'wrap_up') t.handleSumMs += Math.max(0, event.at - op.since);
      if (op.state === event.state && state.operators[event.operatorId]) {
        op.reason = event.reason ?? op.reason;
        break;
      }
      state.operators[event.operatorId] = {
        ...op,
        state: event.state,
        since: event.at,
        reason: event.reason ?? null,
        callId: event.state === 'offline' ? null : op.callId,
        conversationId: event.state === 'offline' ? null : op.conversationId,
      };
      break;
    }
    case 'sms.received': {
      if (state.replied[event.conversationId] || state.sms[event.conversationId] !== undefined) break;
      state.sms[event.conversationId] = event.at;
      break;
    }
    case 'sms.replied': {
      delete state.sms[event.conversationId];
      state.replied[event.conversationId] = 1;
      break;
    }
    case 'conversation.assigned': {
      const op = operator(state, event.operatorId, event.at);
      const already = op.conversationId === event.conversationId;
      for (const other of Object.values(state.operators)) if (other.conversationId === event.conversationId) other.conversationId = null;
      state.operators[event.operatorId] = { ...op, conversationId: event.conversationId, contactsToday: op.contactsToday + (already ? 0 : 1) };
      break;
    }
    case 'conversation.closed': {
      delete state.sms[event.conversationId];
      delete state.replied[event.conversationId];
      for (const op of Object.values(state.operators)) if (op.conversationId === event.conversationId) op.conversationId = null;
      break;
    }
    case 'contact.alert': {
      if (event.open && (event.risk === 'R3' || event.risk === 'R4')) {
        state.alerts.contacts[event.contactId] = { risk: event.risk, raisedAt: event.raisedAt, ackedAt: event.ackedAt };
      } else delete state.alerts.contacts[event.contactId];
      break;
    }
    case 'dispatch.status': {
      if (event.status === 'closed') delete state.alerts.dispatches[event.dispatchId];
      else state.alerts.dispatches[event.dispatchId] = { status: event.status, dueAt: event.dueAt };
      break;
    }
    case 'case.deadline': {
      if (event.done) delete state.alerts.caseDeadlines[event.deadlineId];
      else state.alerts.caseDeadlines[event.deadlineId] = { caseId: event.caseId, dueAt: event.dueAt };
      break;
    }
  }
  return state;
}

export const reduceAll = (state: LiveState, events: LiveEvent[], settings: Settings) => events.reduce((s, e) => reduce(s, e, settings), state);
