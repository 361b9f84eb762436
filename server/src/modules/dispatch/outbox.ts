// The transactional outbox's relay (invariant 3). Services write Outbox rows in the same
// transaction as the state change that needs the jobs; the relay moves them to BullMQ with their
// jobId (a second relay of the same row is a no-op in BullMQ) and marks them relayed. It runs
// right after each commit (kick) and from a job scheduler sweep, so rows left behind by a crash
// or a Redis outage go out once Redis is back. Delays are computed at relay time from `runAt`,
// so a deadline fires at its time whenever the row is relayed.
import type { Logger } from 'pino';
import type { Transactor } from '../../db/tx.js';
import type { Queues, QueueName } from '../../jobs/queues.js';
import type { DispatchRepository } from './dispatch.repository.js';

export function outboxRelay(deps: { repo: DispatchRepository; transaction: Transactor; queues: Queues; log: Logger; batch?: number }) {
  const { repo, transaction, queues, log } = deps;
  const batch = deps.batch ?? 500;
  let running: Promise<number> | null = null;
  let again = false;

  async function relayBatch(): Promise<number> {
    return transaction(async (tx) => {
      const rows = await repo.claimOutbox(batch, tx);
      if (!rows.length) return 0;
      const now = Date.now();
      const byQueue = new Map<string, typeof rows>();
      for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
      for (const [queue, list] of byQueue) {
        const q = queues[queue as QueueName] as unknown as import('bullmq').Queue;
        await q.addBulk(
          list.map((r) => ({
            name: r.name,
            data: r.data,
            opts: { jobId: r.jobId, ...(r.runAt ? { delay: Math.max(0, r.runAt.getTime() - now) } : {}), ...(r.priority ? { priority: r.priority } : {}) },
          })),
        );
      }
      await repo.markRelayed(
        rows.map((r) => r.id),
        tx,
      );
      return rows.length;
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await relayBatch();
      total += n;
      if (n < batch) return total;
    }
  }

  return {
    /** Relays everything pending now; throws when Redis or the database is down. */
    drain,
    /** After a commit: relay soon, in the background; failures are left to the sweep. */
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = drain()
        .catch((err) => {
          log.warn({ err: { message: (err as Error).message } }, 'outbox relay deferred to the sweep');
          return 0;
        })
        .finally(() => {
          running = null;
          if (again) {
            again = false;
            this.kick();
          }
        });
    },
    /** For tests and shutdown: waits for a relay in flight. */
    async idle() {
      while (running) await running;
    },
  };
}
export type OutboxRelay = ReturnType<typeof outboxRelay>;
