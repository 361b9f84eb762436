// /healthz answers while the process lives; /readyz answers 200 only when the database and Redis
// both answer, and otherwise 503 naming the part that failed. Redis is stopped on a redis-server
// of this test's own (never the machine's); the database is made unreachable by refusing
// connections to this test's own database.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { freePort, startTestServer, type TestServer } from '../helpers/runtime.js';

let redisPort: number;
let redis: ChildProcess | undefined;

async function startRedis() {
  const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redis = child;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(redisPort, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopRedis() {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json() };
};

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('/readyz with Redis stopped', () => {
  let server: TestServer;
  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    server = await startTestServer({ redisUrl: `redis://127.0.0.1:${redisPort}` });
  });
  afterAll(async () => {
    if (!redis) await startRedis().catch(() => {});
    await server?.close();
    await stopRedis();
  });

  it('answers 200 while both answer, 503 naming redis when it stops, and 200 again when it is back', async () => {
    expect(await readyz(server.url)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });

    await stopRedis();
    const down = await eventually(
      () => readyz(server.url),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', failed: ['redis'], checks: { database: 'ok', redis: 'unreachable' } });
    // The process itself is alive.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await startRedis();
    const back = await eventually(
      () => readyz(server.url),
      (r) => r.status === 200,
    );
    expect(back.status).toBe(200);
  });
});

describe('/readyz with the database unreachable', () => {
  let server: TestServer;
  let admin: pg.Client;
  let dbName: string;
  beforeAll(async () => {
    server = await startTestServer();
    dbName = new URL(server.config.database.kind === 'postgres' ? server.config.database.url : '').pathname.slice(1);
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => {});
    await admin.end();
    await server?.close();
  });

  it('answers 503 naming the database while it refuses connections, and 200 once it accepts them again', async () => {
    expect((await readyz(server.url)).status).toBe(200);
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);

    const down = await eventually(
      () => readyz(server.url),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', failed: ['database'], checks: { database: 'unreachable', redis: 'ok' } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    expect(
      (
        await eventually(
          () => readyz(server.url),
          (r) => r.status === 200,
        )
      ).status,
    ).toBe(200);
  });
});
