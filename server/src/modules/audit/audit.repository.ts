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

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actorId?: string;
  /** One code exactly. */
  action?: string;
  /** The first part of the code: every action of the group. */
  group?: string;
  entity?: string;
  entityId?: string;
  /** Free text on the readable reference (see `referenceMatches`). */
  q?: string;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  beforeId?: bigint;
}

/** A record an entry names, for `references`. */
export interface EntityRef {
  entity: string;
  id: string;
}
export interface Reference {
  text: string;
  at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const short = (id: string) => id.slice(0, 8);
/** Enough ids per kind for a text filter; a text matching more records than this is too vague to be useful. */
const MATCH_CAP = 500;

export function auditRepository(db: Db) {
  const contains = (q: string) => ({ contains: q, mode: 'insensitive' as const });

  /** The entries whose readable reference matches `q`. References are built from other tables,
   * so the text is first matched there and turned into ids. Caller identity is never searched:
   * references never show it. */
  async function referenceMatches(q: string): Promise<PrismaTypes.AuditLogWhereInput[]> {
    const num = /^(?:№|#|no\.?)?\s*(\d{1,9})$/i.exec(q)?.[1];
    const n = num ? Number(num) : null;
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    const [cases, dispatches, users, lines, categories, areas, orgs, services] = await Promise.all([
      n === null ? [] : db.case.findMany({ where: { number: n }, select: { id: true } }),
      n === null ? [] : db.dispatch.findMany({ where: { number: n }, select: { id: true } }),
      db.user.findMany({ where: { OR: [{ username: contains(q) }, { displayName: contains(q) }] }, select: { id: true }, take: MATCH_CAP }),
      db.line.findMany({ where: { name: contains(q) }, select: { id: true }, take: MATCH_CAP }),
      db.category.findMany({
        where: { OR: [{ code: contains(q) }, { labelRu: contains(q) }, { labelEn: contains(q) }] },
        select: { id: true },
        take: MATCH_CAP,
      }),
      db.area.findMany({ where: { OR: [{ code: contains(q) }, { nameRu: contains(q) }, { nameEn: contains(q) }] }, select: { id: true }, take: MATCH_CAP }),
      db.dirOrganization.findMany({ where: { name: contains(q) }, select: { id: true }, take: MATCH_CAP }),
      db.dirService.findMany({ where: { name: contains(q) }, select: { id: true }, take: MATCH_CAP }),
    ]);
    const kinds: [string, string[]][] = [
      ['Case', ids(cases)],
      ['Dispatch', ids(dispatches)],
      ['User', ids(users)],
      ['Line', ids(lines)],
      ['Category', ids(categories)],
      ['Area', ids(areas)],
      ['DirOrganization', ids(orgs)],
      ['DirService', ids(services)],
    ];
    return [
      // A short id as the viewer shows it, a calendar date, a report table's name.
      { entityId: { startsWith: q, mode: 'insensitive' } },
      ...kinds.filter(([, list]) => list.length).map(([entity, list]) => ({ entity, entityId: { in: list } })),
    ];
  }

  async function where(f: AuditFilter, beforeId?: bigint): Promise<PrismaTypes.AuditLogWhereInput> {
    return {
      at: { gte: f.from, lt: f.to },
      actorId: f.actorId,
      action: f.action ?? (f.group ? { startsWith: `${f.group}.` } : undefined),
      entity: f.entity,
      entityId: f.entityId,
      id: beforeId ? { lt: beforeId } : undefined,
      ...(f.q ? { OR: await referenceMatches(f.q) } : {}),
    };
  }

  /** Staff members by id, as they are named now. */
  async function staff(ids: string[], tx: Db = db) {
    const valid = [...new Set(ids)].filter((id) => UUID.test(id));
    if (!valid.length) return new Map<string, { displayName: string; username: string }>();
    const rows = await tx.user.findMany({ where: { id: { in: valid } }, select: { id: true, displayName: true, username: true } });
    return new Map(rows.map((r) => [r.id, { displayName: r.displayName, username: r.username }]));
  }

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
    async list(q: AuditQuery, tx: Db = db) {
      return tx.auditLog.findMany({ where: await where(q, q.beforeId), orderBy: { id: 'desc' }, take: q.limit });
    },
    async count(f: AuditFilter, tx: Db = db) {
      return tx.auditLog.count({ where: await where(f) });
    },

    staff,

    /**
     * Readable references, keyed `entity:id`. Only numbers, codes, staff and line names, provider
     * names and short ids: a contact, call or conversation is named by its short id and when it
     * began, never by its caller.
     */
    async references(refs: EntityRef[], tx: Db = db): Promise<Map<string, Reference>> {
      const out = new Map<string, Reference>();
      const byKind = new Map<string, string[]>();
      for (const r of refs) {
        const list = byKind.get(r.entity) ?? [];
        list.push(r.id);
        byKind.set(r.entity, list);
      }
      const uuids = (kind: string) => [...new Set(byKind.get(kind) ?? [])].filter((id) => UUID.test(id));
      const put = (kind: string, id: string, text: string, at: Date | null = null) => out.set(`${kind}:${id}`, { text, at });
      const lineNames = async (ids: (string | null)[]) => {
        const want = [...new Set(ids.filter((x): x is string => !!x))];
        const rows = want.length ? await tx.line.findMany({ where: { id: { in: want } }, select: { id: true, name: true } }) : [];
        return new Map(rows.map((l) => [l.id, l.name]));
      };
      const lookups: Record<string, (ids: string[]) => Promise<void>> = {
        User: async (ids) => {
          for (const [id, u] of await staff(ids, tx)) put('User', id, `${u.displayName} (${u.username})`);
        },
        Case: async (ids) => {
          for (const c of await tx.case.findMany({ where: { id: { in: ids } }, select: { id: true, number: true, createdAt: true } }))
            put('Case', c.id, `№ ${c.number}`, c.createdAt);
        },
        Dispatch: async (ids) => {
          for (const d of await tx.dispatch.findMany({ where: { id: { in: ids } }, select: { id: true, number: true, createdAt: true } }))
            put('Dispatch', d.id, `№ ${d.number}`, d.createdAt);
        },
        Contact: async (ids) => {
          for (const c of await tx.contact.findMany({ where: { id: { in: ids } }, select: { id: true, createdAt: true } }))
            put('Contact', c.id, short(c.id), c.createdAt);
        },
        Call: async (ids) => {
          const rows = await tx.call.findMany({ where: { id: { in: ids } }, select: { id: true, lineId: true, receivedAt: true } });
          const names = await lineNames(rows.map((r) => r.lineId));
          for (const c of rows) put('Call', c.id, [names.get(c.lineId ?? ''), short(c.id)].filter(Boolean).join(' · '), c.receivedAt);
        },
        Conversation: async (ids) => {
          const rows = await tx.conversation.findMany({ where: { id: { in: ids } }, select: { id: true, lineId: true, openedAt: true } });
          const names = await lineNames(rows.map((r) => r.lineId));
          for (const c of rows) put('Conversation', c.id, [names.get(c.lineId ?? ''), short(c.id)].filter(Boolean).join(' · '), c.openedAt);
        },
        CallbackRequest: async (ids) => {
          for (const c of await tx.callbackRequest.findMany({ where: { id: { in: ids } }, select: { id: true, createdAt: true } }))
            put('CallbackRequest', c.id, short(c.id), c.createdAt);
        },
        Line: async (ids) => {
          for (const [id, name] of await lineNames(ids)) put('Line', id, name);
        },
        Category: async (ids) => {
          for (const c of await tx.category.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } })) put('Category', c.id, c.code);
        },
        Area: async (ids) => {
          for (const a of await tx.area.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } })) put('Area', a.id, a.code);
        },
        DirOrganization: async (ids) => {
          for (const o of await tx.dirOrganization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }))
            put('DirOrganization', o.id, o.name);
        },
        DirService: async (ids) => {
          for (const s of await tx.dirService.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })) put('DirService', s.id, s.name);
        },
      };
      await Promise.all(
        Object.entries(lookups).map(async ([kind, fn]) => {
          const ids = uuids(kind);
          if (ids.length) await fn(ids);
        }),
      );
      return out;
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
