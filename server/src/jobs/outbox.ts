// The transactional outbox (invariant 3), for every feature: a job that must not be lost is
// written as an Outbox row in the same transaction as the change that needs it, so either both
// commit or neither does. The relay moves rows to BullMQ with their jobId (a second relay of the
// same row is a no-op in BullMQ) and marks them relayed. It runs right after each commit (kick)
// and from its own queue's sweep, so rows left behind by a crash or a Redis outage go out
// once Redis is back. Delays are computed at relay time from `runAt`, so a deadline fires at its
// time whenever the row is relayed.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Db, Transactor } from '../db/tx.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { JobName, JobPayloads, QueueName, Queues } from './queues.js';

/** One job to write: its queue, its name and the payload that name takes (ids only). */
export type OutboxJob = {
  [Q in QueueName]: {
    [N in JobName<Q>]: { queue: Q; name: N; data: JobPayloads[Q][N]; jobId: string; runAt?: Date | null; priority?: number | null };
  }[JobName<Q>];
}[QueueName];

/** Relayed rows are kept this long (for a look after an incident), then purged. */
const KEEP_RELAYED_MS = 7 * 24 * 3600_000;

export function outbox(deps: { repo: OutboxRepository; transaction: Transactor; queues: Queues; log: Logger; batch?: number }) {
  const { repo, transaction, queues, log } = deps;
  const batch = deps.batch ?? 500;
  let running: Promise<number> | null = null;
  let again = false;

  async function relayBatch(): Promise<number> {
    return transaction(async (tx) => {
      const rows = await repo.claim(batch, tx);
      if (!rows.length) return 0;
      const now = Date.now();
      const byQueue = new Map<string, typeof rows>();
      for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
      for (const [queue, list] of byQueue) {
        const q = queues[queue as QueueName] as unknown as Queue;
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

  const relay = {
    /** Inside the producer's transaction: the jobs go out once it commits (then call kick). */
    async write(jobs: OutboxJob[], tx: Db) {
      if (jobs.length)
        await repo.add(
          jobs.map((j) => ({ ...j, data: j.data as Prisma.InputJsonValue })),
          tx,
        );
    },
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
            relay.kick();
          }
        });
    },
    /** For tests and shutdown: waits for a relay in flight. */
    async idle() {
      while (running) await running;
    },
    /** Rows not yet relayed (the operations page shows them). */
    pending: () => repo.pending(),
    /** Drops rows relayed more than a week ago. */
    purge: () => repo.purgeRelayed(new Date(Date.now() - KEEP_RELAYED_MS)),
  };
  return relay;
}
export type Outbox = ReturnType<typeof outbox>;
