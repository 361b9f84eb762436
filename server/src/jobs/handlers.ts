// What the worker runs: for each queue, a handler per job name. Modules contribute their
// handlers from their *.jobs.ts file.
import type { Job } from 'bullmq';
import type { JobPayloads, QueueName } from './queues.js';

export type JobHandler<P> = (data: P, job: Job) => Promise<unknown>;
export type QueueHandlers<Q extends QueueName> = { [N in keyof JobPayloads[Q]]: JobHandler<JobPayloads[Q][N]> };
export type AllHandlers = { [Q in QueueName]: QueueHandlers<Q> };

/** Recurring work, as BullMQ job schedulers (never timers): upserted at worker start. */
/** Recurring work, distributed over the queues so that a list may mix several queues' schedules. */
export type Schedule<Q extends QueueName = QueueName> = Q extends QueueName
  ? { queue: Q; id: string; name: Extract<keyof JobPayloads[Q], string>; everyMs: number }
  : never;
