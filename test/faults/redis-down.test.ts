// Redis unreachable for 30 s (a TCP proxy in front of it is cut; the machine's Redis keeps
// running) while a server and a worker process run over it: calls still reach a person (fallback
// TwiML, never a 5xx), sign-in and API reads answer or say 503 (never 500), dispatches created in
// the outage send their provider SMS once Redis is back (the outbox), none twice, and the
// processes need no restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/crypto/passwords.js';
import { faultDeployment, sid, smsForm, ACCOUNT_SID } from '../helpers/fault-node.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { Client } from '../helpers/http.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { sleep, until } from '../helpers/telephony.js';

const LINE = '+74950000301';
const FALLBACK = '+74950009997';
const PASSWORD = 'correct horse battery staple';
const READS = [
  '/api/auth/me',
  '/api/dispatches/board',
  '/api/telephony/lines',
  '/api/telephony/callbacks',
  '/api/users',
  '/api/directory',
  '/api/cases',
  '/api/contacts',
];
const request = { referral: 'hospital', kind: 'food', district: 'Кировский район', urgency: 'today' } as const;

describe('Redis down for 30 s', () => {
  let dep: Awaited<ReturnType<typeof faultDeployment>>;
  let proxy: TcpProxy;
  let server: Awaited<ReturnType<typeof dep.start>>;
  let worker: Awaited<ReturnType<typeof dep.start>>;
  const username = `redisdown${Date.now().toString(36)}`;

  beforeAll(async () => {
    dep = await faultDeployment();
    await dep.prisma.line.create({ data: { number: LINE, name: 'Redis fault line', fallbackNumber: FALLBACK } });
    await dep.prisma.user.create({
      data: {
        username,
        displayName: 'Redis fault',
        passwordHash: await hashPassword(PASSWORD),
        roles: ['operator', 'coordinator', 'supervisor', 'admin', 'curator'],
      },
    });
    const redisUrl = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    const env = { TELEPHONY_FALLBACK_AFTER_MS: '1500' };
    server = await dep.start('server', { redisUrl: proxy.url(TEST_REDIS_URL), env });
    // The worker's PUBLIC_URL is the server's, so the Twilio stand-in's callbacks reach it.
    worker = await dep.start('worker', { redisUrl: proxy.url(TEST_REDIS_URL), port: server.port, env });
  });
  afterAll(async () => {
    proxy?.restore();
    await dep?.close();
    await proxy?.close();
  });

  it('answers calls with fallback TwiML, never 500s, and delivers the outage’s dispatches once when Redis is back', async () => {
    const staff = new Client(server.url);
    expect((await staff.login(username, PASSWORD)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    proxy.cut();
    const outageStart = Date.now();
    const voice: { sid: string; status: number; text: string; statusCallback?: number }[] = [];
    const logins: { status: number; text: string }[] = [];
    const reads: { path: string; status: number; text: string }[] = [];
    const dispatches: { status: number; id?: string; text: string }[] = [];
    const texts: { sid: string; status: number }[] = [];
    const readyDuring: number[] = [];
    while (Date.now() - outageStart < 30_000) {
      const callSid = sid('CA');
      const call = { sid: callSid, status: 0, text: '' } as (typeof voice)[number];
      voice.push(call);
      const from = `+7916000${String(voice.length).padStart(4, '0')}`;
      const res = await server
        .webhook('/twilio/voice', { AccountSid: ACCOUNT_SID, CallSid: callSid, From: from, To: LINE, CallStatus: 'ringing', Direction: 'inbound' })
        .catch(() => ({ status: -1, text: '' }));
      Object.assign(call, res);
      const messageSid = sid('SM');
      texts.push({
        sid: messageSid,
        status: (await server.webhook('/twilio/sms', smsForm(messageSid, from, LINE, 'in the outage')).catch(() => ({ status: -1 }))).status,
      });
      const login = await new Client(server.url).login(username, PASSWORD);
      logins.push({ status: login.status, text: login.text });
      for (const path of READS) {
        const r = await staff.get(path);
        reads.push({ path, status: r.status, text: r.text.slice(0, 200) });
      }
      const d = await staff.post('/api/dispatches', request);
      dispatches.push({ status: d.status, id: d.body?.id, text: d.text.slice(0, 200) });
      readyDuring.push((await fetch(`${server.url}/readyz`)).status);
      // The caller hangs up after the fallback call: Twilio reports it.
      call.statusCallback = (
        await server
          .webhook('/twilio/voice/status', {
            AccountSid: ACCOUNT_SID,
            CallSid: callSid,
            From: from,
            To: LINE,
            CallStatus: 'completed',
            CallDuration: '20',
            Direction: 'inbound',
          })
          .catch(() => ({ status: -1 }))
      ).status;
      await sleep(2_000);
    }
    proxy.restore();
    const restoredAt = Date.now();

    const readyAfterMs = await until(async () => ((await fetch(`${server.url}/readyz`)).status === 200 ? Date.now() - restoredAt : null), 30_000, 250);
    const created = dispatches.filter((d) => d.id);
    const offers = await dep.prisma.dispatchOffer.findMany({ where: { dispatchId: { in: created.map((d) => d.id!) } } });
    // Every outage dispatch's first offer is texted to its provider once Redis is back.
    const offerTexts = async () => {
      const rows = await dep.prisma.message.findMany({ where: { purpose: 'dispatch.offer', refId: { in: offers.map((o) => o.id) } }, select: { refId: true } });
      const per = new Map<string, number>();
      for (const r of rows) per.set(r.refId!, (per.get(r.refId!) ?? 0) + 1);
      return [...per].map(([refId, n]) => ({ refId, _count: n }));
    };
    const delivered = await until(
      async () => {
        const rows = await offerTexts();
        return rows.length >= offers.length ? rows : null;
      },
      60_000,
      500,
    ).catch(offerTexts);
    const deliveredAfterMs = Date.now() - restoredAt;
    await sleep(3_000); // a second relay or a retried job would show up by now
    const deliveredAgain = await offerTexts();
    const pendingOutbox = await dep.prisma.outbox.count({ where: { relayedAt: null } });
    const callRows = await dep.prisma.call.findMany({ where: { callSid: { in: voice.map((v) => v.sid) } }, select: { callSid: true, status: true } });
    const textRows = await until(
      async () => {
        const rows = await dep.prisma.message.findMany({ where: { messageSid: { in: texts.map((t) => t.sid) } }, select: { messageSid: true } });
        return rows.length >= texts.filter((t) => t.status === 200).length ? rows : null;
      },
      30_000,
      500,
    ).catch(() => []);

    const count = (xs: { status: number }[]) =>
      Object.entries(xs.reduce<Record<number, number>>((m, x) => ((m[x.status] = (m[x.status] ?? 0) + 1), m), {}))
        .map(([k, v]) => `${k}:${v}`)
        .join(',');
    process.stdout.write(
      `\n[fault:redis-down] outage=${restoredAt - outageStart}ms voice=${count(voice)} ` +
        `fallback=${voice.filter((v) => v.text.includes(FALLBACK) || v.text.includes('<Enqueue')).length} ` +
        `status-callbacks=${count(voice.map((v) => ({ status: v.statusCallback ?? 0 })))} calls-recorded=${callRows.length} ` +
        `sms=${count(texts)} sms-recorded=${textRows.length} ` +
        `login=${count(logins)} reads=${count(reads)} dispatches=${count(dispatches)} readyz-during=${count(readyDuring.map((status) => ({ status })))} ` +
        `offers=${offers.length} offer-sms-delivered=${delivered.length} (all by ${deliveredAfterMs}ms after) ` +
        `twice=${deliveredAgain.filter((r) => r._count > 1).length} outbox-pending=${pendingOutbox} ready-after=${readyAfterMs}ms\n`,
    );
    const bad = [
      ...reads.filter((r) => r.status >= 500 && r.status !== 503),
      ...logins.filter((l) => l.status >= 500 && l.status !== 503),
      ...dispatches.filter((d) => d.status >= 500 && d.status !== 503),
    ];
    if (bad.length) process.stdout.write(`[fault:redis-down] 5xx: ${JSON.stringify(bad.slice(0, 6))}\n`);
    const failed = new Set(
      (server.child.stdout() + server.child.stderr())
        .split('\n')
        .filter((l) => l.includes('"request failed"'))
        .map((l) => /"message":"([^"]*)"/.exec(l)?.[1] + ' @ ' + /"route":"([^"]*)"/.exec(l)?.[1]),
    );
    if (failed.size) process.stdout.write(`[fault:redis-down] causes: ${[...failed].join(' | ')}\n`);

    // (a) Calls reach a person: 200 with TwiML, never a 5xx.
    expect(voice.filter((v) => v.status !== 200)).toEqual([]);
    // Each answer is TwiML that reaches a person: the fallback, or — for a call that landed in the
    // instant before the server noticed the cut, when its work still succeeded — the usual greeting.
    const isFallback = (v: (typeof voice)[number]) => v.text.includes(FALLBACK) || v.text.includes('<Enqueue');
    expect(voice.filter((v) => !v.text.includes('<Response>') || !(isFallback(v) || v.text.includes('<Gather')))).toEqual([]);
    expect(voice.filter((v) => !isFallback(v)).length, 'calls not given the fallback during the outage').toBeLessThanOrEqual(1);
    // Each outage call is on record (from its status callback or at once) and ended.
    expect(voice.filter((v) => v.statusCallback !== 204)).toEqual([]);
    expect(callRows.filter((c) => c.status !== 'ended').length).toBe(0);
    expect(callRows.length).toBe(voice.length);
    // Inbound texts are answered 2xx and recorded.
    expect(texts.filter((t) => t.status !== 200)).toEqual([]);
    expect(textRows.length).toBe(texts.length);
    // (b) Sign-in and reads: an answer or a clear 503, never a 500.
    expect(logins.filter((l) => l.status !== 200 && l.status !== 503)).toEqual([]);
    for (const l of logins.filter((x) => x.status === 503)) expect(JSON.parse(l.text).message).toMatch(/unavailable|try again/i);
    expect(reads.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(dispatches.filter((d) => d.status !== 201 && d.status !== 503)).toEqual([]);
    expect(readyDuring.every((s) => s === 503)).toBe(true);
    // (c) Dispatches made in the outage are texted to their providers once Redis is back, once each.
    expect(created.length).toBeGreaterThan(0);
    expect(offers.length).toBe(created.length);
    expect(delivered.length).toBe(offers.length);
    expect(deliveredAgain.filter((r) => r._count !== 1)).toEqual([]);
    expect(pendingOutbox).toBe(0);
    // No restart: both processes are the ones started before the outage.
    expect(server.child.proc.exitCode).toBeNull();
    expect(worker.child.proc.exitCode).toBeNull();
    expect(readyAfterMs).toBeLessThan(15_000);
  });
});
