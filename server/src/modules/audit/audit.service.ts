// One helper for the audit log: who, what, which record, when, from where. Services call
// `audit.record(ctx, ...)` inside the same transaction as the change it describes, so an
// action and its audit entry stand or fall together.
import type { Db } from '../../db/tx.js';
import type { AuditRepository, AuditQuery } from './audit.repository.js';
import type { Prisma as PrismaTypes } from '../../generated/prisma/client.js';

/** Who is acting and from where; built from a request, a socket or a job. */
export interface Actor {
  userId: string | null;
  label: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export const systemActor = (label: string): Actor => ({ userId: null, label: `system:${label}` });

export function auditService(repo: AuditRepository) {
  return {
    record(
      actor: Actor,
      action: string,
      target: { entity?: string; entityId?: string; detail?: PrismaTypes.InputJsonValue } = {},
      tx?: Db,
    ) {
      return repo.append(
        {
          actorId: actor.userId,
          actorLabel: actor.label,
          action,
          entity: target.entity,
          entityId: target.entityId,
          ip: actor.ip,
          userAgent: actor.userAgent,
          detail: target.detail,
        },
        tx,
      );
    },
    async list(q: AuditQuery) {
      const rows = await repo.list(q);
      return rows.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() }));
    },
  };
}
export type AuditService = ReturnType<typeof auditService>;
