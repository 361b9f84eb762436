// The one producer of jobs outside a transaction: typed by queue and job name over JobPayloads,
// so a payload that does not match its job does not compile. A job that must not be lost when
// Redis is away at that instant goes through the outbox instead (jobs/outbox.ts), written in the
// transaction of the change that needs it.
import type { JobsOptions, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { JobName, JobPayloads, QueueName, Queues } from './queues.js';

export interface EnqueueOptions {
  /** Required: a job is idempotent on its id (a second add of the same id is a no-op). */
  jobId: string;
  delay?: number;
  attempts?: number;
  priority?: number;
}

export type Enqueue = <Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N, data: JobPayloads[Q][N], opts: EnqueueOptions) => Promise<void>;

export function jobProducer(queues: Queues): Enqueue {
  return async (queue, name, data, opts) => {
    await (queues[queue] as unknown as Queue).add(name, data, opts satisfies JobsOptions);
  };
}

/** For a timer set after a commit whose reconcile step repairs a missed one (a ring timeout, the
 * end of wrap-up): a failed add is logged, never fails the request that set it. */
export const enqueueOrLog =
  (enqueue: Enqueue, log: Pick<Logger, 'warn'>): Enqueue =>
  async (queue, name, data, opts) => {
    try {
      await enqueue(queue, name, data, opts);
    } catch (err) {
      log.warn({ err, queue, job: name, jobId: opts.jobId }, 'job not enqueued; its reconcile step will set it again');
    }
  };

/** The job's handle, for a reconcile step that looks at what it left behind. */
export const jobOf = (queues: Queues, queue: QueueName, jobId: string) => (queues[queue] as unknown as Queue).getJob(jobId);
