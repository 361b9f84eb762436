// The outbox's rows (invariant 3): written in the transaction of the change that needs the job,
// claimed and marked by the relay.
import type { Db } from '../db/tx.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface OutboxRow {
  queue: string;
  name: string;
  jobId: string;
  data: Prisma.InputJsonValue;
  runAt?: Date | null;
  priority?: number | null;
}

export function outboxRepository(db: Db) {
  return {
    add(rows: OutboxRow[], tx: Db) {
      return tx.outbox.createMany({ data: rows });
    },
    /** Claims unrelayed rows; other relays skip them until this transaction ends. */
    claim(limit: number, tx: Db) {
      return tx.$queryRaw<{ id: bigint; queue: string; name: string; jobId: string; data: unknown; runAt: Date | null; priority: number | null }[]>`
        SELECT id, queue, name, "jobId", data, "runAt", priority FROM "Outbox"
        WHERE "relayedAt" IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    },
    markRelayed(ids: bigint[], tx: Db) {
      return tx.outbox.updateMany({ where: { id: { in: ids } }, data: { relayedAt: new Date(), attempts: { increment: 1 } } });
    },
    pending(tx: Db = db) {
      return tx.outbox.count({ where: { relayedAt: null } });
    },
    purgeRelayed(before: Date, tx: Db = db) {
      return tx.outbox.deleteMany({ where: { relayedAt: { lt: before } } });
    },
  };
}
export type OutboxRepository = ReturnType<typeof outboxRepository>;
