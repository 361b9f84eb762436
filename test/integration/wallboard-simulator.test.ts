// A scripted stretch of a day through telephony's own simulator (signed webhooks, real queue,
// real operators' sockets and wrap-up jobs): the wallboard's live figures, built only from the
// domain events telephony emitted, equal the figures recomputed from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { view } from '../../server/src/modules/wallboard/view.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember, until } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    workers: true,
    env: { TELEPHONY_OFFER_TIMEOUT_SECONDS: '30', TELEPHONY_NO_ANSWER_SECONDS: '60', TELEPHONY_WRAP_UP_SECONDS: '1' },
  });
  await makeLine(server);
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
let phone = 500;
const place = async () => {
  const res = await callerFor(server).placeCall({ from: `+7916${String(phone++).padStart(7, '0')}`, to: LINE_NUMBER, digits: '' });
  expect(res.status).toBe(200);
  return { sid: res.callSid, call: await prisma().call.findUniqueOrThrow({ where: { callSid: res.callSid } }) };
};

describe('wallboard over the telephony simulator', () => {
  it('shows what happened, and equals the database recomputation', async () => {
    await server.services.wallboard.reset();
    const a = await staffMember(server, ['operator'], { available: true });
    const b = await staffMember(server, ['operator'], { available: true });

    // 1: answered by whoever it rings first, talked, hung up; wrap-up ends on its timer.
    const ring1 = Promise.race([nextEvent(a.socket, 'call:offered'), nextEvent(b.socket, 'call:offered')]);
    const c1 = await place();
    await ring1;
    const first = (await a.cmd('call:accept', { callId: c1.call.id })).ok ? a : b;
    if (first === b) expect((await b.cmd('call:accept', { callId: c1.call.id })).ok).toBe(true);
    await first.cmd('call:hangup', { callId: c1.call.id });
    await until(async () => (await prisma().operatorState.findUniqueOrThrow({ where: { userId: first.user.id } })).state === 'available', 5_000);

    // 2: the caller gives up while waiting.
    const c2 = await place();
    await callerFor(server).hangup(c2.sid);
    await until(async () => (await prisma().call.findUniqueOrThrow({ where: { id: c2.call.id } })).status === 'ended');

    // 3: answered and still talking; 4: waiting.
    const c3 = await place();
    expect((await b.cmd('call:accept', { callId: c3.call.id })).ok || (await a.cmd('call:accept', { callId: c3.call.id })).ok).toBe(true);
    const c4 = await place();

    // An SMS waiting for its first reply.
    await callerFor(server).sendSms({ from: '+79160009999', to: LINE_NUMBER, body: 'Здравствуйте, мне нужна помощь', messageSid: `SM${Date.now()}w` });

    const live = await until(async () => {
      const s = await server.services.wallboard.snapshot();
      return s.calls.answered === 2 && s.calls.abandoned === 1 && s.calls.waiting === 1 && s.sms.waiting === 1 && s;
    });
    expect(live.calls.waitingCalls[0]!.callId).toBe(c4.call.id);
    expect(live.calls.offered).toBe(4);

    const recomputed = await server.services.wallboard.recompute();
    const cfg = server.config;
    const fromDb = view(
      recomputed,
      Date.parse(live.at),
      { timezone: cfg.timezone, ...cfg.wallboard },
      Object.fromEntries(live.operators.map((o) => [o.userId, o.name])),
    );
    expect(fromDb.calls).toEqual(live.calls);
    expect(fromDb.sms).toEqual(live.sms);
    expect(fromDb.operators).toEqual(live.operators);
    expect(fromDb.charts).toEqual(live.charts);
    await callerFor(server)
      .hangup(c4.sid)
      .catch(() => {});
    await callerFor(server)
      .hangup(c3.sid)
      .catch(() => {});
  });

  it('repairs drift through the scheduled reconcile job on a real worker', async () => {
    const before = (await server.services.wallboard.snapshot()).calls.waiting;
    // A call the wallboard never heard of (its event was lost).
    await prisma().$executeRawUnsafe(
      `INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "receivedAt", "queuedAt", "updatedAt")
       VALUES (gen_random_uuid(), 'CAlostjob', 'h', 's', 'queued', now(), now(), now())`,
    );
    const queue = server.services.infra.queues.live;
    const job = await queue.add('live.reconcile', {});
    await until(async () => ['completed', 'failed'].includes(await job.getState()) && (await job.getState()), 10_000);
    expect(await job.getState()).toBe('completed');
    expect((await server.services.wallboard.snapshot()).calls.waiting).toBe(before + 1);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain('live-reconcile');
  });
});
