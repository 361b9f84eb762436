// The pieces a fault test runs: one deployment's database (read directly, never through the
// cut-off proxy), a Redis prefix, and `npm run server` / `npm run worker` as real OS processes
// whose DATABASE_URL and REDIS_URL can point at a TCP proxy (tcp-proxy.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../server/src/generated/prisma/client.js';
import { postWebhook, type SimTarget } from '../../server/src/modules/telephony/twilio-sim.js';
import { createTestDatabase } from './database.js';
import { TEST_REDIS_URL } from './env.js';
import { cleanEnv, startEntry, type Child } from './process.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from './runtime.js';

export const AUTH_TOKEN = 'fault-suite-twilio-auth-token-0123456789';
export const ACCOUNT_SID = 'AC00000000000000000000000000000000';

export async function faultDeployment() {
  const db = await createTestDatabase();
  const prefix = `f${randomBytes(5).toString('hex')}`;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }) });
  const dirs: string[] = [];
  const children = new Set<Child>();
  return {
    db,
    prefix,
    prisma,
    /** Starts an entry (server.ts or worker.ts); resolves once it is up. */
    async start(
      entry: 'server' | 'worker',
      opts: { databaseUrl?: string; redisUrl?: string; port?: number; dataDir?: string; env?: Record<string, string> } = {},
    ) {
      const port = opts.port ?? (await freePort());
      const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tl-fault-'));
      if (!opts.dataDir) dirs.push(dataDir);
      const env = cleanEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: opts.databaseUrl ?? db.url,
        REDIS_URL: opts.redisUrl ?? TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        APP_SECRET: TEST_APP_SECRET,
        DATA_DIR: dataDir,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        LOG_LEVEL: 'info',
        MIGRATE_ON_START: 'false',
        ...opts.env,
      });
      const child = startEntry(`server/src/${entry}.ts`, [], env);
      children.add(child);
      void child.exited.then(() => children.delete(child));
      await child.waitFor(entry === 'server' ? /Trust line console/ : /"msg":"workers started"/, 60_000);
      const url = `http://127.0.0.1:${port}`;
      const target: SimTarget = { baseUrl: url, publicUrl: url, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID };
      return { child, port, url, dataDir, target, webhook: (path: string, params: Record<string, string>) => postWebhook(target, path, params) };
    },
    /** SIGKILL: no shutdown hooks run, as in a crash or an OOM kill. */
    async kill(child: Child) {
      child.proc.kill('SIGKILL');
      await child.exited;
    },
    async close() {
      for (const c of children) {
        c.proc.kill('SIGTERM');
        await Promise.race([c.exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
      }
      await prisma.$disconnect();
      await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
      await db.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export const smsForm = (sid: string, from: string, to: string, body: string) => ({
  AccountSid: ACCOUNT_SID,
  ApiVersion: '2010-04-01',
  MessageSid: sid,
  SmsSid: sid,
  SmsMessageSid: sid,
  From: from,
  To: to,
  Body: body,
  NumMedia: '0',
  NumSegments: '1',
});
export const sid = (kind: 'SM' | 'CA') => kind + randomBytes(16).toString('hex');
