import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { Client, makeUser, TEST_PASSWORD } from '../helpers/http.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { cleanEnv, runEntry, startEntry, type Child } from '../helpers/process.js';
import { deletePrefix, freePort, startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';

const CLI = 'server/src/cli/user-create.ts';
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: TestServer;
let dataDir: string;
const prefix = `t${randomBytes(5).toString('hex')}`;

const cli = (args: string[], input?: string) =>
  runEntry(CLI, args, cleanEnv({ DATABASE_URL: db.url, DATA_DIR: dataDir, APP_SECRET: TEST_APP_SECRET, MIGRATE_ON_START: 'false' }), input);

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
  server = await startTestServer({ share: { databaseUrl: db.url, prefix } });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each case starts Node and tsx afresh, which is slow on a busy two-core machine.
const SLOW = 120_000;

describe('npm run user:reset-totp', () => {
  it('clears a user’s two-factor from the shell (the only admin lost their phone), audited; unknown names exit 1', { timeout: SLOW }, async () => {
    const user = await makeUser(server.services, ['admin'], 'lost.phone');
    expect((await server.services.auth.security(user.id)).totpEnabled).toBe(true);
    const env = cleanEnv({ DATABASE_URL: db.url, DATA_DIR: dataDir, APP_SECRET: TEST_APP_SECRET, MIGRATE_ON_START: 'false' });
    const res = await runEntry('server/src/cli/user-reset-totp.ts', ['--username', 'lost.phone'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Two-factor sign-in of lost\.phone is reset/);
    expect((await server.services.auth.security(user.id)).totpEnabled).toBe(false);
    const [entry] = await server.services.infra.db.prisma.auditLog.findMany({ where: { action: 'auth.totp.reset', entityId: user.id } });
    expect(entry!.actorLabel).toBe('system:cli');
    expect((await new Client(server.url).login('lost.phone', TEST_PASSWORD, { raw: true })).body).toEqual({ next: 'enrol' });
    const unknown = await runEntry('server/src/cli/user-reset-totp.ts', ['--username', 'nobody.here'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No user "nobody.here"/);
  });
});

describe('npm run user:create', () => {
  it(
    'makes an admin from --password who can sign in and create an operator, audited as the system',
    async () => {
      const res = await cli(['--username', 'First.Admin', '--role', 'admin', '--display-name', 'First Admin', '--password', 'a long enough passphrase']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/Created first\.admin \(admin\)/);
      expect(res.stdout).toMatch(/Two-factor sign-in is required for admin: at the first sign-in the console shows a QR code/);

      const client = new Client(server.url);
      const login = await client.login('first.admin', 'a long enough passphrase');
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ username: 'first.admin', displayName: 'First Admin', roles: ['admin'] });
      const made = await client.post('/api/users', { username: 'op-from-cli-admin', displayName: 'Op', password: 'another passphrase', roles: ['operator'] });
      expect(made.status).toBe(201);

      const audit = await server.services.infra.db.prisma.auditLog.findFirst({ where: { action: 'user.create', entityId: login.body.user.id } });
      expect(audit).toMatchObject({ actorId: null, actorLabel: 'system:cli', detail: { roles: ['admin'] } });
      expect(JSON.stringify(audit?.detail)).not.toContain('passphrase');
    },
    SLOW,
  );

  it(
    'reads the password from standard input and takes several roles',
    async () => {
      const res = await cli(['--username', 'piped', '--role', 'operator', '--role', 'supervisor'], 'piped in passphrase\n');
      expect(res.code).toBe(0);
      expect((await new Client(server.url).login('piped', 'piped in passphrase')).body.user.roles.sort()).toEqual(['operator', 'supervisor']);
    },
    SLOW,
  );

  it(
    'refuses a taken username with exit code 1, naming --username',
    async () => {
      const res = await cli(['--username', 'piped', '--role', 'admin', '--password', 'a long enough passphrase']);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/--username: .*already taken/);
    },
    SLOW,
  );

  it(
    'refuses bad input with exit code 2, naming the option, and creates nothing',
    async () => {
      const before = await server.services.infra.db.prisma.user.count();
      const badRole = await cli(['--username', 'someone', '--role', 'root', '--password', 'a long enough passphrase']);
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toMatch(/--role/);
      const shortPassword = await cli(['--username', 'someone', '--role', 'admin'], 'short\n');
      expect(shortPassword.code).toBe(2);
      expect(shortPassword.stderr).toMatch(/--password: password must be at least 10 characters/);
      const noRole = await cli(['--username', 'someone', '--password', 'a long enough passphrase']);
      expect(noRole.code).toBe(2);
      expect(noRole.stderr).toMatch(/--role is required/);
      const unknownOption = await cli(['--user', 'someone']);
      expect(unknownOption.code).toBe(2);
      expect(unknownOption.stderr).toMatch(/Usage:/);
      expect(await server.services.infra.db.prisma.user.count()).toBe(before);
    },
    SLOW,
  );
});

describe('npm run user:create on the embedded database', () => {
  // PGlite serves one process: beside a running server the CLI used to print "Created" for an
  // account that then could not sign in.
  const embeddedDir = mkdtempSync(join(tmpdir(), 'tl-cli-embedded-'));
  const embeddedPrefix = `t${randomBytes(5).toString('hex')}`;
  const lockFile = join(embeddedDir, 'pglite.lock');
  const servers: Child[] = [];
  const embeddedCli = (args: string[]) => runEntry(CLI, args, cleanEnv({ DATA_DIR: embeddedDir, APP_SECRET: TEST_APP_SECRET }));
  const startServer = async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = startEntry(
      'server/src/server.ts',
      [],
      cleanEnv({
        PORT: String(port),
        PUBLIC_URL: url,
        DATA_DIR: embeddedDir,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: embeddedPrefix,
        APP_SECRET: TEST_APP_SECRET,
        LOG_LEVEL: 'info',
      }),
    );
    servers.push(child);
    await child.waitFor(/Trust line console/, 90_000);
    return { child, url };
  };
  const stop = async (child: Child) => {
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  };
  afterAll(async () => {
    for (const c of servers) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await deletePrefix(TEST_REDIS_URL, embeddedPrefix).catch(() => {});
    rmSync(embeddedDir, { recursive: true, force: true });
  });

  it('refuses while a server holds the DATA_DIR, creating nothing; works after it stops, also over a stale lock; the user signs in', async () => {
    const holder = await startServer();
    expect(existsSync(lockFile)).toBe(true);

    const refused = await embeddedCli(['--username', 'while-running', '--role', 'admin', '--password', 'a long enough passphrase']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toMatch(/Created/);
    expect(refused.stderr).toContain(`The embedded database in ${join(embeddedDir, 'pglite')} is in use by process ${holder.child.proc.pid} (npm run server)`);
    expect(refused.stderr).toMatch(/Stop it first, or set DATABASE_URL to use PostgreSQL/);
    expect(refused.stderr).toMatch(/Nothing was created/);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack

    await stop(holder.child);
    expect(existsSync(lockFile), 'the server released its lock on SIGTERM').toBe(false);

    // A holder that died without releasing (SIGKILL, power loss): its pid no longer runs.
    const dead = spawnSync(process.execPath, ['-e', '0']);
    writeFileSync(lockFile, `${JSON.stringify({ pid: dead.pid, command: 'npm start', startedAt: new Date().toISOString() })}\n`);

    const made = await embeddedCli(['--username', 'after-stop', '--role', 'admin', '--password', 'a long enough passphrase']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Created after-stop \(admin\)/);
    expect(existsSync(lockFile), 'the CLI released its lock').toBe(false);

    const again = await startServer();
    try {
      expect((await new Client(again.url).login('after-stop', 'a long enough passphrase')).status).toBe(200);
      expect((await new Client(again.url).login('while-running', 'a long enough passphrase')).status).toBe(401);
    } finally {
      await stop(again.child);
    }
  }, 300_000);
});
