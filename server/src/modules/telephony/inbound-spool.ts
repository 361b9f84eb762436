// The inbound SMS spool. Twilio does not retry an SMS webhook that got a 5xx, so a text that
// arrives while the database is unreachable would be lost. When recording it fails, the
// already-checked webhook form is appended to a durable spool and Twilio gets its 2xx only after
// that write succeeded: a Redis stream when Redis is up, else an fsync'd append-only file in
// DATA_DIR/spool. A drainer in every server process records spooled texts in arrival order once
// the database answers again (sms.inbound is idempotent on MessageSid, so a text recorded twice
// by a crash or by two nodes is recorded once). Entries are sealed with a key derived from
// APP_SECRET: sender numbers and bodies are personal data and must not sit readable in Redis or
// on disk.
//
// The same spool, as kind 'voice-status', keeps Twilio's call status callbacks (which Twilio does
// not retry either): a call answered by the fallback TwiML is recorded only from them.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { deriveKey } from '../../crypto/keys.js';
import { sealer } from '../../crypto/seal.js';
import { fromPrismaError } from '../../db/prisma-errors.js';
import { DomainError } from '../../errors.js';

type Form = Record<string, string | undefined>;
/** A Twilio SMS webhook's form, as the spool keeps it. */
type WebhookSms = { MessageSid: string; From: string; To: string } & Form;

export interface SpooledSms<F extends Form = WebhookSms> {
  form: F;
  /** When the webhook arrived; the message keeps it as its createdAt, so threads stay in order. */
  receivedAt: string;
}

export interface InboundSpoolDeps<F extends Form = WebhookSms> {
  /** What is kept: its stream is `<prefix>:<kind>-spool`, its file `inbound-<kind>.ndjson`. */
  kind?: 'sms' | 'voice-status';
  redis: Redis;
  prefix: string;
  dataDir: string;
  appSecret: string;
  log: Logger;
  record(form: F, receivedAt: Date): Promise<unknown>;
  /** Whether the database answers now: a failure while it does is the entry's, not an outage's. */
  storeAnswers?: () => Promise<boolean>;
  drainEveryMs?: number;
}

/** An entry that failed this many passes in a row while the database answered is set aside. */
const FAILURES_BEFORE_SET_ASIDE = 3;

export function inboundSpool<F extends Form = WebhookSms>(deps: InboundSpoolDeps<F>) {
  const { redis, log } = deps;
  const kind = deps.kind ?? 'sms';
  const label = kind === 'sms' ? 'inbound SMS spool' : 'voice status spool';
  const box = sealer(deriveKey(deps.appSecret, 'inbound-spool'));
  const stream = `${deps.prefix}:${kind}-spool`;
  const lockKey = `${deps.prefix}:${kind}-spool:lock`;
  const dir = join(deps.dataDir, 'spool');
  const file = join(dir, `inbound-${kind}.ndjson`);
  // Entries that cannot be recorded (refused by the rules, or failing while the database answers)
  // are kept here, sealed, rather than dropped or left to block every text behind them. Moving a
  // line back into the spool file records it on the next pass (docs/operations.md).
  const setAsideFile = join(dir, `inbound-${kind}.set-aside.ndjson`);
  const failures = new Map<string, number>();
  const lockToken = randomBytes(8).toString('hex');
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;

  const seal = (entry: SpooledSms<F>) => box.seal(JSON.stringify(entry));
  const open = (sealed: string): SpooledSms<F> => JSON.parse(box.open(sealed));

  function appendToFile(line: string, to = file) {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(to, 'a', 0o600);
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
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('v1:') && l.split(':').length === 4);
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

  function setAside(sealed: string, why: string, err: unknown) {
    appendToFile(sealed, setAsideFile);
    failures.delete(sealed);
    log.error({ err, file: setAsideFile }, `${label} entry set aside (${why}); the texts behind it go on`);
  }

  async function recordOne(sealed: string) {
    let entry: SpooledSms<F>;
    try {
      entry = open(sealed);
    } catch (err) {
      // Sealed with another APP_SECRET or damaged: it can never be opened here; kept aside.
      setAside(sealed, 'cannot be opened', err);
      return;
    }
    try {
      await deps.record(entry.form, new Date(entry.receivedAt));
      failures.delete(sealed);
    } catch (caught) {
      // A refusal by the rules or by the database's constraints will not change on retry.
      const refusal = caught instanceof DomainError ? caught : fromPrismaError(caught);
      if (refusal) return setAside(sealed, `refused: ${refusal.code}`, refusal);
      // Anything else waits for the next pass, unless the database answers and it failed again.
      if (deps.storeAnswers && (await deps.storeAnswers().catch(() => false))) {
        const n = (failures.get(sealed) ?? 0) + 1;
        failures.set(sealed, n);
        if (n >= FAILURES_BEFORE_SET_ASIDE) return setAside(sealed, `failed ${n} times while the database answered`, caught);
      }
      throw caught;
    }
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
        log.info({ recorded: done, left: now.length - done }, `${label} (file) drained`);
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
      if (recorded) log.info({ recorded }, `${label} (stream) drained`);
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
      log.warn({ err: { message: (err as Error).message } }, `${label} not drained yet; will retry`);
    }
  }

  return {
    /** Durably keeps one webhook; throws only if neither Redis nor the disk took it. */
    async append(form: F, receivedAt = new Date()): Promise<'stream' | 'file'> {
      const line = seal({ form, receivedAt: receivedAt.toISOString() });
      if (redis.status === 'ready') {
        try {
          await redis.xadd(stream, '*', 'sms', line);
          return 'stream';
        } catch (err) {
          log.warn({ err: { message: (err as Error).message } }, `${label}: Redis refused, writing to disk`);
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
