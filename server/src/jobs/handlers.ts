// What the worker runs: for each queue, a handler per job name. Each feature module contributes
// the handlers of its own queue (modules/<feature>/index.ts, `handlers`).
import type { Job } from 'bullmq';
import type { JobName, JobPayloads, QueueName } from './queues.js';

export type JobHandler<P> = (data: P, job: Job) => Promise<unknown>;
export type QueueHandlers<Q extends QueueName> = { [N in keyof JobPayloads[Q]]: JobHandler<JobPayloads[Q][N]> };
export type AllHandlers = { [Q in QueueName]: QueueHandlers<Q> };

/** Recurring work, as BullMQ job schedulers (never timers): upserted at worker start. Distributed
 * over the queues, so that a list may mix several queues' schedules. */
export type Schedule<Q extends QueueName = QueueName> = Q extends QueueName ? { queue: Q; id: string; name: JobName<Q>; everyMs: number } : never;

/** A scheduler of an earlier release, removed at worker start (its queue may be gone). */
export interface RetiredSchedule {
  queue: string;
  id: string;
}
