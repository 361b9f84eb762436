// What the wallboard shows, derived from the live state at a given instant, and the delta
// between two views (only the sections that changed travel to the consoles).
import type { WallboardAlerts, WallboardDelta, WallboardOperator, WallboardSnapshot } from '@trustline/shared';
import { sameWeekdayLastWeek } from '../../clock.js';
import type { LiveState, SlPair } from './figures.js';

export interface ViewSettings {
  timezone: string;
  serviceLevelMs: number;
  wrapUpAlertMs: number;
  awayAlertMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const share = (num: number, den: number) => (den > 0 ? num / den : null);
const MINUTE = 60_000;

export function slOf(pairs: SlPair[]) {
  let n = 0;
  let d = 0;
  for (const [a, b] of pairs) {
    n += a;
    d += b;
  }
  return share(n, d);
}

function alertsView(state: LiveState, now: number): WallboardAlerts {
  const contacts = Object.entries(state.alerts.contacts)
    .map(([contactId, a]) => ({ contactId, risk: a.risk, raisedAt: iso(a.raisedAt), ackedAt: a.ackedAt === null ? null : iso(a.ackedAt) }))
    .sort((a, b) => (a.risk === b.risk ? a.raisedAt.localeCompare(b.raisedAt) : a.risk === 'R4' ? -1 : 1));
  const dispatchItems = Object.entries(state.alerts.dispatches)
    .filter((e): e is [string, { status: 'waiting' | 'offered'; dueAt: number | null }] => e[1].status !== 'accepted')
    .map(([dispatchId, d]) => ({ dispatchId, status: d.status, dueAt: d.dueAt === null ? null : iso(d.dueAt) }))
    .sort((a, b) => (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~'));
  const overdueDeadlines = Object.entries(state.alerts.caseDeadlines)
    .filter(([, d]) => d.dueAt <= now)
    .map(([deadlineId, d]) => ({ deadlineId, caseId: d.caseId, dueAt: iso(d.dueAt) }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return {
    contacts,
    dispatches: {
      waiting: dispatchItems.filter((d) => d.status === 'waiting').length,
      offered: dispatchItems.filter((d) => d.status === 'offered').length,
      overdue: Object.values(state.alerts.dispatches).filter((d) => d.dueAt !== null && d.dueAt < now).length,
      items: dispatchItems,
    },
    caseDeadlines: { overdueToday: overdueDeadlines.length, items: overdueDeadlines },
  };
}

export function view(state: LiveState, now: number, settings: ViewSettings, names: Record<string, string>): WallboardSnapshot {
  const t = state.today;
  const waitingCalls = Object.entries(state.waiting)
    .sort(([, a], [, b]) => a - b)
    .map(([callId, since]) => ({ callId, since: iso(since) }));
  const waitingConversations = Object.entries(state.sms)
    .sort(([, a], [, b]) => a - b)
    .map(([conversationId, since]) => ({ conversationId, since: iso(since) }));
  const lastHourFrom = Math.floor(now / MINUTE) - 59;
  const recent = Object.entries(state.recent)
    .filter(([m]) => Number(m) >= lastHourFrom)
    .map(([, p]) => p);
  const operators: WallboardOperator[] = Object.entries(state.operators)
    .map(([userId, o]) => ({
      userId,
      name: names[userId] ?? userId.slice(0, 8),
      state: o.state,
      since: iso(o.since),
      reason: o.reason,
      callId: o.callId,
      conversationId: o.conversationId,
      contactsToday: o.contactsToday,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    at: iso(now),
    day: state.day,
    settings: {
      timezone: settings.timezone,
      serviceLevelSeconds: settings.serviceLevelMs / 1000,
      wrapUpAlertSeconds: settings.wrapUpAlertMs / 1000,
      awayAlertSeconds: settings.awayAlertMs / 1000,
    },
    calls: {
      waiting: waitingCalls.length,
      longestWaitSince: waitingCalls[0]?.since ?? null,
      waitingCalls,
      offered: t.offered,
      answered: t.answered,
      abandoned: t.abandoned,
      abandonRate: share(t.abandoned, t.answered + t.abandoned),
      serviceLevelToday: slOf([[t.answeredInTime, t.answered + t.abandoned - t.abandonedInTime]]),
      serviceLevelLastHour: slOf(recent),
      averageAnswerSeconds: t.answered ? t.waitSumMs / t.answered / 1000 : null,
      averageHandleSeconds: t.handled ? t.handleSumMs / t.handled / 1000 : null,
    },
    sms: { waiting: waitingConversations.length, oldestSince: waitingConversations[0]?.since ?? null, waitingConversations },
    operators,
    alerts: alertsView(state, now),
    charts: {
      callsPerHour: [...t.offeredByHour],
      callsPerHourLastWeek: state.history[sameWeekdayLastWeek(state.day)] ?? null,
      serviceLevelByHour: t.slByHour.map(([a, b]) => share(a, b)),
    },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The sections of `next` that differ from `prev`, or null when nothing a viewer sees changed. */
export function delta(prev: WallboardSnapshot, next: WallboardSnapshot): WallboardDelta | null {
  const d: WallboardDelta = { at: next.at, day: next.day };
  if (prev.day !== next.day) return { ...d, calls: next.calls, sms: next.sms, operators: next.operators, alerts: next.alerts, charts: next.charts };
  if (!same(prev.calls, next.calls)) d.calls = next.calls;
  if (!same(prev.sms, next.sms)) d.sms = next.sms;
  if (!same(prev.alerts, next.alerts)) d.alerts = next.alerts;
  if (!same(prev.charts, next.charts)) d.charts = next.charts;
  const before = new Map(prev.operators.map((o) => [o.userId, o]));
  const changed = next.operators.filter((o) => !same(before.get(o.userId), o));
  if (changed.length) d.operators = changed;
  const now = new Set(next.operators.map((o) => o.userId));
  const removed = prev.operators.filter((o) => !now.has(o.userId)).map((o) => o.userId);
  if (removed.length) d.operatorsRemoved = removed;
  return Object.keys(d).length > 2 ? d : null;
}
