// Database reads for the wallboard: display names, and the rows the reconciliation rebuilds the
// live figures from. Raw SQL over other features' tables, read-only; each source is skipped
// while its table does not exist yet, so the wallboard works as the features land.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface CallRow {
  id: string;
  queuedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  abandoned: boolean;
  operatorId: string | null;
}
export interface OfferRow {
  callId: string;
  operatorId: string;
  decidedAt: Date;
}
export interface StateRow {
  userId: string;
  state: string;
  since: Date;
  reason: string | null;
}
export interface HistoryRow {
  userId: string;
  state: string;
  startedAt: Date;
  endedAt: Date;
  reason: string | null;
}
export interface ConversationRow {
  id: string;
  operatorId: string | null;
  openedAt: Date;
  firstInbound: Date | null;
  firstOutbound: Date | null;
}
export interface RiskContactRow {
  id: string;
  riskLevel: 'R3' | 'R4';
  raisedAt: Date;
  alertAckedAt: Date | null;
}
export interface DispatchRow {
  id: string;
  state: string;
  ackDeadline: Date | null;
  deliveryDeadline: Date | null;
}
export interface DeadlineRow {
  id: string;
  caseId: string;
  dueDate: Date;
}

export function wallboardRepository(prisma: PrismaClient) {
  const existing = new Map<string, boolean>();
  const has = async (table: string) => {
    if (existing.get(table)) return true;
    const [row] = await prisma.$queryRawUnsafe<{ ok: boolean }[]>(`SELECT to_regclass($1) IS NOT NULL AS ok`, `"${table}"`);
    const ok = Boolean(row?.ok);
    if (ok) existing.set(table, true);
    return ok;
  };

  return {
    has,
    async names(ids: string[]): Promise<Record<string, string>> {
      if (!ids.length) return {};
      const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
      return Object.fromEntries(users.map((u) => [u.id, u.displayName]));
    },
    /** Queue calls whose wait or talk touches the period from `from`, plus those still open. */
    async calls(from: Date): Promise<CallRow[]> {
      if (!(await has('Call'))) return [];
      return prisma.$queryRawUnsafe<CallRow[]>(
        `SELECT id::text, "queuedAt", "answeredAt", "endedAt", abandoned, "operatorId"::text
           FROM "Call"
          WHERE "queuedAt" IS NOT NULL
            AND ("queuedAt" >= $1 OR "answeredAt" >= $1 OR "endedAt" >= $1 OR "endedAt" IS NULL)`,
        from,
      );
    },
    /** Accepted offers (first answer, then transfers) of those calls, in order. */
    async acceptedOffers(callIds: string[]): Promise<OfferRow[]> {
      if (!callIds.length || !(await has('CallOffer'))) return [];
      return prisma.$queryRawUnsafe<OfferRow[]>(
        `SELECT "callId"::text, "operatorId"::text, "decidedAt" FROM "CallOffer"
          WHERE outcome = 'accepted' AND "decidedAt" IS NOT NULL AND "callId" = ANY($1::uuid[])
          ORDER BY "decidedAt"`,
        callIds,
      );
    },
    async operatorStates(): Promise<StateRow[]> {
      if (!(await has('OperatorState'))) return [];
      return prisma.$queryRawUnsafe<StateRow[]>(`SELECT "userId"::text, state::text, since, reason FROM "OperatorState"`);
    },
    async stateHistory(from: Date): Promise<HistoryRow[]> {
      if (!(await has('OperatorStateHistory'))) return [];
      return prisma.$queryRawUnsafe<HistoryRow[]>(
        `SELECT "userId"::text, state::text, "startedAt", "endedAt", reason FROM "OperatorStateHistory" WHERE "endedAt" >= $1`,
        from,
      );
    },
    async openConversations(): Promise<ConversationRow[]> {
      if (!(await has('Conversation'))) return [];
      return prisma.$queryRawUnsafe<ConversationRow[]>(
        `SELECT c.id::text, c."operatorId"::text, c."openedAt",
                (SELECT min(m."createdAt") FROM "Message" m WHERE m."conversationId" = c.id AND m.direction = 'inbound') AS "firstInbound",
                (SELECT min(m."createdAt") FROM "Message" m WHERE m."conversationId" = c.id AND m.direction = 'outbound') AS "firstOutbound"
           FROM "Conversation" c WHERE c.status = 'open'`,
      );
    },
    // ─── One-row lookups that give an event its recorded times (primary-key reads) ───────────
    async callTimes(id: string): Promise<CallRow | null> {
      const [row] = await prisma.$queryRawUnsafe<CallRow[]>(
        `SELECT id::text, "queuedAt", "answeredAt", "endedAt", abandoned, "operatorId"::text FROM "Call" WHERE id = $1::uuid`,
        id,
      );
      return row ?? null;
    },
    async message(id: string): Promise<{ conversationId: string | null; direction: string; createdAt: Date } | null> {
      const [row] = await prisma.$queryRawUnsafe<{ conversationId: string | null; direction: string; createdAt: Date }[]>(
        `SELECT "conversationId"::text, direction::text, "createdAt" FROM "Message" WHERE id = $1::uuid`,
        id,
      );
      return row ?? null;
    },
    async contactAlert(id: string): Promise<{ riskLevel: string; status: string; raisedAt: Date; alertAckedAt: Date | null } | null> {
      const [row] = await prisma.$queryRawUnsafe<{ riskLevel: string; status: string; raisedAt: Date; alertAckedAt: Date | null }[]>(
        `SELECT "riskLevel"::text AS "riskLevel", status::text, COALESCE("alertRaisedAt", "createdAt") AS "raisedAt", "alertAckedAt"
         FROM "Contact" WHERE id = $1::uuid`,
        id,
      );
      return row ?? null;
    },
    async dispatch(id: string): Promise<DispatchRow | null> {
      const [row] = await prisma.$queryRawUnsafe<DispatchRow[]>(
        `SELECT id::text, state::text, "ackDeadline", "deliveryDeadline" FROM "Dispatch" WHERE id = $1::uuid`,
        id,
      );
      return row ?? null;
    },
    async deadlinesOfCase(caseId: string): Promise<DeadlineRow[]> {
      return prisma.$queryRawUnsafe<DeadlineRow[]>(`SELECT id::text, "caseId"::text, "dueDate" FROM "CaseDeadline" WHERE "caseId" = $1::uuid`, caseId);
    },

    async openRiskContacts(): Promise<RiskContactRow[]> {
      if (!(await has('Contact'))) return [];
      return prisma.$queryRawUnsafe<RiskContactRow[]>(
        `SELECT id::text, "riskLevel"::text AS "riskLevel", COALESCE("alertRaisedAt", "createdAt") AS "raisedAt", "alertAckedAt"
           FROM "Contact" WHERE "riskLevel" IN ('R3', 'R4') AND status <> 'finalised'`,
      );
    },
    async openDispatches(): Promise<DispatchRow[]> {
      if (!(await has('Dispatch'))) return [];
      return prisma.$queryRawUnsafe<DispatchRow[]>(
        `SELECT id::text, state::text, "ackDeadline", "deliveryDeadline" FROM "Dispatch"
          WHERE state IN ('requested', 'offered', 'accepted', 'in_progress')`,
      );
    },
    async unmetDeadlines(): Promise<DeadlineRow[]> {
      if (!(await has('CaseDeadline'))) return [];
      return prisma.$queryRawUnsafe<DeadlineRow[]>(
        `SELECT d.id::text, d."caseId"::text, d."dueDate" FROM "CaseDeadline" d JOIN "Case" c ON c.id = d."caseId"
          WHERE d."metOn" IS NULL AND c.stage <> 'closed'`,
      );
    },
  };
}
export type WallboardRepository = ReturnType<typeof wallboardRepository>;
