// Invariant 3, "no dispatch lost", at the real boundaries:
//   - Redis is down while a dispatch is created: the API still answers (the change and its jobs
//     are in PostgreSQL), and once Redis is back the outbox sweep relays the jobs and the
//     provider's SMS goes out, once;
//   - a worker process is SIGKILLed mid-job and another is started: every offer SMS is handed to
//     telephony exactly once, and deadlines set before the kill fire on time in the new process.
// Both use their own processes: our own redis-server on a spare port (never the machine's), and
// real worker processes started with tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { cleanEnv, startEntry, type Child } from '../helpers/process.js';
import { signedIn } from '../helpers/http.js';
import { freePort, startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';
import { sleep, until } from '../helpers/telephony.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function redisServer(port: number, dir: string): { proc: ChildProcess; stop(): Promise<void> } {
  // Append-only, as in docker-compose: job schedulers and delayed jobs survive a restart.
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  return {
    proc,
    stop: () =>
      new Promise<void>((res) => {
        if (proc.exitCode !== null) return res();
        proc.once('exit', () => res());
        proc.kill('SIGTERM');
      }),
  };
}

const request = { referral: 'hospital', kind: 'food', district: 'Кировский район', urgency: 'today' } as const;

describe('outbox with Redis down', () => {
  it('creates the dispatch while Redis is stopped, and sends the SMS once when it is back', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'tl-redis-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let redis = redisServer(port, dir);
    cleanups.push(() => redis.stop());
    await sleep(300);
    const server: TestServer = await startTestServer({ workers: true, redisUrl: `redis://127.0.0.1:${port}` });
    cleanups.push(() => server.close());
    const { client } = await signedIn(server.url, server.services, ['coordinator']);
    const prisma = server.services.infra.db.prisma;

    await redis.stop();
    const res = await client.post('/api/dispatches', request);
    expect(res.status).toBe(201);
    const offer = await prisma.dispatchOffer.findFirstOrThrow({ where: { dispatchId: res.body.id } });
    await sleep(1_000);
    expect(await prisma.outbox.count({ where: { relayedAt: null, jobId: `offer-sms-${offer.id}` } })).toBe(1);
    expect(await prisma.message.count({ where: { refId: offer.id } })).toBe(0);

    redis = redisServer(port, dir);
    const sent = await until(async () => (await prisma.message.count({ where: { purpose: 'dispatch.offer', refId: offer.id } })) > 0, 20_000, 100);
    expect(sent).toBe(true);
    expect(await prisma.outbox.count({ where: { relayedAt: null } })).toBe(0);
    // A second relay of the same rows, and the sweep running again, send nothing more.
    await prisma.outbox.updateMany({ data: { relayedAt: null } });
    await server.services.outbox.drain();
    await sleep(1_500);
    expect(await prisma.message.count({ where: { purpose: 'dispatch.offer', refId: offer.id } })).toBe(1);
  }, 60_000);
});

describe('a worker process killed mid-job', () => {
  it('loses nothing and sends nothing twice; deadlines fire on time in the next worker', async () => {
    const ack = { DISPATCH_ACK_TODAY_SECONDS: '600', DISPATCH_ACK_NOW_SECONDS: '60' };
    const server = await startTestServer({ workers: false, env: ack });
    cleanups.push(() => server.close());
    const prisma = server.services.infra.db.prisma;
    const env = cleanEnv({
      DATABASE_URL: (server.config.database as { url: string }).url,
      REDIS_URL: server.config.redisUrl,
      REDIS_PREFIX: server.config.redisPrefix,
      APP_SECRET: TEST_APP_SECRET,
      DATA_DIR: server.config.dataDir,
      PUBLIC_URL: server.config.publicUrl,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'info',
      ...ack,
    });
    const workers: Child[] = [];
    cleanups.push(() => workers.forEach((w) => w.proc.exitCode === null && w.proc.kill('SIGKILL')));
    const N = 60;
    const created: { id: string }[] = [];
    for (let i = 0; i < N; i += 5)
      created.push(...(await Promise.all(Array.from({ length: 5 }, () => server.services.dispatch.create({ ...request }, systemActor('test'))))));
    // Five more whose offers lapse in 60 s: their deadlines are set now and must fire in the next worker.
    const urgent = await Promise.all(Array.from({ length: 5 }, () => server.services.dispatch.create({ ...request, urgency: 'now' }, systemActor('test'))));
    // The jobs wait in Redis; the first worker starts on them and is killed part-way through.
    const first = startEntry('server/src/worker.ts', [], env);
    workers.push(first);
    await until(async () => (await prisma.dispatchEvent.count({ where: { type: 'sms_queued' } })) > 0, 20_000, 5);
    first.proc.kill('SIGKILL');
    await first.exited;
    const doneAtKill = await prisma.dispatchOffer.count({ where: { dispatchId: { in: created.map((c) => c.id) }, smsStatus: { not: 'queued' } } });

    const second = startEntry('server/src/worker.ts', [], env);
    workers.push(second);
    await second.waitFor(/workers started/, 60_000);
    const secondReadyAt = Date.now();

    const ids = created.map((c) => c.id);
    // Every offer SMS is handed over (stalled jobs come back once BullMQ's lock on them expires).
    await until(async () => (await prisma.dispatchOffer.count({ where: { dispatchId: { in: ids }, smsStatus: 'queued' } })) === 0, 90_000, 250);
    const offers = await prisma.dispatchOffer.findMany({ where: { dispatchId: { in: ids } } });
    expect(offers).toHaveLength(N);
    const messages = await prisma.message.groupBy({
      by: ['refId'],
      where: { purpose: 'dispatch.offer', refId: { in: offers.map((o) => o.id) } },
      _count: true,
    });
    expect(messages).toHaveLength(N);
    expect(messages.filter((m) => m._count !== 1)).toEqual([]);
    expect(doneAtKill).toBeLessThan(N);

    // The urgent offers' deadlines were set before the kill; they lapse in the new worker, on time.
    const urgentIds = urgent.map((u) => u.id);
    const expired = await until(
      async () => {
        const rows = await prisma.dispatchEvent.findMany({ where: { dispatchId: { in: urgentIds }, type: 'expired' }, orderBy: { at: 'asc' } });
        return new Set(rows.map((r) => r.dispatchId)).size === urgentIds.length ? rows : null;
      },
      60_000,
      100,
    );
    const firstOffers = await prisma.dispatchOffer.findMany({ where: { dispatchId: { in: urgentIds }, rank: 1 } });
    const byOffer = new Map(firstOffers.map((o) => [o.dispatchId, o.deadline.getTime()]));
    const firstExpiry = new Map<string, number>();
    for (const e of expired) if (!firstExpiry.has(e.dispatchId)) firstExpiry.set(e.dispatchId, e.at.getTime());
    const late = [...firstExpiry].map(([id, at]) => at - byOffer.get(id)!).filter((ms) => ms > 1_000 || ms < 0);
    // The point is a deadline set before the restart: the new worker was up before it fell due.
    expect(secondReadyAt, 'the second worker started after the deadlines fell due').toBeLessThan(Math.min(...byOffer.values()));
    expect(late, `lateness of each first expiry (ms): ${[...firstExpiry].map(([id, at]) => at - byOffer.get(id)!).join(', ')}`).toEqual([]);
  }, 180_000);
});
