// A real server for a test file: its own PostgreSQL database, its own Redis key prefix, the real
// app listening on port 0, and optionally the real BullMQ workers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { buildApp, type BuildAppOptions } from '../../server/src/app.js';
import { createRuntime, type Runtime } from '../../server/src/bootstrap.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import type { Services } from '../../server/src/services.js';
import { startWorkers, type WorkerRunner } from '../../server/src/worker-runner.js';
import { createTestDatabase } from './database.js';
import { TEST_REDIS_URL } from './env.js';

export const TEST_APP_SECRET = 'test-app-secret-that-is-long-enough-0123456789';

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  config: Config;
  url: string;
  runtime: Runtime;
  workers?: WorkerRunner;
  close(): Promise<void>;
}

export interface TestServerOptions extends Omit<BuildAppOptions, 'services'> {
  workers?: boolean;
  env?: Record<string, string>;
  /** Share a database and prefix with another test server (two nodes of one deployment). */
  share?: { databaseUrl: string; prefix: string };
  redisUrl?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function deletePrefix(redisUrl: string, prefix: string) {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** The socket.io Redis Streams adapter subscribes in the background and does not handle a
 * connection closed under a pending SUBSCRIBE; closing a runtime milliseconds after creating it
 * would leave an unhandled rejection. Waits (at most 3 s) until the subscription is in place. */
async function adapterSubscribed(runtime: Runtime, prefix: string) {
  const channel = `${prefix}:socket.io#/#`;
  for (let i = 0; i < 60; i++) {
    const reply = (await runtime.services.infra.redis.pubsub('NUMSUB', channel).catch(() => [channel, 0])) as [string, number];
    if (Number(reply[1]) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const db = opts.share ? undefined : await createTestDatabase();
  const prefix = opts.share?.prefix ?? `t${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tl-test-'));
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  // The port is chosen first so that PUBLIC_URL (the origin the server accepts changes from and
  // signs links with) is the real one.
  const port = opts.env?.PORT ? Number(opts.env.PORT) : await freePort();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: opts.share?.databaseUrl ?? db!.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    APP_SECRET: TEST_APP_SECRET,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MIGRATE_ON_START: 'false',
    ...opts.env,
  });
  const log = pino({ level: config.log.level });
  const runtime = await createRuntime(config, log, { migrate: false });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({ services: runtime.services, extraRoutes: opts.extraRoutes, extraCommands: opts.extraCommands });
    await app.listen({ port: config.port, host: '127.0.0.1' });
  } catch (err) {
    // A server that refuses to start (a test of exactly that) must not leave its stores behind.
    await app?.close().catch(() => {});
    await adapterSubscribed(runtime, prefix);
    await runtime.close();
    if (!opts.share) {
      await deletePrefix(redisUrl, prefix).catch(() => {});
      await db?.drop();
    }
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = config.publicUrl;
  const workers = opts.workers ? await startWorkers(runtime.services, log) : undefined;
  return {
    app: app!,
    services: runtime.services,
    config,
    url,
    runtime,
    workers,
    async close() {
      await app!.close();
      await workers?.close();
      await runtime.close();
      if (!opts.share) {
        await deletePrefix(redisUrl, prefix).catch(() => {});
        await db?.drop();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
