// The inbound SMS spool. Twilio does not retry an SMS webhook that got a 5xx, so a text that
// arrives while the database is unreachable would be lost. When recording it fails, the
// already-checked webhook form is appended to a durable spool and Twilio gets its 2xx only after
// that write succeeded: a Redis stream when Redis is up, else an fsync'd append-only file in
// DATA_DIR/spool. A drainer in every server process records spooled texts in arrival order once
// the database answers again (sms.inbound is idempotent on MessageSid, so a text recorded twice
// by a crash or by two nodes is recorded once). Entries are sealed with a key derived from
// APP_SECRET: sender numbers and bodies are personal data and must not sit readable in Redis or
// on disk.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { deriveKey } from '../../crypto/keys.js';
import { sealer } from '../../crypto/seal.js';
import type { WebhookSms } from './sms.service.js';

export interface SpooledSms {
  form: WebhookSms;
  /** When the webhook arrived; the message keeps it as its createdAt, so threads stay in order. */
  receivedAt: string;
}

export interface InboundSpoolDeps {
  redis: Redis;
  prefix: string;
  dataDir: string;
  appSecret: string;
  log: Logger;
  record(form: WebhookSms, receivedAt: Date): Promise<unknown>;
  drainEveryMs?: number;
}

export function inboundSpool(deps: InboundSpoolDeps) {
  const { redis, log } = deps;
  const box = sealer(deriveKey(deps.appSecret, 'inbound-spool'));
  const stream = `${deps.prefix}:sms-spool`;
  const lockKey = `${deps.prefix}:sms-spool:lock`;
  const dir = join(deps.dataDir, 'spool');
  const file = join(dir, 'inbound-sms.ndjson');
  const lockToken = randomBytes(8).toString('hex');
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;

  const seal = (entry: SpooledSms) => box.seal(JSON.stringify(entry));
  const open = (sealed: string): SpooledSms => JSON.parse(box.open(sealed));

  function appendToFile(line: string) {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(file, 'a', 0o600);
    try {
      writeSync(fd, line + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  function fileEntries(): string[] {
    if (!existsSync(file)) return [];
    // A crash mid-append can leave a torn last line; it was never answered 2xx, so it is dropped.
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('v1:') && l.split(':').length === 4);
  }

  /** Keeps only the entries not yet recorded: written aside, fsync'd, then renamed over. */
  function rewriteFile(rest: string[]) {
    if (!rest.length) return rmSync(file, { force: true });
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, rest.join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  async function recordOne(sealed: string) {
    let entry: SpooledSms;
    try {
      entry = open(sealed);
    } catch (err) {
      // Sealed with another APP_SECRET or damaged: it can never be recorded; keep the queue moving.
      log.error({ err }, 'inbound SMS spool entry cannot be opened; skipped');
      return;
    }
    await deps.record(entry.form, new Date(entry.receivedAt));
  }

  async function drainFile() {
    const entries = fileEntries();
    let done = 0;
    try {
      for (const e of entries) {
        await recordOne(e);
        done++;
      }
    } finally {
      if (done) {
        // Entries appended while draining are kept: re-read and drop only the ones recorded.
        const now = fileEntries();
        rewriteFile(now.slice(done));
        log.info({ recorded: done, left: now.length - done }, 'inbound SMS spool (file) drained');
      }
    }
  }

  async function drainStream() {
    if (redis.status !== 'ready' || !(await redis.xlen(stream))) return;
    // One node drains the stream at a time, so texts are recorded in order.
    const locked = await redis.set(lockKey, lockToken, 'PX', 30_000, 'NX');
    if (!locked) return;
    let recorded = 0;
    try {
      for (;;) {
        const rows = (await redis.xrange(stream, '-', '+', 'COUNT', 50)) as [string, string[]][];
        if (!rows.length) break;
        for (const [id, fields] of rows) {
          await recordOne(fields[1]!);
          await redis.xdel(stream, id);
          recorded++;
        }
        await redis.pexpire(lockKey, 30_000);
      }
    } finally {
      if (recorded) log.info({ recorded }, 'inbound SMS spool (stream) drained');
      const held = await redis.get(lockKey).catch(() => null);
      if (held === lockToken) await redis.del(lockKey).catch(() => {});
    }
  }

  async function drain() {
    try {
      // The file holds texts from when Redis was down too, so it goes first.
      await drainFile();
      await drainStream();
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'inbound SMS spool not drained yet; will retry');
    }
  }

  return {
    /** Durably keeps one webhook; throws only if neither Redis nor the disk took it. */
    async append(form: WebhookSms, receivedAt = new Date()): Promise<'stream' | 'file'> {
      const line = seal({ form, receivedAt: receivedAt.toISOString() });
      if (redis.status === 'ready') {
        try {
          await redis.xadd(stream, '*', 'sms', line);
          return 'stream';
        } catch (err) {
          log.warn({ err: { message: (err as Error).message } }, 'inbound SMS spool: Redis refused, writing to disk');
        }
      }
      appendToFile(line);
      return 'file';
    },
    /** Records what is spooled, at most one pass at a time in this process. */
    drain() {
      draining ??= drain().finally(() => (draining = undefined));
      return draining;
    },
    async size() {
      const inStream = redis.status === 'ready' ? await redis.xlen(stream).catch(() => 0) : 0;
      return inStream + fileEntries().length;
    },
    start() {
      timer ??= setInterval(() => void this.drain(), deps.drainEveryMs ?? 1_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await draining;
    },
  };
}
export type InboundSpool = ReturnType<typeof inboundSpool>;
