// Runs the BullMQ workers for every queue, with the handlers the modules contribute, and
// upserts the recurring job schedulers. Used by worker.ts (its own process) and start.ts.
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueName } from './jobs/queues.js';
import { QUEUE_NAMES } from './jobs/queues.js';
import { jobHandlers, retiredSchedules, schedules } from './modules/registry.js';
import { createRedis } from './redis.js';
import type { Services } from './kernel.js';

export interface WorkerRunner {
  close(): Promise<void>;
}

export async function startWorkers(services: Services, log: Logger, opts: { concurrency?: number } = {}): Promise<WorkerRunner> {
  const { config, queues } = services.infra;
  const handlers = jobHandlers(services);
  // Workers block on Redis; they get their own connection that waits rather than fails fast.
  const connection = createRedis(config.redisUrl!, 'blocking');
  const workers: Worker[] = [];

  for (const queue of QUEUE_NAMES as readonly QueueName[]) {
    const byName = handlers[queue] as Record<string, (data: unknown, job: unknown) => Promise<unknown>>;
    const worker = new Worker(
      queue,
      async (job) => {
        const handler = byName[job.name];
        if (!handler) throw new UnrecoverableError(`no handler for job ${queue}/${job.name}`);
        return handler(job.data, job);
      },
      { connection, prefix: `${config.redisPrefix}:bull`, concurrency: opts.concurrency ?? 8, autorun: true },
    );
    worker.on('error', (err) => log.error({ err, queue }, 'worker error'));
    worker.on('failed', (job, err) => log.warn({ queue, jobName: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err }, 'job failed'));
    workers.push(worker);
  }

  for (const s of schedules) {
    await (queues[s.queue] as unknown as Queue).upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.name, data: {} });
  }
  for (const r of retiredSchedules) {
    // The queue may be one this release no longer has: open it just to remove the scheduler.
    const queue = (queues as Record<string, Queue | undefined>)[r.queue] ?? new Queue(r.queue, { connection, prefix: `${config.redisPrefix}:bull` });
    await queue.removeJobScheduler(r.id);
    if (!(r.queue in queues)) await queue.close();
  }
  log.info({ queues: QUEUE_NAMES, schedules: schedules.map((s) => s.id) }, 'workers started');

  return {
    async close() {
      // Worker.close() waits for the jobs in flight to finish.
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
