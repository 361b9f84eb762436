// The inbound spool against real Redis and a real DATA_DIR: an entry that can never be recorded
// (refused by the rules, or failing while the database answers) is set aside, sealed, instead of
// being dropped or blocking every text behind it; an outage still makes the queue wait.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DomainError } from '../../server/src/errors.js';
import { inboundSpool } from '../../server/src/modules/telephony/inbound-spool.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { deletePrefix, TEST_APP_SECRET } from '../helpers/runtime.js';

const prefix = `sp${randomBytes(4).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'tl-spool-'));
let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await deletePrefix(TEST_REDIS_URL, prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

const form = (sid: string, body: string) => ({ MessageSid: sid, From: '+79160000001', To: '+74950000001', Body: body });

function spoolWith(record: (f: ReturnType<typeof form>) => Promise<void>, storeAnswers: () => Promise<boolean>) {
  return inboundSpool<ReturnType<typeof form>>({ redis, prefix, dataDir, appSecret: TEST_APP_SECRET, log: pino({ level: 'silent' }), record, storeAnswers });
}

it('sets aside an entry that keeps failing while the database answers, and records the texts behind it in order', async () => {
  const recorded: string[] = [];
  let databaseUp = false;
  const spool = spoolWith(
    async (f) => {
      if (!databaseUp) throw new Error('connect ECONNREFUSED');
      if (f.Body === 'poison') throw new TypeError('a bug in recording this one');
      if (f.Body === 'refused') throw new DomainError('SMS_REFUSED', 'refused by the rules', 422);
      recorded.push(f.MessageSid);
    },
    async () => databaseUp,
  );
  for (const [sid, body] of [
    ['SM1', 'first'],
    ['SM2', 'poison'],
    ['SM3', 'refused'],
    ['SM4', 'last'],
  ] as const)
    await spool.append(form(sid, body));

  // The database is down: passes change nothing, however many there are.
  for (let i = 0; i < 5; i++) await spool.drain();
  expect(recorded).toEqual([]);
  expect(await spool.size()).toBe(4);

  // It answers again: the bad entry fails three passes, then is set aside; the refused one at once.
  databaseUp = true;
  for (let i = 0; i < 4; i++) await spool.drain();
  expect(recorded).toEqual(['SM1', 'SM4']);
  expect(await spool.size()).toBe(0);
  const aside = join(dataDir, 'spool', 'inbound-sms.set-aside.ndjson');
  expect(existsSync(aside)).toBe(true);
  const lines = readFileSync(aside, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  // Kept sealed: neither the number nor the words are readable on disk.
  expect(lines.join('\n')).not.toContain('poison');
  expect(lines.join('\n')).not.toContain('9160000001');
});
