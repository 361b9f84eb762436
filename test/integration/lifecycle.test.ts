// The real entry files as processes: `npm run server` shuts down gracefully on SIGTERM, a bad
// setting stops it with a message, `npm run worker` stops cleanly, and `npm start` runs on
// embedded defaults (PGlite and its own redis-server) and prints a setup link that works.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/crypto/passwords.js';
import { openDatabase } from '../../server/src/db/database.js';
import { createTestDatabase } from '../helpers/database.js';
import { Client, nextTotpCode, TEST_PASSWORD, totpSecrets } from '../helpers/http.js';
import { closeAllSockets, connectSocket } from '../helpers/socket.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { cleanEnv, runEntry, startEntry, type Child } from '../helpers/process.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from '../helpers/runtime.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const prefix = `t${randomBytes(5).toString('hex')}`;
const dirs: string[] = [];
const children: Child[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tl-life-'));
  dirs.push(d);
  return d;
};
const start = (file: string, env: NodeJS.ProcessEnv) => {
  const c = startEntry(file, [], env);
  children.push(c);
  return c;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  closeAllSockets();
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await db?.drop();
  await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const serverEnv = (port: number, extra: Record<string, string> = {}) =>
  cleanEnv({
    PORT: String(port),
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    APP_SECRET: TEST_APP_SECRET,
    DATA_DIR: tempDir(),
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
    ...extra,
  });

/** Direct children of a process, from /proc (field 4 of /proc/<pid>/stat is the parent). */
const childPids = (parent: number) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          readFileSync(`/proc/${d}/stat`, 'utf8')
            .replace(/^.*\) /, '')
            .split(' ')[1] === String(parent)
        );
      } catch {
        return false;
      }
    })
    .map(Number);

const isRedisServer = (pid: number) => {
  try {
    // A zombie (state Z) has exited; only its parent has yet to collect it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.includes('(redis-server)') && stat.replace(/^.*\) /, '')[0] !== 'Z';
  } catch {
    return false;
  }
};

const refused = (url: string) =>
  fetch(url).then(
    () => false,
    (err: { cause?: { code?: string } }) => err.cause?.code === 'ECONNREFUSED',
  );

/** A request whose body arrives slowly: it is in flight while the server is told to stop. */
function slowLogin(port: number) {
  const body = JSON.stringify({ username: 'nobody-at-all', password: 'not the password' });
  let sendRest!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    sendRest = () => req.end(body.slice(10));
  });
  return { response, sendRest: () => sendRest() };
}

describe('npm run server', () => {
  it('on SIGTERM finishes the request in flight, drops live consoles so they reconnect elsewhere, exits 0 and stops listening', async () => {
    const port = await freePort();
    // Generous for a busy machine; an open socket or keep-alive connection would hold the close
    // for good, so exit 0 still proves neither does.
    const server = start('server/src/server.ts', serverEnv(port, { SHUTDOWN_GRACE_MS: '30000' }));
    await server.waitFor(/Trust line console: /, 60_000);
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // A console signed in with a live socket.
    const database = await openDatabase({ kind: 'postgres', url: db.url });
    await database.prisma.user.create({
      data: { username: 'console-user', displayName: 'C', passwordHash: await hashPassword(TEST_PASSWORD), roles: ['operator'] },
    });
    await database.close();
    const consoleClient = new Client(url);
    expect((await consoleClient.login('console-user', TEST_PASSWORD)).status).toBe(200);
    const socket = await connectSocket(url, consoleClient.cookieHeader);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    const inFlight = slowLogin(port);
    await new Promise((r) => setTimeout(r, 200));
    server.proc.kill('SIGTERM');
    await server.waitFor(/shutting down/);
    await new Promise((r) => setTimeout(r, 300));
    // Still shutting down: the request in flight holds it open and gets its real answer.
    expect(server.proc.exitCode).toBeNull();
    inFlight.sendRest();
    const res = await inFlight.response;
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).code).toBe('LOGIN_FAILED');

    expect(await server.exited, server.stdout()).toBe(0);
    // A dropped transport, not a sign-out: the console reconnects on its own and recovers.
    expect(await dropped).toBe('transport close');
    expect(await refused(`${url}/healthz`)).toBe(true);
  }, 90_000);

  it('exits 1 naming the variable when a setting is bad', async () => {
    const res = await runEntry('server/src/server.ts', [], serverEnv(0, { PORT: 'abc' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Invalid configuration');
    expect(res.stderr).toContain('PORT="abc"');
    expect(res.stderr).toContain('.env.example');
  }, 60_000);
});

describe('npm run worker', () => {
  it('runs the workers without HTTP and stops cleanly on SIGTERM', async () => {
    const worker = start('server/src/worker.ts', serverEnv(0));
    await worker.waitFor(/workers started/, 60_000);
    worker.proc.kill('SIGTERM');
    await worker.waitFor(/shutting down/);
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).not.toMatch(/shutdown took too long|shutdown failed/);
  }, 90_000);
});

describe('npm start on embedded defaults', () => {
  it('runs on PGlite and its own redis-server, prints the URL and a setup link that makes the first admin, and stops both', async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const app = start('server/src/start.ts', cleanEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' }));
    await app.waitFor(/Trust line console: http:\/\/localhost:\d+/, 90_000);
    const [, token] = await app.waitFor(/#\/setup\?token=([\w-]+)/);
    expect(app.stdout()).toMatch(/"database":"pglite".*"redis":"embedded"|"redis":"embedded".*"database":"pglite"/);

    const redisPid = childPids(app.proc.pid!).find(isRedisServer)!;
    expect(redisPid).toBeGreaterThan(0);

    const url = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${url}/api/setup`)).json()).toEqual({ needsSetup: true });
    // The first admin is made, then (admins must use two-factor) sets up the authenticator app
    // before the sign-in completes.
    const admin = new Client(url);
    const made = await admin.post('/api/setup', { token, username: 'first-admin', displayName: 'First Admin', password: 'first admin passphrase' });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ next: 'enrol' });
    const enrol = await admin.post('/api/auth/login/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.qrDataUrl).toMatch(/^data:image\/svg\+xml/);
    totpSecrets.set('first-admin', enrol.body.secret);
    const confirmed = await admin.post('/api/auth/login/enrol/confirm', { code: await nextTotpCode('first-admin') });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user).toMatchObject({ username: 'first-admin', roles: ['admin'] });
    expect(confirmed.body.recoveryCodes.length).toBeGreaterThan(0);
    // The link is one-time.
    const again = await fetch(`${url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, username: 'second-admin', displayName: 'Second', password: 'second admin passphrase' }),
    });
    expect(again.status).toBe(409);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    app.proc.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(isRedisServer(redisPid), 'the embedded redis-server outlived npm start').toBe(false);
    const redisDir = join(dataDir, 'redis');
    const aof = existsSync(join(redisDir, 'appendonlydir')) || readdirSync(redisDir).some((f) => f.endsWith('.aof'));
    expect(aof).toBe(true);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
    expect(existsSync(join(dataDir, 'app-secret'))).toBe(true);
  }, 120_000);

  it('a SIGTERM while it is still starting lets start-up finish, then stops cleanly with its redis-server', async () => {
    // The grace period bounds start-up and shutdown together; PGlite's first start is slow on a busy machine.
    const env = cleanEnv({ PORT: String(await freePort()), DATA_DIR: tempDir(), LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '90000' });
    const app = start('server/src/start.ts', env);
    await app.waitFor(/"msg":"starting"/, 90_000);
    const redisPid = childPids(app.proc.pid!).find(isRedisServer)!;
    expect(redisPid).toBeGreaterThan(0);
    // PGlite is still opening and migrating.
    app.proc.kill('SIGTERM');
    expect(await app.exited, app.stdout()).toBe(0);
    expect(app.stdout()).toMatch(/shutting down/);
    expect(isRedisServer(redisPid), 'the embedded redis-server outlived npm start').toBe(false);
  }, 120_000);

  it('exits 1 with how to get redis-server when none can be found', async () => {
    const res = await runEntry('server/src/start.ts', [], cleanEnv({ DATA_DIR: tempDir(), REDIS_SERVER_BIN: '/nonexistent/redis-server' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('apt-get install redis-server');
    expect(res.stderr).toContain('brew install redis');
    expect(res.stderr).toContain('docker compose');
  }, 60_000);
});
