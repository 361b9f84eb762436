// Queue names, job payloads and default options, in one place. Payloads hold ids only — never
// names, numbers or notes — so personal data never sits in Redis or in a failed-job dump.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** Every queue and the payload of each job name on it. A feature adds its queue here, and to
 * QUEUE_NAMES. */
export interface JobPayloads {
  maintenance: {
    'sessions.purge-expired': Record<string, never>;
    'sessions.end-idle': Record<string, never>;
    'presence.reconcile': Record<string, never>;
    'jobs.revive-failed': Record<string, never>;
  };
  /** The transactional outbox's own housekeeping (jobs/outbox.ts): rows a crash or a Redis outage
   * left behind, and relayed rows past their keep. */
  outbox: {
    'outbox.sweep': Record<string, never>;
    'outbox.purge': Record<string, never>;
  };
  /** The wallboard's queue. Its name (and its job's and scheduler's) predates the module's name
   * and stays: running deployments hold jobs and a scheduler under it. */
  live: {
    'live.reconcile': Record<string, never>;
  };
  telephony: {
    'offer.expire': { offerId: string };
    'call.no-answer': { callId: string };
    'operator.wrap-up-end': { userId: string; version: number };
    'sms.send': { messageId: string };
    'conversation.silence': { conversationId: string };
    'conversation.offer-expire': { conversationId: string };
    'telephony.reconcile': Record<string, never>;
  };
  contacts: {
    'contacts.follow-up-due': { contactId: string; dueAt: string };
    'contacts.follow-up-overdue': { contactId: string; dueAt: string };
  };
  cases: {
    'deadline.check': { deadlineId: string };
    'task.check': { taskId: string };
    'deadlines.rearm': Record<string, never>;
  };
  dispatch: {
    'offer.send-sms': { offerId: string };
    'offer.deadline': { offerId: string };
    'offer.warning': { offerId: string };
    'delivery.warning': { offerId: string };
    'delivery.deadline': { offerId: string };
    'recipient.notify': { offerId: string };
    'provider.reply': { offerId: string; answer: 'accept' | 'decline' | 'delivered'; messageId: string };
  };
  retention: {
    'retention.run': Record<string, never>;
  };
}

export type QueueName = keyof JobPayloads;
export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;

/** Every job name of every queue, spelled once more so that the worker can check at start that
 * each has a handler (the type makes this list complete: a job added above must be added here). */
export const JOB_NAMES: { [Q in QueueName]: Record<JobName<Q>, true> } = {
  maintenance: { 'sessions.purge-expired': true, 'sessions.end-idle': true, 'presence.reconcile': true, 'jobs.revive-failed': true },
  outbox: { 'outbox.sweep': true, 'outbox.purge': true },
  live: { 'live.reconcile': true },
  telephony: {
    'offer.expire': true,
    'call.no-answer': true,
    'operator.wrap-up-end': true,
    'sms.send': true,
    'conversation.silence': true,
    'conversation.offer-expire': true,
    'telephony.reconcile': true,
  },
  contacts: { 'contacts.follow-up-due': true, 'contacts.follow-up-overdue': true },
  cases: { 'deadline.check': true, 'task.check': true, 'deadlines.rearm': true },
  dispatch: {
    'offer.send-sms': true,
    'offer.deadline': true,
    'offer.warning': true,
    'delivery.warning': true,
    'delivery.deadline': true,
    'recipient.notify': true,
    'provider.reply': true,
  },
  retention: { 'retention.run': true },
};
export const QUEUE_NAMES = ['maintenance', 'outbox', 'live', 'telephony', 'contacts', 'cases', 'dispatch', 'retention'] as const satisfies readonly QueueName[];

export const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export type TypedQueue<Q extends QueueName> = Queue<JobPayloads[Q][keyof JobPayloads[Q]], unknown, Extract<keyof JobPayloads[Q], string>>;
export type Queues = { [Q in QueueName]: TypedQueue<Q> };

/** Producers fail fast: the connection passed here has no offline queue (see redis.ts). */
export function createQueues(connection: Redis, prefix: string): Queues {
  const queues = {} as Record<QueueName, Queue>;
  for (const name of QUEUE_NAMES) {
    const q = new Queue(name, { connection, prefix: `${prefix}:bull`, defaultJobOptions });
    q.on('error', () => {}); // connection errors surface through /readyz; a listener is required.
    queues[name] = q;
  }
  return queues as unknown as Queues;
}

export async function closeQueues(queues: Queues) {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
