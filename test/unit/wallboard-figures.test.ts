import { describe, expect, it } from 'vitest';
import { localTime, startOfLocalDay } from '../../server/src/clock.js';
import { emptyState, reduceAll, type LiveEvent } from '../../server/src/modules/wallboard/figures.js';
import { delta, view } from '../../server/src/modules/wallboard/view.js';

const TZ = 'Europe/Moscow'; // UTC+3, no DST
const settings = { timezone: TZ, serviceLevelMs: 20_000 };
const viewSettings = { ...settings, wrapUpAlertMs: 120_000, awayAlertMs: 900_000 };
// 2026-11-23 10:00 in Moscow.
const T0 = Date.parse('2026-11-23T07:00:00Z');
const s = (sec: number) => T0 + sec * 1000;
const run = (events: LiveEvent[], now = events.at(-1)?.at ?? T0) => {
  const state = reduceAll(emptyState('2026-11-23'), events, settings);
  return { state, v: view(state, now, viewSettings, {}) };
};
const OP = '00000000-0000-4000-8000-000000000001';
const OP2 = '00000000-0000-4000-8000-000000000002';

describe('calls waiting and the longest wait', () => {
  it('counts waiting calls and gives the start of the longest wait', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'call.queued', callId: 'b', at: s(5) },
      { type: 'call.queued', callId: 'c', at: s(9) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(12) },
    ]);
    expect(v.calls.waiting).toBe(2);
    expect(v.calls.longestWaitSince).toBe(new Date(s(5)).toISOString());
    expect(v.calls.offered).toBe(3);
  });

  it('ignores a repeated queued or answered event', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'call.queued', callId: 'a', at: s(1) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(10) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(11) },
    ]);
    expect(v.calls).toMatchObject({ offered: 1, answered: 1, waiting: 0 });
    expect(v.operators[0]!.contactsToday).toBe(1);
  });
});

describe('service level with a 20 s threshold', () => {
  it.each([
    // [what happened, answered, abandoned, service level]
    ['abandoned at 19 s: not counted against the line', [{ type: 'call.abandoned', callId: 'x', at: s(19) }], 0, 1, null],
    ['abandoned at 21 s: counted as missed', [{ type: 'call.abandoned', callId: 'x', at: s(21) }], 0, 1, 0],
    ['answered at 20 s: in time', [{ type: 'call.answered', callId: 'x', operatorId: OP, at: s(20) }], 1, 0, 1],
    ['answered at 21 s: late', [{ type: 'call.answered', callId: 'x', operatorId: OP, at: s(21) }], 1, 0, 0],
  ] as [string, LiveEvent[], number, number, number | null][])('%s', (_name, after, answered, abandoned, sl) => {
    const { v } = run([{ type: 'call.queued', callId: 'x', at: s(0) }, ...after]);
    expect(v.calls.answered).toBe(answered);
    expect(v.calls.abandoned).toBe(abandoned);
    expect(v.calls.serviceLevelToday).toBe(sl);
    expect(v.calls.serviceLevelLastHour).toBe(sl);
  });

  it('mixes both: 2 in time, 1 late, 1 abandoned at 19 s and 1 at 21 s → 2/4, abandon rate 2/5', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'call.queued', callId: 'b', at: s(0) },
      { type: 'call.queued', callId: 'c', at: s(0) },
      { type: 'call.queued', callId: 'd', at: s(0) },
      { type: 'call.queued', callId: 'e', at: s(0) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(5) },
      { type: 'call.answered', callId: 'b', operatorId: OP2, at: s(15) },
      { type: 'call.abandoned', callId: 'c', at: s(19) },
      { type: 'call.abandoned', callId: 'd', at: s(21) },
      { type: 'call.answered', callId: 'e', operatorId: OP2, at: s(40) },
    ]);
    expect(v.calls.serviceLevelToday).toBe(0.5);
    expect(v.calls.abandonRate).toBe(0.4);
    expect(v.calls.averageAnswerSeconds).toBeCloseTo((5 + 15 + 40) / 3);
    expect(v.charts.serviceLevelByHour[10]).toBe(0.5);
  });

  it('drops minutes older than an hour from the last-hour figure but keeps them for today', () => {
    const { v } = run(
      [
        { type: 'call.queued', callId: 'a', at: s(0) },
        { type: 'call.answered', callId: 'a', operatorId: OP, at: s(40) },
        { type: 'call.queued', callId: 'b', at: s(3600) },
        { type: 'call.answered', callId: 'b', operatorId: OP, at: s(3605) },
      ],
      s(3700),
    );
    expect(v.calls.serviceLevelToday).toBe(0.5);
    expect(v.calls.serviceLevelLastHour).toBe(1);
  });

  it('treats a call that ended while waiting, with no abandon event, as abandoned', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'call.ended', callId: 'a', at: s(30) },
    ]);
    expect(v.calls).toMatchObject({ waiting: 0, abandoned: 1, serviceLevelToday: 0 });
  });
});

describe('a transfer', () => {
  it('counts the call once, keeps the first wait, and moves it to the new operator', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(10) },
      { type: 'call.answered', callId: 'a', operatorId: OP2, at: s(70) },
      { type: 'call.ended', callId: 'a', at: s(130) },
    ]);
    expect(v.calls).toMatchObject({ answered: 1, offered: 1, serviceLevelToday: 1, averageAnswerSeconds: 10 });
    const byId = Object.fromEntries(v.operators.map((o) => [o.userId, o]));
    expect(byId[OP]).toMatchObject({ callId: null, contactsToday: 1 });
    expect(byId[OP2]).toMatchObject({ callId: null, contactsToday: 0 });
    expect(v.calls.averageHandleSeconds).toBe(120);
  });
});

describe('wrap-up and operators', () => {
  it('adds the wrap-up after a call to its handle time', () => {
    const { v } = run([
      { type: 'call.queued', callId: 'a', at: s(0) },
      { type: 'operator.state', operatorId: OP, state: 'on_call', at: s(5) },
      { type: 'call.answered', callId: 'a', operatorId: OP, at: s(5) },
      { type: 'call.ended', callId: 'a', at: s(185) },
      { type: 'operator.state', operatorId: OP, state: 'wrap_up', at: s(185) },
      { type: 'operator.state', operatorId: OP, state: 'available', at: s(245) },
    ]);
    expect(v.calls.averageHandleSeconds).toBe(180 + 60);
    expect(v.operators[0]).toMatchObject({ state: 'available', since: new Date(s(245)).toISOString(), callId: null, contactsToday: 1 });
  });

  it('shows the current call and conversation, and the time a state began', () => {
    const { v } = run([
      { type: 'operator.state', operatorId: OP, state: 'away', at: s(0), reason: 'break' },
      { type: 'conversation.assigned', conversationId: 'conv', operatorId: OP2, at: s(1) },
    ]);
    const byId = Object.fromEntries(v.operators.map((o) => [o.userId, o]));
    expect(byId[OP]).toMatchObject({ state: 'away', reason: 'break', since: new Date(s(0)).toISOString() });
    expect(byId[OP2]).toMatchObject({ conversationId: 'conv', contactsToday: 1 });
    expect(v.settings).toMatchObject({ wrapUpAlertSeconds: 120, awayAlertSeconds: 900 });
  });
});

describe('SMS conversations waiting for a first reply', () => {
  it('waits from the first inbound message until the first reply', () => {
    const events: LiveEvent[] = [
      { type: 'sms.received', conversationId: 'c1', at: s(0) },
      { type: 'sms.received', conversationId: 'c1', at: s(30) },
      { type: 'sms.received', conversationId: 'c2', at: s(10) },
    ];
    expect(run(events).v.sms).toMatchObject({ waiting: 2, oldestSince: new Date(s(0)).toISOString() });
    const after = run([...events, { type: 'sms.replied', conversationId: 'c1', at: s(40) }, { type: 'sms.received', conversationId: 'c1', at: s(50) }]).v;
    expect(after.sms).toMatchObject({ waiting: 1, oldestSince: new Date(s(10)).toISOString() });
  });
});

describe('midnight in the centre time zone', () => {
  const before = Date.parse('2026-11-23T20:59:50Z'); // 23:59:50 Moscow
  it('rolls the day over at local midnight, not UTC midnight, and keeps the queue', () => {
    expect(localTime(before, TZ).day).toBe('2026-11-23');
    expect(localTime(before + 15_000, TZ).day).toBe('2026-11-24');
    expect(startOfLocalDay('2026-11-24', TZ)).toBe(Date.parse('2026-11-23T21:00:00Z'));
    const state = reduceAll(
      emptyState('2026-11-23'),
      [
        { type: 'call.queued', callId: 'y1', at: before - 60_000 },
        { type: 'call.answered', callId: 'y1', operatorId: OP, at: before - 50_000 },
        { type: 'call.queued', callId: 'late', at: before },
        { type: 'call.answered', callId: 'late', operatorId: OP, at: before + 15_000 },
        { type: 'call.queued', callId: 'w', at: before + 17_000 },
      ],
      settings,
    );
    expect(state.day).toBe('2026-11-24');
    const v = view(state, before + 20_000, viewSettings, {});
    // The call answered after midnight counts today; it was offered yesterday at 23:59.
    expect(v.calls).toMatchObject({ answered: 1, offered: 1, waiting: 1, serviceLevelToday: 1 });
    expect(v.charts.callsPerHour[0]).toBe(1);
    expect(v.operators[0]!.contactsToday).toBe(1);
    expect(state.history['2026-11-23']![23]).toBe(2);
    expect(v.calls.longestWaitSince).toBe(new Date(before + 17_000).toISOString());
  });

  it('shows last week’s same weekday next to today', () => {
    const state = reduceAll(emptyState('2026-11-16'), [{ type: 'call.queued', callId: 'old', at: Date.parse('2026-11-16T09:00:00Z') }], settings);
    const today = reduceAll(state, [{ type: 'call.queued', callId: 'new', at: s(0) }], settings);
    const v = view(today, s(1), viewSettings, {});
    expect(v.charts.callsPerHourLastWeek?.[12]).toBe(1);
    expect(v.charts.callsPerHour[10]).toBe(1);
  });
});

describe('alerts', () => {
  it('lists open R4 before R3 with acknowledgement, counts dispatches and overdue deadlines', () => {
    const { v } = run(
      [
        { type: 'contact.alert', contactId: 'r3', risk: 'R3', open: true, raisedAt: s(0), ackedAt: null, at: s(0) },
        { type: 'contact.alert', contactId: 'r4', risk: 'R4', open: true, raisedAt: s(5), ackedAt: s(8), at: s(8) },
        { type: 'contact.alert', contactId: 'gone', risk: 'R4', open: true, raisedAt: s(1), ackedAt: null, at: s(1) },
        { type: 'contact.alert', contactId: 'gone', risk: 'R4', open: false, raisedAt: s(1), ackedAt: null, at: s(9) },
        { type: 'dispatch.status', dispatchId: 'd1', status: 'waiting', dueAt: null, at: s(0) },
        { type: 'dispatch.status', dispatchId: 'd2', status: 'offered', dueAt: s(5), at: s(0) },
        { type: 'dispatch.status', dispatchId: 'd3', status: 'accepted', dueAt: s(100), at: s(0) },
        { type: 'case.deadline', deadlineId: 'k1', caseId: 'case1', dueAt: s(-10), done: false, at: s(0) },
        { type: 'case.deadline', deadlineId: 'k2', caseId: 'case2', dueAt: s(1000), done: false, at: s(0) },
      ],
      s(10),
    );
    expect(v.alerts.contacts.map((c) => [c.contactId, c.ackedAt !== null])).toEqual([
      ['r4', true],
      ['r3', false],
    ]);
    expect(v.alerts.dispatches).toMatchObject({ waiting: 1, offered: 1, overdue: 1 });
    expect(v.alerts.caseDeadlines.overdueToday).toBe(1);
  });
});

describe('delta', () => {
  it('sends only the sections that changed, and nothing when nothing did', () => {
    const a = run([{ type: 'call.queued', callId: 'a', at: s(0) }], s(1)).v;
    const b = run(
      [
        { type: 'call.queued', callId: 'a', at: s(0) },
        { type: 'operator.state', operatorId: OP, state: 'away', at: s(1) },
      ],
      s(1),
    ).v;
    const d = delta(a, b)!;
    expect(d.operators?.map((o) => o.userId)).toEqual([OP]);
    expect(d.calls).toBeUndefined();
    expect(delta(b, b)).toBeNull();
  });
});
