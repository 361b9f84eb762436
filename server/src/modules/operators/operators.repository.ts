// Operator states, their history, and the choice of who gets waiting work next: the only Prisma
// user for operators.
import type { Db } from '../../db/tx.js';
import type { OperatorStateKind } from '../../generated/prisma/client.js';

export function operatorsRepository(db: Db) {
  return {
    findState(userId: string, tx: Db = db) {
      return tx.operatorState.findUnique({ where: { userId } });
    },
    listStates(tx: Db = db) {
      return tx.operatorState.findMany({ orderBy: { since: 'asc' } });
    },
    async lockState(userId: string, tx: Db) {
      await tx.operatorState.upsert({ where: { userId }, create: { userId, state: 'offline' }, update: {} });
      const rows = await tx.$queryRaw<{ state: OperatorStateKind; since: Date; version: number; reason: string | null }[]>`
        SELECT state, since, version, reason FROM "OperatorState" WHERE "userId" = ${userId}::uuid FOR UPDATE`;
      return rows[0]!;
    },
    async writeState(
      userId: string,
      prev: { state: OperatorStateKind; since: Date; reason: string | null },
      next: { state: OperatorStateKind; reason: string | null; at: Date },
      tx: Db,
    ) {
      await tx.operatorStateHistory.create({
        data: {
          userId,
          state: prev.state,
          reason: prev.reason,
          startedAt: prev.since,
          endedAt: next.at,
          durationMs: Math.max(0, next.at.getTime() - prev.since.getTime()),
        },
      });
      return tx.operatorState.update({ where: { userId }, data: { state: next.state, reason: next.reason, since: next.at, version: { increment: 1 } } });
    },
    /** Serialises routing decisions across processes and channels for this transaction. The key
     * predates the operators module and stays, so a rolling upgrade keeps one lock. */
    async lockRouting(tx: Db) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('tl:telephony:routing'))`;
    },
    /** The longest-idle available operator not in `exclude`; those in `last` come after the others. */
    async longestIdle(exclude: string[], last: string[], tx: Db = db): Promise<string | null> {
      const rows = await tx.$queryRaw<{ userId: string }[]>`
        SELECT s."userId" FROM "OperatorState" s
        WHERE s.state = 'available' AND NOT (s."userId" = ANY(${exclude}::uuid[]))
        ORDER BY (s."userId" = ANY(${last}::uuid[])) ASC, s.since ASC
        LIMIT 1`;
      return rows[0]?.userId ?? null;
    },
  };
}
export type OperatorsRepository = ReturnType<typeof operatorsRepository>;
