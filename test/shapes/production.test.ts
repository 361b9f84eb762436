// Production shape: two `npm run server` nodes and two `npm run worker` processes over one
// PostgreSQL and one Redis prefix (test/helpers/cluster.ts), each a separate OS process. Nothing
// here reaches into a process's memory: what is checked is what crosses processes — webhooks,
// sockets, HTTP, the database, and the workers' logs (the Twilio stand-in in each worker notes
// every message it accepts, by sid and our message id).
import type { CallOfferSummary, Role } from '@trustline/shared';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret } from '../../server/src/crypto/tokens.js';
import { CallerSimulator } from '../../server/src/modules/telephony/twilio-sim.js';
import { SESSION_COOKIE } from '../../server/src/plugins/session.js';
import { startCluster, type Cluster, type ClusterNode } from '../helpers/cluster.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { Client } from '../helpers/http.js';
import { closeAllSockets, connectSocket, nextEvent, type ClientSocket } from '../helpers/socket.js';
import { until } from '../helpers/telephony.js';

const LINE = '+74950000077';
const REQUEST = { referral: 'hospital', kind: 'food', district: 'Кировский район', urgency: 'today' } as const;

let cluster: Cluster;
let a: ClusterNode;
let b: ClusterNode;
beforeAll(async () => {
  cluster = await startCluster({ env: { TELEPHONY_OFFER_TIMEOUT_SECONDS: '20' } });
  [a, b] = cluster.servers as [ClusterNode, ClusterNode];
}, 120_000);
afterAll(async () => {
  closeAllSockets();
  await cluster?.close();
});

let seq = 0;
/** A staff member signed in on `node`: user and session written to the shared database (sign-in
 * is rate-limited per address and argon2 is slow on purpose), then a CSRF token from /api/auth/me. */
async function staff(node: ClusterNode, roles: Role[]) {
  const username = `prod${Date.now().toString(36)}${seq++}`;
  const user = await cluster.prisma.user.create({ data: { username, displayName: `Staff ${username}`, passwordHash: 'not-used-here', roles } });
  const { secret, id } = newSecret();
  await cluster.prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  const client = new Client(node.url);
  client.cookies.set(SESSION_COOKIE, secret);
  const me = await client.get('/api/auth/me');
  expect(me.status).toBe(200);
  client.csrf = me.body.csrfToken;
  return { user, client, cookie: `${SESSION_COOKIE}=${secret}` };
}

async function operatorOn(node: ClusterNode, opts: { available?: boolean } = {}) {
  const s = await staff(node, ['operator']);
  const socket: ClientSocket = await connectSocket(node.url, s.cookie);
  const cmd = (name: string, payload: unknown = {}) =>
    new Promise<{ ok: boolean; code?: string; message?: string }>((resolve) =>
      (socket as unknown as { emit: (...a: unknown[]) => void }).emit(name, payload, resolve),
    );
  if (opts.available) expect((await cmd('operator:set-state', { state: 'available' })).ok).toBe(true);
  return { ...s, socket, cmd };
}

/** Every message the workers' stand-ins accepted, by our message id. */
function acceptedByMessage() {
  const counts = new Map<string, number>();
  for (const w of cluster.workers) {
    for (const l of w.logLines())
      if (l.simulator === 'message-accepted' && typeof l.messageId === 'string') counts.set(l.messageId, (counts.get(l.messageId) ?? 0) + 1);
  }
  return counts;
}

/** Every message the simulator's Twilio stand-in accepted (kept in Redis, as Twilio keeps them). */
async function sentToTwilio() {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${cluster.prefix}:twilio-sim:messages:*`);
    const lists = await Promise.all(keys.map((k) => redis.lrange(k, 0, -1)));
    return lists.flat().map((r) => JSON.parse(r) as { sid: string; body: string });
  } finally {
    redis.disconnect();
  }
}

let callerSeq = 100;
const callerNumber = () => `+7916${String(callerSeq++).padStart(7, '0')}`;

describe('two servers and two workers as separate processes', () => {
  it('start over one database and one Redis prefix', async () => {
    for (const s of cluster.servers) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    for (const w of cluster.workers) expect(w.logLines().some((l) => l.msg === 'workers started')).toBe(true);
  });

  it('a line an administrator adds on node B answers calls on node A at once', async () => {
    const admin = await staff(b, ['admin']);
    const created = await admin.client.post('/api/telephony/lines', {
      number: LINE,
      name: 'Trust line',
      language: 'ru-RU',
      active: true,
      fallbackNumber: '+74950000099',
    });
    expect(created.status).toBe(201);
    const caller = new CallerSimulator(cluster.target(a));
    const call = await caller.placeCall({ from: callerNumber(), to: LINE });
    expect(call.status).toBe(200);
    // A known line greets and queues; an unknown one would only be dialled to the fallback.
    const row = await until(() => cluster.prisma.call.findUnique({ where: { callSid: call.callSid } }), 10_000);
    expect(row.lineId).toBe(created.body.id);
    await caller.hangup(call.callSid);
  }, 60_000);

  it('offers a call whose webhook lands on node A to a console on node B, which answers it', async () => {
    const op = await operatorOn(b, { available: true });
    const ring = nextEvent(op.socket, 'call:offered', () => true, 15_000);
    const caller = new CallerSimulator(cluster.target(a));
    const call = await caller.placeCall({ from: callerNumber(), to: LINE, digits: '' });
    expect(call.status).toBe(200);
    const offer = (await ring) as CallOfferSummary;
    const row = await cluster.prisma.call.findUniqueOrThrow({ where: { callSid: call.callSid } });
    expect(offer.call.id).toBe(row.id);
    expect((await op.cmd('call:accept', { callId: row.id, offerId: offer.offerId })).ok).toBe(true);
    const answered = await cluster.prisma.call.findUniqueOrThrow({ where: { id: row.id } });
    expect(answered.status).toBe('answered');
    expect(answered.operatorId).toBe(op.user.id);
    await op.cmd('call:hangup', { callId: row.id });
    await caller.hangup(call.callSid);
    op.socket.close();
  }, 60_000);

  it('gives one waiting call to exactly one of 50 consoles split over both nodes', async () => {
    const consoles = await Promise.all(Array.from({ length: 50 }, (_, i) => operatorOn(i % 2 ? b : a)));
    const caller = new CallerSimulator(cluster.target(b));
    const call = await caller.placeCall({ from: callerNumber(), to: LINE, digits: '' });
    const row = await until(async () => {
      const c = await cluster.prisma.call.findUnique({ where: { callSid: call.callSid } });
      return c?.status === 'queued' ? c : null;
    }, 10_000);
    const answers = await Promise.all(consoles.map((c) => c.cmd('call:accept', { callId: row.id })));
    expect(answers.filter((x) => x.ok)).toHaveLength(1);
    expect(answers.filter((x) => !x.ok).map((x) => x.code)).toEqual(Array(49).fill('CALL_ALREADY_TAKEN'));
    expect(await cluster.prisma.callOffer.count({ where: { callId: row.id, outcome: 'accepted' } })).toBe(1);
    const winner = consoles[answers.findIndex((x) => x.ok)]!;
    await winner.cmd('call:hangup', { callId: row.id });
    await caller.hangup(call.callSid);
    for (const c of consoles) c.socket.close();
  }, 90_000);

  it("sends each dispatch's offer SMS exactly once, whichever worker takes it", async () => {
    const coordinators = [await staff(a, ['coordinator']), await staff(b, ['coordinator'])];
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await coordinators[i % 2]!.client.post('/api/dispatches', REQUEST);
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
    }
    const messages = await until(
      async () => {
        const rows = await cluster.prisma.message.findMany({ where: { purpose: 'dispatch.offer', refId: { in: (await offersOf(ids)).map((o) => o.id) } } });
        return rows.length === 20 && rows.every((m) => m.messageSid) ? rows : null;
      },
      60_000,
      250,
    );
    const accepted = acceptedByMessage();
    expect(messages.map((m) => accepted.get(m.id) ?? 0)).toEqual(Array(20).fill(1));
  }, 120_000);

  it('loses nothing and sends nothing twice when a worker is SIGKILLed mid-job', async () => {
    const coordinator = await staff(b, ['coordinator']);
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, () => coordinator.client.post('/api/dispatches', REQUEST)));
      for (const r of batch) {
        expect(r.status, r.text).toBe(201);
        ids.push(r.body.id);
      }
    }
    const [victim] = cluster.workers as [ClusterNode];
    const before = acceptedByMessage().size;
    // Killed the moment it has handed a message of this batch to Twilio: the next one may be mid-way.
    await until(async () => acceptedByMessage().size > before || null, 30_000, 2);
    await cluster.kill(victim);
    const offers = await offersOf(ids);
    const messages = await until(
      async () => {
        const rows = await cluster.prisma.message.findMany({ where: { purpose: 'dispatch.offer', refId: { in: offers.map((o) => o.id) } } });
        return rows.length === 40 && rows.every((m) => m.messageSid) ? rows : null;
      },
      120_000,
      500,
    );
    // What Twilio's cloud holds (the stand-in's record in Redis) is the truth of what was sent:
    // the "accepted" log line is written after it, and a SIGKILL can cut a process's last lines.
    const cloud = await sentToTwilio();
    const counts = messages.map((m) => cloud.filter((r) => r.body === m.body).length);
    const byVictim = victim.logLines().filter((l) => l.simulator === 'message-accepted' && messages.some((m) => m.id === l.messageId)).length;
    const handedOverTwice = messages.filter((m) => m.handoverAt && m.handoverAt.getTime() - m.createdAt.getTime() > 25_000).length;
    console.info(
      `[production] worker SIGKILL: messages=${messages.length} sent by the killed worker=${byVictim} by the other=${messages.length - byVictim} ` +
        `sent twice=${counts.filter((n) => n > 1).length} lost=${40 - messages.length} ` +
        `handed over 25 s or more after being written (stalled jobs taken over)=${handedOverTwice}`,
    );
    expect(
      counts.filter((n) => n !== 1),
      `sends per message: ${counts.join(',')}`,
    ).toEqual([]);
    await cluster.restart(victim);
  }, 240_000);

  it('shows the same live figures on both nodes', async () => {
    const [onA, onB] = [await staff(a, ['supervisor']), await staff(b, ['supervisor'])];
    const strip = (s: Record<string, unknown>) => ({ ...s, generatedAt: undefined, now: undefined, at: undefined });
    const [ra, rb] = await Promise.all([onA.client.get('/api/wallboard'), onB.client.get('/api/wallboard')]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(strip(ra.body)).toEqual(strip(rb.body));
  });
});

describe('the logs of every process after this run', () => {
  it('hold none of the callers’ numbers, names or message texts', async () => {
    const texters = Array.from({ length: 5 }, () => callerNumber());
    const texts = texters.map((_, i) => `Меня зовут Ольга Смирнова-${i}, мне 14, дома нечего есть`);
    for (const [i, from] of texters.entries()) {
      const res = await cluster.webhook(i % 2 ? a : b, '/twilio/sms', {
        MessageSid: `SM${String(i).padStart(32, 'f')}`,
        AccountSid: 'AC00000000000000000000000000000000',
        From: from,
        To: LINE,
        Body: texts[i]!,
        NumMedia: '0',
      });
      expect(res.status).toBe(200);
    }
    // Bodies are encrypted at rest, so the messages are found by their SIDs.
    const sids = texts.map((_, i) => `SM${String(i).padStart(32, 'f')}`);
    await until(async () => (await cluster.prisma.message.count({ where: { direction: 'inbound', messageSid: { in: sids } } })) === texts.length, 15_000);
    const outbound = await cluster.prisma.message.findMany({ where: { direction: 'outbound' }, select: { body: true } });
    // Every caller and texter of this file, as E.164 and as bare digits.
    const numbers = Array.from({ length: callerSeq - 100 }, (_, i) => `+7916${String(100 + i).padStart(7, '0')}`);
    const secrets = [...numbers, ...numbers.map((n) => n.slice(1)), 'Ольга Смирнова', ...texts, ...outbound.map((m) => m.body)];
    const leaks = cluster.nodes.flatMap((n) => {
      const log = n.logs();
      return secrets.filter((x) => log.includes(x)).map((x) => `${n.name}: ${x.slice(0, 12)}…`);
    });
    console.info(
      `[production] log check: ${cluster.nodes.length} processes, ${cluster.nodes.reduce((sum, n) => sum + n.logs().length, 0)} bytes of logs, ` +
        `${secrets.length} numbers and texts looked for, ${leaks.length} found`,
    );
    expect(leaks).toEqual([]);
  }, 60_000);
});

async function offersOf(dispatchIds: string[]) {
  return cluster.prisma.dispatchOffer.findMany({ where: { dispatchId: { in: dispatchIds } }, select: { id: true } });
}
