// Live wallboard figures over the real server: domain events (as telephony and contacts emit
// them after their commits) with the matching database rows, the socket snapshot and deltas, and
// the reconciliation: after a scripted day the live figures equal those recomputed from the
// database.
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, WallboardDelta, WallboardSnapshot } from '@trustline/shared';
import { view } from '../../server/src/modules/wallboard/view.js';
import { makeUser, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// A zone where it is about noon now, so the scripted day never straddles the centre's midnight.
const offset = 12 - new Date().getUTCHours();
const TIMEZONE = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;

let server: TestServer;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { CENTRE_TIMEZONE: TIMEZONE, SERVICE_LEVEL_SECONDS: '20' } });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await server?.close();
});

const sql = (q: string, ...values: unknown[]) => server.services.infra.db.prisma.$executeRawUnsafe(q, ...values);
const emit = (name: string, payload: object) => server.services.events.emitAfter(name as never, payload as never);

function socketFor(cookie: string): Promise<ClientSocket> {
  const s: ClientSocket = connect(server.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
const subscribe = (s: ClientSocket) =>
  new Promise<WallboardSnapshot>((resolve, reject) => s.emit('wallboard:subscribe', {}, (res) => (res.ok ? resolve(res.data) : reject(new Error(res.code)))));
const nextDelta = (s: ClientSocket, match: (d: WallboardDelta) => boolean) =>
  new Promise<WallboardDelta>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no wallboard:changed')), 5_000);
    const on = (d: WallboardDelta) => {
      if (!match(d)) return;
      clearTimeout(timer);
      s.off('wallboard:changed', on);
      resolve(d);
    };
    s.on('wallboard:changed', on);
  });

/** What telephony does (telephony.events.ts payloads): the row, then the event after the commit. */
const scripted = {
  async queued(at: number) {
    const id = randomUUID();
    await sql(
      `INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "receivedAt", "queuedAt", "updatedAt")
       VALUES ($1::uuid, $2, 'h', 's', 'queued', $3, $3, now())`,
      id,
      `CA${id.replaceAll('-', '')}`,
      new Date(at),
    );
    await emit('call.queued', { callId: id, queuedAt: new Date(at) });
    return id;
  },
  async answered(callId: string, operatorId: string, at: number) {
    await sql(`UPDATE "Call" SET status = 'answered', "answeredAt" = $2, "operatorId" = $3::uuid WHERE id = $1::uuid`, callId, new Date(at), operatorId);
    await sql(
      `INSERT INTO "CallOffer" (id, "callId", "operatorId", kind, outcome, "offeredAt", "expiresAt", "decidedAt")
       VALUES ($1::uuid, $2::uuid, $3::uuid, 'route', 'accepted', $4, $4, $4)`,
      randomUUID(),
      callId,
      operatorId,
      new Date(at),
    );
    const [row] = await server.services.infra.db.prisma.$queryRawUnsafe<{ queuedAt: Date }[]>(`SELECT "queuedAt" FROM "Call" WHERE id = $1::uuid`, callId);
    await emit('call.answered', { callId, operatorId, lineId: null, callerHash: 'h', waitMs: at - row!.queuedAt.getTime(), answeredAt: new Date(at) });
  },
  async transferred(callId: string, operatorId: string, at: number) {
    await sql(`UPDATE "Call" SET "operatorId" = $2::uuid WHERE id = $1::uuid`, callId, operatorId);
    await sql(
      `INSERT INTO "CallOffer" (id, "callId", "operatorId", kind, outcome, "offeredAt", "expiresAt", "decidedAt")
       VALUES ($1::uuid, $2::uuid, $3::uuid, 'transfer-cold', 'accepted', $4, $4, $4)`,
      randomUUID(),
      callId,
      operatorId,
      new Date(at),
    );
    await emit('call.transferred', { callId, fromOperatorId: null, toOperatorId: operatorId, mode: 'cold' });
  },
  async abandoned(callId: string, at: number) {
    await sql(`UPDATE "Call" SET status = 'ended', "endedAt" = $2, abandoned = true WHERE id = $1::uuid`, callId, new Date(at));
    await emit('call.abandoned', { callId, lineId: null, callerHash: 'h', waitedMs: 0 });
    await emit('call.ended', { callId, reason: 'abandoned', durationMs: 0, operatorId: null, answered: false });
  },
  async ended(callId: string, at: number) {
    await sql(`UPDATE "Call" SET status = 'ended', "endedAt" = $2 WHERE id = $1::uuid`, callId, new Date(at));
    await emit('call.ended', { callId, reason: 'completed', durationMs: 0, operatorId: null, answered: true });
  },
  async state(userId: string, state: string, at: number) {
    const prev = await server.services.infra.db.prisma.$queryRawUnsafe<{ state: string; since: Date }[]>(
      `SELECT state::text, since FROM "OperatorState" WHERE "userId" = $1::uuid`,
      userId,
    );
    if (prev[0]) {
      await sql(
        `INSERT INTO "OperatorStateHistory" ("userId", state, "startedAt", "endedAt", "durationMs") VALUES ($1::uuid, $2::"OperatorStateKind", $3, $4, $5)`,
        userId,
        prev[0].state,
        prev[0].since,
        new Date(at),
        at - prev[0].since.getTime(),
      );
    }
    await sql(
      `INSERT INTO "OperatorState" ("userId", state, since) VALUES ($1::uuid, $2::"OperatorStateKind", $3)
       ON CONFLICT ("userId") DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since, version = "OperatorState".version + 1`,
      userId,
      state,
      new Date(at),
    );
    await emit('operator.state-changed', { userId, state, previous: prev[0]?.state ?? 'offline', since: new Date(at), reason: null });
  },
  async smsIn(at: number, conversationId = randomUUID()) {
    await sql(
      `INSERT INTO "Conversation" (id, "peerHash", "peerSealed", status, "openedAt", "lastMessageAt")
       VALUES ($1::uuid, 'h', 's', 'open', $2, $2) ON CONFLICT DO NOTHING`,
      conversationId,
      new Date(at),
    );
    const messageId = randomUUID();
    await sql(
      `INSERT INTO "Message" (id, "conversationId", direction, "peerHash", "peerSealed", body, status, "createdAt", "updatedAt")
       VALUES ($1::uuid, $2::uuid, 'inbound', 'h', 's', 'привет', 'received', $3, $3)`,
      messageId,
      conversationId,
      new Date(at),
    );
    await emit('sms.received', { messageId, conversationId, lineId: null, peerHash: 'h', claimedBy: null });
    return conversationId;
  },
  async assignConversation(conversationId: string, operatorId: string, at: number) {
    await sql(`UPDATE "Conversation" SET "operatorId" = $2::uuid WHERE id = $1::uuid`, conversationId, operatorId);
    await emit('conversation.assigned', { conversationId, operatorId });
  },
  async smsReply(conversationId: string, at: number) {
    const messageId = randomUUID();
    await sql(
      `INSERT INTO "Message" (id, "conversationId", direction, "peerHash", "peerSealed", body, status, "createdAt", "updatedAt")
       VALUES ($1::uuid, $2::uuid, 'outbound', 'h', 's', 'здравствуйте', 'sent', $3, $3)`,
      messageId,
      conversationId,
      new Date(at),
    );
    await emit('sms.status-changed', { messageId, status: 'sent', errorCode: null, purpose: null, refId: null });
  },
};

describe('wallboard access', () => {
  it('gives the snapshot to supervisors and refuses operators, over HTTP and the socket', async () => {
    const { client: operator } = await signedIn(server.url, server.services, ['operator']);
    expect((await operator.get('/api/wallboard')).status).toBe(403);
    const s = await socketFor(operator.cookieHeader);
    await expect(subscribe(s)).rejects.toThrow('FORBIDDEN');
    const { client: supervisor } = await signedIn(server.url, server.services, ['supervisor']);
    const res = await supervisor.get('/api/wallboard');
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ timezone: TIMEZONE, serviceLevelSeconds: 20 });
  });
});

describe('live figures', () => {
  it('sends the waiting count and the longest wait to a subscribed wallboard, and a fresh snapshot on reconnect', async () => {
    await server.services.wallboard.reset();
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const board = await socketFor(client.cookieHeader);
    const first = await subscribe(board);
    expect(first.calls.waiting).toBe(0);

    const queuedAt = Date.now() - 3_000;
    const arrived = nextDelta(board, (d) => d.calls?.waiting === 1);
    const callId = await scripted.queued(queuedAt);
    const d = await arrived;
    expect(d.calls!.longestWaitSince).toBe(new Date(queuedAt).toISOString());
    expect(d.calls!.waitingCalls[0]!.callId).toBe(callId);

    board.close();
    await scripted.queued(Date.now() - 1_000);
    const again = await socketFor(client.cookieHeader);
    const fresh = await subscribe(again);
    expect(fresh.calls.waiting).toBe(2);
    expect(fresh.calls.longestWaitSince).toBe(new Date(queuedAt).toISOString());
  });

  it('sends a supervisor’s message to operators on shift', async () => {
    const { client: supervisor } = await signedIn(server.url, server.services, ['supervisor']);
    const { client: operator } = await signedIn(server.url, server.services, ['operator']);
    const s = await socketFor(operator.cookieHeader);
    const got = new Promise((resolve) => s.once('wallboard:message', resolve));
    const res = await supervisor.post('/api/wallboard/messages', { text: 'Перерыв в 15:00' });
    expect(res.status).toBe(201);
    expect(await got).toMatchObject({ text: 'Перерыв в 15:00' });
    const bad = await supervisor.post('/api/wallboard/messages', { text: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe('body.text');
  });

  it('after a scripted day, equals the figures recomputed from the database', async () => {
    await sql(
      `DELETE FROM "CallOffer"; DELETE FROM "Call"; DELETE FROM "Message"; DELETE FROM "Conversation";
       DELETE FROM "OperatorStateHistory"; DELETE FROM "OperatorState"`,
    );
    await server.services.wallboard.reset();
    const op1 = (await makeUser(server.services, ['operator'])).id;
    const op2 = (await makeUser(server.services, ['operator'])).id;
    const t = Date.now() - 2 * 3600_000; // two hours ago, about 10:00 in the centre's zone
    const s = (sec: number) => t + sec * 1000;

    await scripted.state(op1, 'available', s(0));
    await scripted.state(op2, 'available', s(0));
    // c1: answered at 5 s, talk 120 s, wrap-up 60 s.
    const c1 = await scripted.queued(s(10));
    await scripted.answered(c1, op1, s(15));
    await scripted.state(op1, 'on_call', s(15));
    await scripted.ended(c1, s(135));
    await scripted.state(op1, 'wrap_up', s(135));
    await scripted.state(op1, 'available', s(195));
    // c2 abandoned at 19 s, c3 at 21 s.
    const c2 = await scripted.queued(s(200));
    const c3 = await scripted.queued(s(201));
    await scripted.abandoned(c2, s(219));
    await scripted.abandoned(c3, s(222));
    // c4: answered late (25 s) by op2, transferred to op1, still talking.
    const c4 = await scripted.queued(s(300));
    await scripted.answered(c4, op2, s(325));
    await scripted.state(op2, 'on_call', s(325));
    await scripted.transferred(c4, op1, s(400));
    await scripted.state(op2, 'available', s(400));
    await scripted.state(op1, 'on_call', s(400));
    // An hour later: c5 answered in time, c6 still waiting.
    const c5 = await scripted.queued(s(3700));
    await scripted.answered(c5, op2, s(3708));
    await scripted.ended(c5, s(3800));
    await scripted.queued(s(3900));
    // SMS: one answered, one waiting.
    const m1 = await scripted.smsIn(s(500));
    await scripted.assignConversation(m1, op2, s(510));
    await scripted.smsReply(m1, s(520));
    await scripted.smsIn(s(600));
    await scripted.state(op2, 'away', s(4000));
    // An R4 contact raised and acknowledged, an R3 one still waiting for a supervisor.
    const r4 = randomUUID();
    const r3 = randomUUID();
    for (const [id, risk] of [
      [r4, 'R4'],
      [r3, 'R3'],
    ] as const) {
      await sql(
        `INSERT INTO "Contact" (id, channel, "riskLevel", "alertRaisedAt", "updatedAt") VALUES ($1::uuid, 'voice', $2::"RiskLevel", $3, now())`,
        id,
        risk,
        new Date(s(4050)),
      );
      await emit('contact.alert-raised', { contactId: id, operatorId: op1, hasMinor: false, raisedAt: new Date(s(4050)).toISOString() });
    }
    await sql(`UPDATE "Contact" SET "alertAckedAt" = $2 WHERE id = $1::uuid`, r4, new Date(s(4060)));
    await emit('contact.alert-acknowledged', { contactId: r4, by: op1, at: new Date(s(4060)).toISOString() });

    const live = await server.services.wallboard.snapshot();
    expect(live.calls).toMatchObject({ waiting: 1, offered: 6, answered: 3, abandoned: 2 });
    expect(live.calls.serviceLevelToday).toBeCloseTo(2 / 4);
    expect(live.calls.averageHandleSeconds).toBeCloseTo((120 + 60 + 92) / 2);
    expect(live.sms.waiting).toBe(1);
    expect(live.alerts.contacts.map((c) => [c.risk, c.ackedAt !== null])).toEqual([
      ['R4', true],
      ['R3', false],
    ]);

    const recomputed = await server.services.wallboard.recompute();
    const settings = { timezone: TIMEZONE, serviceLevelMs: 20_000, wrapUpAlertMs: 120_000, awayAlertMs: 900_000 };
    const now = Date.parse(live.at);
    const fromDb = view(recomputed, now, settings, Object.fromEntries(live.operators.map((o) => [o.userId, o.name])));
    expect(fromDb.calls).toEqual(live.calls);
    expect(fromDb.sms).toEqual(live.sms);
    expect(fromDb.operators).toEqual(live.operators);
    expect(fromDb.charts).toEqual(live.charts);
    expect(fromDb.alerts).toEqual(live.alerts);

    // A lost event shows as drift, and the reconciliation repairs it.
    await sql(
      `INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "receivedAt", "queuedAt", "updatedAt")
       VALUES ($1::uuid, 'CAlost', 'h', 's', 'queued', $2, $2, now())`,
      randomUUID(),
      new Date(s(4100)),
    );
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const res = await client.post('/api/wallboard/reconcile', {});
    expect(res.body).toEqual({ drifted: true });
    expect((await server.services.wallboard.snapshot()).calls.waiting).toBe(2);
    expect((await client.post('/api/wallboard/reconcile', {})).body).toEqual({ drifted: false });
  });
});

describe('supervisor actions', () => {
  it('changes an operator’s state with a reason, through telephony, and the wallboard shows it', async () => {
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const operator = await makeUser(server.services, ['operator']);
    const res = await client.post('/api/wallboard/operator-state', { operatorId: operator.id, state: 'away', reason: 'обучение' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: operator.id, state: 'away', reason: 'обучение' });
    const row = (await server.services.wallboard.snapshot()).operators.find((o) => o.userId === operator.id);
    expect(row).toMatchObject({ state: 'away', reason: 'обучение', name: operator.displayName });
    const noReason = await client.post('/api/wallboard/operator-state', { operatorId: operator.id, state: 'available', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields[0].path).toBe('body.reason');
  });

  it('acknowledges an R4 alert through contacts, and the alert shows it', async () => {
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const contactId = randomUUID();
    await sql(`INSERT INTO "Contact" (id, channel, "riskLevel", "alertRaisedAt", "updatedAt") VALUES ($1::uuid, 'voice', 'R4', now(), now())`, contactId);
    await emit('contact.alert-raised', { contactId, operatorId: null, hasMinor: false, raisedAt: new Date().toISOString() });
    expect((await server.services.wallboard.snapshot()).alerts.contacts.find((c) => c.contactId === contactId)?.ackedAt).toBeNull();
    const res = await client.post('/api/wallboard/alerts/ack', { contactId });
    expect(res.status).toBe(200);
    expect((await server.services.wallboard.snapshot()).alerts.contacts.find((c) => c.contactId === contactId)?.ackedAt).not.toBeNull();
  });

  it('refuses to assign an unknown call, and a body naming both a call and a conversation', async () => {
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const operatorId = randomUUID();
    expect((await client.post('/api/wallboard/assign', { callId: randomUUID(), operatorId })).status).toBe(404);
    const both = await client.post('/api/wallboard/assign', { callId: randomUUID(), conversationId: randomUUID(), operatorId });
    expect(both.status).toBe(400);
    expect(both.body.fields[0].path).toBe('body.callId');
    const { client: operator } = await signedIn(server.url, server.services, ['operator']);
    expect((await operator.post('/api/wallboard/assign', { callId: randomUUID(), operatorId })).status).toBe(403);
  });
});
