// One process per embedded database directory (server/src/db/pglite-lock.ts): while this test
// process holds a DATA_DIR, `npm start`, `npm run worker` and `npm run db:migrate` on it exit 1 with
// the sentence that says what to do (not a stack), and npm start launches no redis-server, while
// PostgreSQL mode pays no heed; a lock
// left by a dead process, by an earlier process with our own pid, or half-written, is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, openDatabase, type Database } from '../../server/src/db/database.js';
import { createTestDatabase } from '../helpers/database.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { cleanEnv, runEntry } from '../helpers/process.js';
import { TEST_APP_SECRET } from '../helpers/runtime.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tl-pglite-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const SLOW = 120_000;

describe('the embedded database lock', () => {
  it(
    'refuses npm start, npm run worker and npm run db:migrate while another process holds the DATA_DIR',
    async () => {
      const dataDir = tempDir();
      const dir = join(dataDir, 'pglite');
      const held = await openDatabase({ kind: 'pglite', dir });
      try {
        expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
        const env = cleanEnv({ DATA_DIR: dataDir, APP_SECRET: TEST_APP_SECRET, LOG_LEVEL: 'silent' });
        const expected = `The embedded database in ${dir} is in use by process ${process.pid}`;
        const pg = await createTestDatabase();
        const [start, worker, migrate, onPostgres] = await Promise.all([
          runEntry('server/src/start.ts', [], env),
          runEntry('server/src/worker.ts', [], { ...env, REDIS_URL: TEST_REDIS_URL }),
          runEntry('server/src/cli/db-migrate.ts', [], env),
          // With DATABASE_URL the same DATA_DIR is no obstacle: PostgreSQL mode takes no lock.
          runEntry('server/src/cli/db-migrate.ts', [], { ...env, DATABASE_URL: pg.url }),
        ]).finally(() => pg.drop());
        expect(onPostgres.code, onPostgres.stderr).toBe(0);
        expect(onPostgres.stdout).toMatch(/PostgreSQL is up to date/);
        for (const res of [start, worker, migrate]) {
          expect(res.code, res.stderr).toBe(1);
          expect(res.stderr).toContain(expected);
          expect(res.stderr).toContain('Stop it first, or set DATABASE_URL to use PostgreSQL.');
          expect(res.stderr).not.toMatch(/\n\s+at /);
        }
        // npm start was refused before it launched a redis-server in the same DATA_DIR.
        expect(existsSync(join(dataDir, 'redis'))).toBe(false);
        // The holder is untouched.
        expect(await held.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      } finally {
        await held.close();
      }
      expect(existsSync(`${dir}.lock`), 'close() released the lock').toBe(false);
    },
    SLOW,
  );

  it(
    'refuses a second open in the same process, naming this process',
    async () => {
      const dir = join(tempDir(), 'pglite');
      const first = await openDatabase({ kind: 'pglite', dir });
      try {
        const second = openDatabase({ kind: 'pglite', dir });
        await expect(second).rejects.toBeInstanceOf(DatabaseInUseError);
        await expect(second).rejects.toThrow(/in use by this process/);
      } finally {
        await first.close();
      }
      const again = await openDatabase({ kind: 'pglite', dir });
      await again.close();
    },
    SLOW,
  );

  it(
    'takes over a lock whose process is gone, one from an earlier process with our pid, and a half-written one',
    async () => {
      const dir = join(tempDir(), 'pglite');
      const stale = [
        JSON.stringify({ pid: deadPid(), command: 'npm start', startedAt: '2026-01-01T00:00:00Z' }),
        // A container restarted: the same pid as ours, but not a lock this process took.
        JSON.stringify({ pid: process.pid, command: 'npm start', token: 'from-before-the-restart' }),
        '',
      ];
      for (const content of stale) {
        writeFileSync(`${dir}.lock`, content);
        let db: Database | undefined;
        try {
          db = await openDatabase({ kind: 'pglite', dir });
          expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
        } finally {
          await db?.close();
        }
        expect(existsSync(`${dir}.lock`)).toBe(false);
      }
    },
    SLOW,
  );
});
