// Operators' presence across processes, and the maintenance jobs that keep presence and sessions
// tidy, run by real BullMQ workers.
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEntry } from '@trustline/shared';
import { startWorkers } from '../../server/src/worker-runner.js';
import { makeUser, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, disconnected, nextEvent, type ClientSocket } from '../helpers/socket.js';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startTestServer({ workers: true });
  if (a.config.database.kind !== 'postgres') throw new Error('expected PostgreSQL');
  b = await startTestServer({ share: { databaseUrl: a.config.database.url, prefix: a.config.redisPrefix } });
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const list = (socket: ClientSocket) =>
  new Promise<PresenceEntry[]>((resolve, reject) => socket.emit('presence:list', {}, (res) => (res.ok ? resolve(res.data) : reject(new Error(res.code)))));

describe('presence across two instances', () => {
  it('tells watchers when an operator comes online on one instance and goes offline from both', async () => {
    const watcher = await signedIn(a.url, a.services, ['supervisor']);
    const watcherSocket = await connectSocket(a.url, watcher.client.cookieHeader);
    const operator = await signedIn(b.url, b.services, ['operator']);
    const isOperator = (e: PresenceEntry) => e.userId === operator.user.id;

    const online = nextEvent(watcherSocket, 'presence:changed', isOperator);
    const onB = await connectSocket(b.url, operator.client.cookieHeader);
    expect(await online).toMatchObject({ userId: operator.user.id, online: true });
    expect((await list(watcherSocket)).filter(isOperator)).toEqual([expect.objectContaining({ online: true })]);

    // A second console on the other instance: closing the first does not make them offline.
    const onA = await connectSocket(a.url, operator.client.cookieHeader);
    const early = nextEvent(watcherSocket, 'presence:changed', isOperator, 1_000).then(
      () => 'changed',
      () => 'quiet',
    );
    onB.close();
    expect(await early).toBe('quiet');
    expect(await a.services.presence.isOnline(operator.user.id)).toBe(true);

    const offline = nextEvent(watcherSocket, 'presence:changed', isOperator);
    onA.close();
    expect(await offline).toMatchObject({ userId: operator.user.id, online: false });
    expect((await list(watcherSocket)).filter(isOperator)).toEqual([]);
  });

  it('presence:list answers the operator list to staff and validates its payload', async () => {
    const op = await signedIn(a.url, a.services, ['operator']);
    const socket = await connectSocket(a.url, op.client.cookieHeader);
    expect((await list(socket)).map((e) => e.userId)).toContain(op.user.id);
    const bad = await new Promise<{ ok: boolean; code?: string }>((resolve) =>
      socket.emit('presence:list', { extra: 1 } as never, (res) => resolve(res as never)),
    );
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it('the presence.reconcile job drops an entry whose sockets are gone (a crashed process)', async () => {
    const watcher = await signedIn(a.url, a.services, ['admin']);
    const socket = await connectSocket(a.url, watcher.client.cookieHeader);
    const ghost = randomUUID();
    await a.services.infra.redis.hset(`${a.config.redisPrefix}:presence`, ghost, new Date().toISOString());
    expect(await a.services.presence.isOnline(ghost)).toBe(true);

    const dropped = nextEvent(socket, 'presence:changed', (e) => e.userId === ghost, 10_000);
    await a.services.infra.queues.maintenance.add('presence.reconcile', {}, { jobId: `reconcile-${randomBytes(4).toString('hex')}` });
    expect(await dropped).toMatchObject({ userId: ghost, online: false });
    expect(await a.services.presence.isOnline(ghost)).toBe(false);
    // The people really online stay online.
    expect(await a.services.presence.isOnline(watcher.user.id)).toBe(true);
  });

  it('a console whose session ends is disconnected and goes offline', async () => {
    const op = await signedIn(b.url, b.services, ['operator']);
    const socket = await connectSocket(b.url, op.client.cookieHeader);
    const gone = disconnected(socket);
    expect((await op.client.post('/api/auth/logout')).status).toBe(204);
    await gone;
    for (let i = 0; i < 30 && (await b.services.presence.isOnline(op.user.id)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await b.services.presence.isOnline(op.user.id)).toBe(false);
  });
});

describe('maintenance job scheduler', () => {
  it('runs sessions.purge-expired through a real BullMQ worker: expired sessions go, live ones stay', async () => {
    const server = await startTestServer();
    const log = pino({ level: 'silent' });
    let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
    try {
      const { prisma } = server.services.infra.db;
      const user = await makeUser(server.services, ['operator']);
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 3_600_000);
      await prisma.session.createMany({
        data: [
          { id: 'e'.repeat(64), userId: user.id, expiresAt: past },
          { id: 'f'.repeat(64), userId: user.id, expiresAt: future },
        ],
      });

      // Starting the workers upserts the job schedulers; their first run comes at once.
      workers = await startWorkers(server.services, log);
      const schedulers = await server.services.infra.queues.maintenance.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(['jobs-revive-failed', 'presence-reconcile', 'sessions-end-idle', 'sessions-purge-expired']);
      for (let i = 0; i < 100 && (await prisma.session.count({ where: { id: 'e'.repeat(64) } })) > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await prisma.session.findMany({ where: { userId: user.id }, select: { id: true } })).toEqual([{ id: 'f'.repeat(64) }]);
      const completed = await server.services.infra.queues.maintenance.getCompleted();
      expect(completed.find((j) => j.name === 'sessions.purge-expired')?.returnvalue).toEqual({ purged: 1 });
    } finally {
      await workers?.close();
      await server.close();
    }
  });
});
