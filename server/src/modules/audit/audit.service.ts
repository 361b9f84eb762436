// One helper for the audit log: who, what, which record, when, from where. Services call
// `audit.record(ctx, ...)` inside the same transaction as the change it describes, so an
// action and its audit entry stand or fall together. The viewer's reads (`list`, `csv`) add
// what a person needs to read an entry: the actor's name, a readable reference for the record,
// the reason given; the raw row stays as written.
import { auditReason, isUuid, type AuditAction, type AuditEntry } from '@trustline/shared';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import type { Prisma as PrismaTypes } from '../../generated/prisma/client.js';
import { auditCsv, type CsvLang } from './audit.csv.js';
import type { AuditFilter, AuditQuery, AuditRepository, EntityRef } from './audit.repository.js';

// Re-exported: every feature names its actor as audit's, and the CLI and tests take systemActor here.
export { systemActor, type Actor } from '../../actor.js';

/** The most entries one CSV holds; a wider view is refused so a file never stops short silently. */
export const AUDIT_EXPORT_MAX = 10_000;
const BATCH = 500;
/** Kinds an id inside `detail` may name; each is looked up, the first that knows it names it. */
const DETAIL_KINDS = ['User', 'Case', 'Dispatch', 'Contact', 'Call', 'Conversation', 'Line', 'DirService', 'Category', 'Area'] as const;

type Row = Awaited<ReturnType<AuditRepository['list']>>[number];

function collectIds(v: unknown, out: Set<string>) {
  if (isUuid(v)) out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectIds(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectIds(x, out);
}

export function auditService(repo: AuditRepository) {
  /** Rows as the viewer shows them. */
  async function readable(rows: Row[]): Promise<AuditEntry[]> {
    const actors = await repo.staff(rows.map((r) => r.actorId).filter((x): x is string => !!x));
    const detailIds = new Set<string>();
    for (const r of rows) collectIds(r.detail, detailIds);
    const wanted: EntityRef[] = rows.filter((r) => r.entity && r.entityId).map((r) => ({ entity: r.entity!, id: r.entityId! }));
    for (const id of detailIds) for (const entity of DETAIL_KINDS) wanted.push({ entity, id });
    const refs = await repo.references(wanted);
    return rows.map((r) => {
      const detail = (r.detail && typeof r.detail === 'object' && !Array.isArray(r.detail) ? r.detail : null) as Record<string, unknown> | null;
      const found = r.entity && r.entityId ? refs.get(`${r.entity}:${r.entityId}`) : undefined;
      // Kinds without a table of their own (a calendar date, a report's name) are readable as stored;
      // an id no lookup knows (a deleted record) shows as its short form.
      const reference = found?.text ?? (r.entityId ? (isUuid(r.entityId) ? r.entityId.slice(0, 8) : r.entityId) : null);
      const entryRefs: AuditEntry['refs'] = {};
      const ids = new Set<string>();
      collectIds(detail, ids);
      for (const id of ids) {
        const kind = DETAIL_KINDS.find((k) => refs.has(`${k}:${id}`));
        if (kind) entryRefs[id] = { entity: kind, text: refs.get(`${kind}:${id}`)!.text };
      }
      return {
        id: r.id.toString(),
        at: r.at.toISOString(),
        actorId: r.actorId,
        actorLabel: r.actorLabel,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        ip: r.ip,
        userAgent: r.userAgent,
        detail,
        actor: (r.actorId && actors.get(r.actorId)) || null,
        reference,
        referenceAt: found?.at?.toISOString() ?? null,
        reason: auditReason(detail),
        refs: entryRefs,
      };
    });
  }

  function record(actor: Actor, action: AuditAction, target: { entity?: string; entityId?: string; detail?: PrismaTypes.InputJsonValue } = {}, tx?: Db) {
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
  }

  return {
    record,

    async list(q: AuditQuery) {
      return readable(await repo.list(q));
    },

    /** The filtered view as one CSV file, newest first; the export is itself audited. */
    async csv(f: AuditFilter, lang: CsvLang, timeZone: string, actor: Actor) {
      const total = await repo.count(f);
      if (total > AUDIT_EXPORT_MAX) {
        throw new DomainError(
          'AUDIT_EXPORT_TOO_LARGE',
          `${total} entries match; an export holds at most ${AUDIT_EXPORT_MAX}: narrow the dates or filters`,
          400,
        );
      }
      const entries: AuditEntry[] = [];
      let beforeId: bigint | undefined;
      for (;;) {
        const rows = await repo.list({ ...f, limit: BATCH, beforeId });
        entries.push(...(await readable(rows)));
        if (rows.length < BATCH || entries.length >= AUDIT_EXPORT_MAX) break;
        beforeId = rows.at(-1)!.id;
      }
      const body = auditCsv(entries, lang, timeZone);
      // The search text is not kept: a person may type anything into it, and the log holds no
      // personal data. That a text filter was used is kept.
      const { q, from, to, ...rest } = f;
      await record(actor, 'audit.export', {
        entity: 'AuditLog',
        detail: {
          filters: { ...rest, ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}), ...(q ? { text: true } : {}) },
          rows: entries.length,
          lang,
        },
      });
      const day = new Intl.DateTimeFormat('sv-SE', { timeZone }).format(new Date());
      return { filename: `audit_${day}.csv`, body };
    },
  };
}
export type AuditService = ReturnType<typeof auditService>;
