// The personal-data breach register (152-FZ art. 21 part 3.1): what leaked, when it was found, how
// many people, which kinds of data, the measures taken, and the notices to Roskomnadzor, whose
// 24 h and 72 h deadlines run from discovery. Admin-only; every read and change is audited.
// Notices are kept as sent: there is no edit or delete.
import { breachDeadlines, type BreachNoticeBody, type BreachView, type CreateBreachBody, type UpdateBreachBody } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import { invalid, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { BreachRow, PrivacyRepository } from './privacy.repository.js';

/** Clocks a little ahead are tolerated; a discovery further in the future is a typing mistake. */
const FUTURE_SLACK_MS = 5 * 60_000;

export function breachesService(deps: { repo: PrivacyRepository; audit: AuditService; transaction: Transactor; now?: () => Date }) {
  const { repo, audit, transaction } = deps;
  const now = deps.now ?? (() => new Date());

  async function views(rows: BreachRow[], tx?: Db): Promise<BreachView[]> {
    const names = await repo.staffNames(
      rows.flatMap((r) => [r.recordedById, ...r.notices.map((n) => n.recordedById)]),
      tx,
    );
    const staff = (id: string | null) => (id ? { id, displayName: names.get(id) ?? '—' } : null);
    const asOf = now();
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      summary: r.summary,
      discoveredAt: r.discoveredAt.toISOString(),
      occurredAt: r.occurredAt?.toISOString() ?? null,
      peopleAffected: r.peopleAffected,
      dataKinds: r.dataKinds as BreachView['dataKinds'],
      measures: r.measures,
      closedAt: r.closedAt?.toISOString() ?? null,
      recordedBy: staff(r.recordedById),
      createdAt: r.createdAt.toISOString(),
      asOf: asOf.toISOString(),
      deadlines: breachDeadlines(r.discoveredAt, r.notices, asOf),
      notices: r.notices.map((n) => ({
        id: n.id,
        kind: n.kind,
        sentAt: n.sentAt.toISOString(),
        recipient: n.recipient,
        content: n.content,
        recordedBy: staff(n.recordedById),
        createdAt: n.createdAt.toISOString(),
      })),
    }));
  }

  function notInFuture(path: string, at: Date) {
    if (at.getTime() > now().getTime() + FUTURE_SLACK_MS) throw invalid(path, 'cannot be in the future');
  }

  async function load(id: string, tx?: Db) {
    const row = await repo.findBreach(id, tx);
    if (!row) throw notFound('breach');
    return row;
  }

  return {
    async create(body: CreateBreachBody, actor: Actor) {
      const discoveredAt = new Date(body.discoveredAt);
      const occurredAt = body.occurredAt ? new Date(body.occurredAt) : null;
      notInFuture('body.discoveredAt', discoveredAt);
      if (occurredAt && occurredAt > discoveredAt) throw invalid('body.occurredAt', 'cannot be after the discovery');
      return transaction(async (tx) => {
        const row = await repo.createBreach(
          {
            summary: body.summary,
            discoveredAt,
            occurredAt,
            peopleAffected: body.peopleAffected ?? null,
            dataKinds: [...new Set(body.dataKinds)],
            measures: body.measures,
            recordedById: actor.userId,
          },
          tx,
        );
        await audit.record(
          actor,
          'breach.create',
          { entity: 'DataBreach', entityId: row.id, detail: { number: row.number, dataKinds: row.dataKinds, peopleAffected: row.peopleAffected } },
          tx,
        );
        return (await views([row], tx))[0]!;
      });
    },

    async list(actor: Actor, limit = 200) {
      const rows = await repo.listBreaches(limit);
      await audit.record(actor, 'breach.list', { entity: 'DataBreach', detail: { count: rows.length } });
      return views(rows);
    },

    async read(id: string, actor: Actor) {
      const row = await load(id);
      await audit.record(actor, 'breach.read', { entity: 'DataBreach', entityId: id });
      return (await views([row]))[0]!;
    },

    async update(id: string, body: UpdateBreachBody, actor: Actor) {
      return transaction(async (tx) => {
        await repo.lockBreach(id, tx);
        const row = await load(id, tx);
        const occurredAt = body.occurredAt === undefined ? undefined : body.occurredAt ? new Date(body.occurredAt) : null;
        if (occurredAt && occurredAt > row.discoveredAt) throw invalid('body.occurredAt', 'cannot be after the discovery');
        const closedAt = body.closed === undefined ? undefined : body.closed ? (row.closedAt ?? now()) : null;
        await repo.updateBreach(
          id,
          {
            summary: body.summary,
            occurredAt,
            peopleAffected: body.peopleAffected,
            dataKinds: body.dataKinds ? [...new Set(body.dataKinds)] : undefined,
            measures: body.measures,
            closedAt,
          },
          tx,
        );
        await audit.record(actor, 'breach.update', { entity: 'DataBreach', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return (await views([await load(id, tx)], tx))[0]!;
      });
    },

    async addNotice(id: string, body: BreachNoticeBody, actor: Actor) {
      const sentAt = new Date(body.sentAt);
      notInFuture('body.sentAt', sentAt);
      return transaction(async (tx) => {
        await repo.lockBreach(id, tx);
        const row = await load(id, tx);
        if (sentAt < row.discoveredAt) throw invalid('body.sentAt', 'cannot be before the breach was discovered');
        const notice = await repo.addNotice(
          { breachId: id, kind: body.kind, sentAt, recipient: body.recipient, content: body.content, recordedById: actor.userId },
          tx,
        );
        await audit.record(
          actor,
          'breach.notice',
          { entity: 'DataBreach', entityId: id, detail: { noticeId: notice.id, kind: body.kind, sentAt: sentAt.toISOString() } },
          tx,
        );
        return (await views([await load(id, tx)], tx))[0]!;
      });
    },
  };
}
export type BreachesService = ReturnType<typeof breachesService>;
