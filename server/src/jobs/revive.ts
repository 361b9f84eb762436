// Jobs whose attempts were all spent while something they need was away — the database down for
// longer than the backoff, Twilio unreachable, no line to send from yet — would stay failed for
// ever although the cause has gone. Once a minute, when the database answers, failed jobs that
// spent their attempts are retried. Jobs a handler refused with UnrecoverableError (fewer
// attempts made than allowed) are left alone: retrying them changes nothing. Each job is revived
// at most MAX_REVIVALS times, then left failed for a person to look at (/admin/queues and the
// error log). Handlers are idempotent, as every retry already requires.
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Queues } from './queues.js';

export const MAX_REVIVALS = 10;
/** A failure younger than this is left to settle (its cause is likely still there). */
export const REVIVE_AFTER_MS = 60_000;

export async function reviveFailedJobs(deps: { queues: Queues; redis: Redis; prefix: string; log: Logger; now?: number }) {
  const { redis, log } = deps;
  const now = deps.now ?? Date.now();
  const counts = `${deps.prefix}:job-revivals`;
  let revived = 0;
  let givenUp = 0;
  for (const queue of Object.values(deps.queues) as unknown as Queue[]) {
    const failed = (await queue.getFailed(0, 499)) as (Job | undefined)[];
    for (const job of failed) {
      if (!job?.id) continue;
      if (job.attemptsMade < (job.opts.attempts ?? 1)) continue;
      if (now - (job.finishedOn ?? now) < REVIVE_AFTER_MS) continue;
      const n = await redis.hincrby(counts, `${queue.name}:${job.id}`, 1);
      if (n > MAX_REVIVALS) {
        if (n === MAX_REVIVALS + 1)
          log.error({ queue: queue.name, job: job.name, jobId: job.id, reason: job.failedReason }, 'job still fails after every revival; left failed');
        givenUp++;
        continue;
      }
      // Another process may have removed or retried it meanwhile (e.g. the SMS reconcile step).
      await job.retry('failed', { resetAttemptsMade: true }).then(
        () => revived++,
        () => {},
      );
    }
  }
  if (revived) {
    await redis.expire(counts, 7 * 24 * 3600);
    log.info({ revived }, 'failed jobs retried now that the stores answer');
  }
  return { revived, givenUp };
}
