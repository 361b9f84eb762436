// What the conversation services share: stores, ports of other features, the channel adapter,
// and small helpers that emit after a commit and enqueue without failing a request.
import type { ConversationSummary, MessageSummary } from '@trustline/shared';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { enqueueOrLog, type Enqueue, type EnqueueOptions } from '../../jobs/enqueue.js';
import type { Outbox } from '../../jobs/outbox.js';
import type { JobName, JobPayloads } from '../../jobs/queues.js';
import type { Services } from '../../kernel.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import type { ChannelAdapter } from './channel.js';
import type { ConversationsRepository } from './conversations.repository.js';
import './conversations.events.js';

export interface ConversationsDeps {
  repo: ConversationsRepository;
  /** Every channel's adapter (SMS today; channel.ts says how another plugs in). Each thread and
   * message records its channel, and its adapter sends it and reads its delivery states. */
  adapters: readonly ChannelAdapter[];
  lines: Services['lines'];
  operators: Services['operators'];
  /** Callers by label and history (modules/callers): summaries carry them, never a digit. */
  callers: Pick<Services['callers'], 'info'>;
  audit: Services['audit'];
  transaction: Transactor;
  events: DomainEvents;
  phones: PhoneCrypto;
  emitter: Emitter;
  enqueue: Enqueue;
  /** Jobs that must not be lost (a message to send), written in the change's own transaction. */
  outbox: Outbox;
  /** A job of the 'telephony' queue by id, for the reconcile step. */
  findJob: (jobId: string) => Promise<{ getState(): Promise<string>; remove(): Promise<void> } | undefined>;
  log: Logger;
  config: { offerTimeoutMs: number; smsSilenceMs: number };
  now?: () => Date;
}

export function conversationsContext(deps: ConversationsDeps) {
  const { emitter, log } = deps;
  const byChannel = new Map(deps.adapters.map((a) => [a.channel as string, a]));
  return {
    ...deps,
    now: deps.now ?? (() => new Date()),
    /** The adapter of a thread's or a message's channel. A row of a channel this release has no
     * adapter for cannot be sent: its job fails at once, unretried and never revived (retrying
     * cannot help), and stays failed for a person to look at. */
    adapterFor(channel: string): ChannelAdapter {
      const adapter = byChannel.get(channel);
      if (!adapter) throw new UnrecoverableError(`no adapter for the channel ${channel}`);
      return adapter;
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
    /** After a commit, a timer on the 'telephony' queue: a failed add is logged, and the reconcile schedule catches up. */
    enqueue: <N extends JobName<'telephony'>>(name: N, data: JobPayloads['telephony'][N], opts: EnqueueOptions) =>
      enqueueOrLog(deps.enqueue, log)('telephony', name, data, opts),
  };
}
export type ConversationsContext = ReturnType<typeof conversationsContext>;
