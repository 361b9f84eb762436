// The only Prisma user of dispatch: dispatches, offers, steps and capacity holds (the outbox's rows
// are jobs/outbox.repository.ts's).
import { OPEN_DISPATCH_STATES } from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { DispatchState, OfferState } from '../../generated/prisma/enums.js';

const withNames = { offers: { orderBy: { createdAt: 'asc' } } } as const;

export function dispatchRepository(db: Db) {
  return {
    create(data: Prisma.DispatchUncheckedCreateInput, tx: Db = db) {
      return tx.dispatch.create({ data });
    },
    find(id: string, tx: Db = db) {
      return tx.dispatch.findUnique({ where: { id }, include: withNames });
    },
    /** Locks the row for the rest of the transaction: transitions of one dispatch run one at a time. */
    async lock(id: string, tx: Db) {
      await tx.$queryRaw`SELECT id FROM "Dispatch" WHERE id = ${id}::uuid FOR UPDATE`;
      return tx.dispatch.findUnique({ where: { id }, include: withNames });
    },
    update(id: string, data: Prisma.DispatchUncheckedUpdateInput, tx: Db = db) {
      return tx.dispatch.update({ where: { id }, data });
    },
    addEvent(data: Prisma.DispatchEventUncheckedCreateInput, tx: Db = db) {
      return tx.dispatchEvent.create({ data });
    },
    events(dispatchId: string, tx: Db = db) {
      return tx.dispatchEvent.findMany({ where: { dispatchId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    },
    hasEvent(dispatchId: string, type: string, detailKey: string, tx: Db = db) {
      return tx.dispatchEvent.findFirst({ where: { dispatchId, type, detail: { path: ['key'], equals: detailKey } }, select: { id: true } });
    },

    createOffer(data: Prisma.DispatchOfferUncheckedCreateInput, tx: Db = db) {
      return tx.dispatchOffer.create({ data });
    },
    findOffer(id: string, tx: Db = db) {
      return tx.dispatchOffer.findUnique({ where: { id }, include: { dispatch: true } });
    },
    updateOffer(id: string, data: Prisma.DispatchOfferUncheckedUpdateInput, tx: Db = db) {
      return tx.dispatchOffer.update({ where: { id }, data });
    },
    async codeInUse(code: string, tx: Db = db) {
      return (await tx.dispatchOffer.count({ where: { code, state: { in: ['pending', 'accepted'] } } })) > 0;
    },
    /** Offers a provider may still answer by SMS with this code. */
    openOffersByCode(code: string, tx: Db = db) {
      return tx.dispatchOffer.findMany({ where: { code, state: { in: ['pending', 'accepted'] } }, include: { dispatch: true } });
    },
    phone(id: string, tx: Db = db) {
      return tx.dirPhone.findUnique({ where: { id }, select: { id: true, numberEnc: true, numberHash: true } });
    },
    smsPhoneOf(serviceId: string, tx: Db = db) {
      return tx.dirPhone.findFirst({ where: { serviceId, type: { in: ['text', 'cell'] } }, orderBy: { id: 'asc' }, select: { id: true } });
    },
    serviceNames(ids: string[], tx: Db = db) {
      return tx.dirService.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, organization: { select: { name: true } } } });
    },
    /** Acceptance record per service: offers answered, accepted, mean seconds to accept. */
    async offerStats(serviceIds: string[], tx: Db = db) {
      if (!serviceIds.length) return new Map<string, { offers: number; accepted: number; avgAcceptSeconds: number | null }>();
      const rows = await tx.$queryRaw<{ serviceId: string; offers: bigint; accepted: bigint; avg: number | null }[]>`
        SELECT "serviceId", count(*) AS offers, count(*) FILTER (WHERE state = 'accepted') AS accepted,
               avg(EXTRACT(EPOCH FROM ("answeredAt" - "createdAt"))) FILTER (WHERE state = 'accepted')::float8 AS avg
        FROM "DispatchOffer" WHERE "serviceId" = ANY(${serviceIds}::uuid[]) AND state IN ('accepted', 'declined', 'expired') GROUP BY "serviceId"`;
      return new Map(rows.map((r) => [r.serviceId, { offers: Number(r.offers), accepted: Number(r.accepted), avgAcceptSeconds: r.avg }]));
    },

    createHold(data: { dispatchId: string; capacityId: string; quantity: number }, tx: Db) {
      return tx.capacityHold.create({ data });
    },
    activeHolds(dispatchId: string, tx: Db) {
      return tx.capacityHold.findMany({ where: { dispatchId, releasedAt: null } });
    },
    releaseHold(id: string, tx: Db) {
      return tx.capacityHold.update({ where: { id }, data: { releasedAt: new Date() } });
    },
    capacityOf(serviceId: string, tx: Db) {
      return tx.dirServiceCapacity.findFirst({ where: { serviceId }, orderBy: { updated: 'desc' } });
    },

    board(where: { kind?: string; district?: string; urgency?: string; closedSince: Date }, tx: Db = db) {
      return tx.dispatch.findMany({
        where: {
          ...(where.kind ? { kind: where.kind as never } : {}),
          ...(where.urgency ? { urgency: where.urgency as never } : {}),
          ...(where.district ? { district: { equals: where.district, mode: 'insensitive' } } : {}),
          OR: [{ state: { in: [...OPEN_DISPATCH_STATES] } }, { closedAt: { gte: where.closedSince } }],
        },
        orderBy: { createdAt: 'asc' },
        take: 500,
      });
    },
    byContact(contactId: string, tx: Db = db) {
      return tx.dispatch.findMany({ where: { contactId }, orderBy: { createdAt: 'asc' }, include: { events: { orderBy: { at: 'asc' } } } });
    },
    countByState(tx: Db = db) {
      return tx.dispatch.groupBy({ by: ['state'], _count: true });
    },
  };
}
export type DispatchRepository = ReturnType<typeof dispatchRepository>;
export type DispatchRow = NonNullable<Awaited<ReturnType<DispatchRepository['find']>>>;
export type { DispatchState, OfferState };
