import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { Client } from '../helpers/http.js';
import { cleanEnv, runEntry } from '../helpers/process.js';
import { startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';

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

describe('npm run user:create', () => {
  it('makes an admin from --password who can sign in and create an operator, audited as the system', async () => {
    const res = await cli(['--username', 'First.Admin', '--role', 'admin', '--display-name', 'First Admin', '--password', 'a long enough passphrase']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Created first\.admin \(admin\)/);

    const client = new Client(server.url);
    const login = await client.login('first.admin', 'a long enough passphrase');
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username: 'first.admin', displayName: 'First Admin', roles: ['admin'] });
    const made = await client.post('/api/users', { username: 'op-from-cli-admin', displayName: 'Op', password: 'another passphrase', roles: ['operator'] });
    expect(made.status).toBe(201);

    const audit = await server.services.infra.db.prisma.auditLog.findFirst({ where: { action: 'user.create', entityId: login.body.user.id } });
    expect(audit).toMatchObject({ actorId: null, actorLabel: 'system:cli', detail: { roles: ['admin'] } });
    expect(JSON.stringify(audit?.detail)).not.toContain('passphrase');
  }, SLOW);

  it('reads the password from standard input and takes several roles', async () => {
    const res = await cli(['--username', 'piped', '--role', 'operator', '--role', 'supervisor'], 'piped in passphrase\n');
    expect(res.code).toBe(0);
    expect((await new Client(server.url).login('piped', 'piped in passphrase')).body.user.roles.sort()).toEqual(['operator', 'supervisor']);
  }, SLOW);

  it('refuses a taken username with exit code 1, naming --username', async () => {
    const res = await cli(['--username', 'piped', '--role', 'admin', '--password', 'a long enough passphrase']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--username: .*already taken/);
  }, SLOW);

  it('refuses bad input with exit code 2, naming the option, and creates nothing', async () => {
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
  }, SLOW);
});
