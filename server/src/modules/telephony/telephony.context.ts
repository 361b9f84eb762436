// What the telephony services share: stores, the realtime server, queues, Twilio, TwiML, the
// line cache, and small helpers that emit after a commit and enqueue without failing a request.
import type { CallSummary, ConversationSummary, MessageSummary, OperatorStateSummary } from '@trustline/shared';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { TelephonyConfig } from '../../config.js';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import type { Enqueue } from '../../jobs/enqueue.js';
import type { Outbox } from '../../jobs/outbox.js';
import type { JobPayloads } from '../../jobs/queues.js';
import type { Invalidation } from '../../invalidation.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CallersService } from '../callers/callers.service.js';
import type { CallRow, CallsRepository } from './calls.repository.js';
import type { SmsRepository } from './sms.repository.js';
import type { TwilioGateway } from './twilio-gateway.js';
import type { Twiml } from './twiml.js';
import './telephony.events.js';

type LineRow = Awaited<ReturnType<CallsRepository['listLines']>>[number];

export interface TelephonyDeps {
  calls: CallsRepository;
  sms: SmsRepository;
  transaction: Transactor;
  audit: AuditService;
  events: DomainEvents;
  phones: PhoneCrypto;
  emitter: Emitter;
  enqueue: Enqueue;
  /** Jobs that must not be lost (an SMS to send), written in the change's own transaction. */
  outbox: Outbox;
  /** A telephony job by id, for the reconcile step. */
  findJob: (jobId: string) => Promise<{ getState(): Promise<string>; remove(): Promise<void> } | undefined>;
  redis: Redis;
  invalidation: Invalidation;
  gateway: TwilioGateway;
  twiml: Twiml;
  config: TelephonyConfig;
  log: Logger;
  /** Callers by label and history (modules/callers): summaries carry them, never a digit. */
  callers: Pick<CallersService, 'info'>;
  now?: () => Date;
}

export function telephonyContext(deps: TelephonyDeps) {
  const { emitter, log, calls, invalidation } = deps;
  // Every process keeps a copy of the lines, servers and workers alike: they change rarely, and the
  // fallback path must read them when the database does not answer. The copy is loaded when first
  // needed (or warmed at start), read again when older than 30 s or when a number or id is not in
  // it, and reloaded at once when any process changes a line (the 'lines' invalidation).
  let lines = new Map<string, LineRow>();
  let linesById = new Map<string, LineRow>();
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const MAX_AGE_MS = 30_000;
  // A number or id that is not in the copy triggers a read at most once a second, so a flood of
  // webhooks for an unknown number does not become a flood of queries.
  const MISS_REREAD_MS = 1_000;

  const load = () => {
    loading ??= calls
      .listLines()
      .then((rows) => {
        lines = new Map(rows.map((l) => [l.number, l]));
        linesById = new Map(rows.map((l) => [l.id, l]));
        loadedAt = Date.now();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  /** Reads the lines again when the copy is too old, or when `missing` and not read just now. Never fails. */
  const ensure = async (missing: boolean) => {
    const age = Date.now() - loadedAt;
    if (age > MAX_AGE_MS || (missing && age > MISS_REREAD_MS)) await load().catch((err) => log.warn({ err }, 'line cache refresh failed'));
  };
  invalidation.on('lines', load);

  const ctx = {
    ...deps,
    now: deps.now ?? (() => new Date()),
    lines: {
      /** Reads the lines now (after this process changed one). */
      refresh: load,
      /** The line for a number, read from the database if this process does not know it. Never fails. */
      async byNumber(number: string | undefined) {
        if (!number) return null;
        await ensure(!lines.has(number));
        return lines.get(number) ?? null;
      },
      /** The line with this id, read from the database if this process does not know it. Never fails. */
      async byId(id: string | null) {
        if (!id) return null;
        await ensure(!linesById.has(id));
        return linesById.get(id) ?? null;
      },
      /** The line a message or call-back goes out from: its own, else the first active one. */
      async sender(lineId: string | null) {
        const own = await ctx.lines.byId(lineId);
        if (own) return own;
        await ensure(lines.size === 0);
        return [...lines.values()].find((l) => l.active) ?? null;
      },
      /** The copy as it is, without waiting: for the store-down fallback and for summaries. */
      cachedByNumber: (number: string | undefined) => (number ? (lines.get(number) ?? null) : null),
      cachedById: (id: string | null) => (id ? (linesById.get(id) ?? null) : null),
    },
    /** A call as consoles see it: the caller by label and earlier contacts (read from the hash
     * indexes each time, so every process answers alike), never a digit of the number. */
    async callSummary(c: CallRow): Promise<CallSummary> {
      const iso = (d: Date | null) => d?.toISOString() ?? null;
      // A live update must not fail for want of the history: the label alone, and the next read has it.
      const caller = await ctx.callers.info(c.callerHash, c.receivedAt, { callId: c.id }).catch((err) => {
        log.warn({ err: { message: (err as Error).message }, callId: c.id }, 'caller history not read');
        return { label: deps.phones.label(c.callerHash), history: null };
      });
      return {
        id: c.id,
        lineId: c.lineId,
        lineName: ctx.lines.cachedById(c.lineId)?.name ?? null,
        caller,
        priority: c.priority,
        status: c.status,
        receivedAt: c.receivedAt.toISOString(),
        queuedAt: iso(c.queuedAt),
        offeredAt: iso(c.offeredAt),
        answeredAt: iso(c.answeredAt),
        endedAt: iso(c.endedAt),
        endReason: c.endReason,
        operatorId: c.operatorId,
        consultId: c.consultId,
        consultMode: c.consultMode,
        onHold: c.onHold,
        abandoned: c.abandoned,
        waitMs: c.waitMs,
      };
    },
    async publishCall(c: CallRow) {
      emitter.to(rooms.queueWatchers()).emit('call:updated', await ctx.callSummary(c));
    },
    publishState(s: OperatorStateSummary) {
      emitter.to([...rooms.queueWatchers(), rooms.role('admin')]).emit('operator:state-changed', s);
    },
    /** The queue's view of a thread: every operator and supervisor (counts and times, no text). */
    publishConversation(c: ConversationSummary) {
      emitter.to(rooms.queueWatchers()).emit('conversation:updated', c);
    },
    /** A message with its text goes only where the work needs it: the operator holding the thread
     * (their user room, every tab) and supervisors who opened it (the thread's room). A waiting
     * thread's messages reach no operator until one takes it and reads it (audited). */
    publishMessage(m: MessageSummary, holderId: string | null) {
      if (!m.conversationId) return;
      emitter
        .to(holderId ? [rooms.conversation(m.conversationId), rooms.user(holderId)] : rooms.conversation(m.conversationId))
        .emit('conversation:message', m);
    },
    /** After a commit: a failed enqueue is logged, and the reconcile schedule catches up. */
    async enqueue<N extends keyof JobPayloads['telephony'] & string>(
      name: N,
      data: JobPayloads['telephony'][N],
      opts: { jobId: string; delay?: number; attempts?: number },
    ) {
      try {
        await deps.enqueue('telephony', name, data, opts);
      } catch (err) {
        log.warn({ err, job: name, jobId: opts.jobId }, 'telephony job not enqueued; reconcile will retry');
      }
    },
  };
  return ctx;
}
export type TelephonyContext = ReturnType<typeof telephonyContext>;
export const conferenceName = (callId: string) => `call-${callId}`;
