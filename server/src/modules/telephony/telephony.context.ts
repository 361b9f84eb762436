// What the call services share: stores, the emitter, queues, Twilio, TwiML, the line cache,
// operators (services.operators), and small helpers that emit after a commit and enqueue without
// failing a request.
import type { CallSummary } from '@trustline/shared';
import type { Logger } from 'pino';
import type { TelephonyConfig } from '../../config.js';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { enqueueOrLog, type Enqueue, type EnqueueOptions } from '../../jobs/enqueue.js';
import type { JobName, JobPayloads } from '../../jobs/queues.js';
import type { Invalidation } from '../../invalidation.js';
import type { Services } from '../../kernel.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CallRow, CallsRepository } from './calls.repository.js';
import type { LineDirectory } from './lines.js';
import type { TwilioGateway } from './twilio-gateway.js';
import type { Twiml } from './twiml.js';
import './telephony.events.js';

/** Operator states, candidate selection and routers (modules/operators), through its port. */
export type Operators = Services['operators'];

export interface TelephonyDeps {
  calls: CallsRepository;
  lines: LineDirectory;
  operators: Operators;
  transaction: Transactor;
  audit: AuditService;
  events: DomainEvents;
  phones: PhoneCrypto;
  emitter: Emitter;
  enqueue: Enqueue;
  invalidation: Invalidation;
  gateway: TwilioGateway;
  twiml: Twiml;
  config: TelephonyConfig;
  log: Logger;
  /** Callers by label and history (modules/callers): summaries carry them, never a digit. */
  callers: Pick<Services['callers'], 'info'>;
  now?: () => Date;
}

export function telephonyContext(deps: TelephonyDeps) {
  const { emitter, log } = deps;
  const ctx = {
    ...deps,
    now: deps.now ?? (() => new Date()),
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
    /** After a commit, a timer on the 'telephony' queue: a failed add is logged, and the reconcile schedule catches up. */
    enqueue: <N extends JobName<'telephony'>>(name: N, data: JobPayloads['telephony'][N], opts: EnqueueOptions) =>
      enqueueOrLog(deps.enqueue, log)('telephony', name, data, opts),
  };
  return ctx;
}
export type TelephonyContext = ReturnType<typeof telephonyContext>;
export const conferenceName = (callId: string) => `call-${callId}`;
