import type { Prisma as PrismaTypes } from '../../generated/prisma/client.js';
import type { Db } from '../../db/tx.js';

export interface AuditEntryInput {
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entity?: string;
  entityId?: string;
  ip?: string | null;
  userAgent?: string | null;
  detail?: PrismaTypes.InputJsonValue;
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  actorId?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  limit: number;
  beforeId?: bigint;
}

export function auditRepository(db: Db) {
  return {
    append(entry: AuditEntryInput, tx: Db = db) {
      return tx.auditLog.create({
        data: {
          actorId: entry.actorId,
          actorLabel: entry.actorLabel,
          action: entry.action,
          entity: entry.entity,
          entityId: entry.entityId,
          ip: entry.ip ?? null,
          userAgent: entry.userAgent ?? null,
          detail: entry.detail,
        },
        select: { id: true },
      });
    },
    list(q: AuditQuery, tx: Db = db) {
      return tx.auditLog.findMany({
        where: {
          at: { gte: q.from, lt: q.to },
          actorId: q.actorId,
          action: q.action ? { startsWith: q.action } : undefined,
          entity: q.entity,
          entityId: q.entityId,
          id: q.beforeId ? { lt: q.beforeId } : undefined,
        },
        orderBy: { id: 'desc' },
        take: q.limit,
      });
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
