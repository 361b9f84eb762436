// The only Prisma user for contacts. Every method takes an optional transaction.
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Channel } from '@trustline/shared';
import type { RiskLevel } from '../../generated/prisma/enums.js';

export const contactInclude = {
  categories: { include: { category: true } },
  identity: true,
  people: { orderBy: { age: 'asc' } },
} as const satisfies Prisma.ContactInclude;

export type ContactRow = Prisma.ContactGetPayload<{ include: typeof contactInclude }>;

export interface NewContact {
  /** One of CHANNELS (shared/src/contacts.ts); the column is text. */
  channel: Channel | (string & {});
  operatorId: string | null;
  callId?: string | null;
  conversationId?: string | null;
  phoneHash?: string | null;
  sourceOrgType?: string | null;
  sourceOrgName?: string | null;
}

export function contactsRepository(db: Db) {
  return {
    /** What a follow-up reminder job needs to know whether it is still due, and for whom. */
    followUpState(contactId: string, tx: Db = db) {
      return tx.contact.findUnique({
        where: { id: contactId },
        select: { followUpAt: true, followUpDoneAt: true, followUpAssigneeId: true, operatorId: true },
      });
    },
    create(data: NewContact, tx: Db = db) {
      return tx.contact.create({ data, include: contactInclude });
    },
    find(id: string, tx: Db = db) {
      return tx.contact.findUnique({ where: { id }, include: contactInclude });
    },
    /** Row-locks the contact for the rest of the transaction (serialises concurrent saves). */
    async lock(id: string, tx: Db) {
      await tx.$queryRaw`SELECT 1 FROM "Contact" WHERE id = ${id}::uuid FOR UPDATE`;
    },
    findByCall(callId: string, tx: Db = db) {
      return tx.contact.findUnique({ where: { callId }, include: contactInclude });
    },
    findByConversation(conversationId: string, tx: Db = db) {
      return tx.contact.findUnique({ where: { conversationId }, include: contactInclude });
    },
    /** Optimistic update: applies only if the row still has `version`; returns false otherwise. */
    async updateVersioned(id: string, version: number, data: Prisma.ContactUncheckedUpdateManyInput, tx: Db = db) {
      const res = await tx.contact.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
      return res.count === 1;
    },
    update(id: string, data: Prisma.ContactUncheckedUpdateInput, tx: Db = db) {
      return tx.contact.update({ where: { id }, data, include: contactInclude });
    },
    async setCategories(id: string, categoryIds: string[], tx: Db = db) {
      await tx.contactCategory.deleteMany({ where: { contactId: id, categoryId: { notIn: categoryIds } } });
      if (categoryIds.length) {
        await tx.contactCategory.createMany({ data: categoryIds.map((categoryId) => ({ contactId: id, categoryId })), skipDuplicates: true });
      }
    },
    countCategories(ids: string[], tx: Db = db) {
      return tx.category.count({ where: { id: { in: ids } } });
    },
    /** Categories that are retired and not already on the contact (may not be newly added). */
    retiredNotOn(contactId: string, ids: string[], tx: Db = db) {
      return tx.category.findMany({ where: { id: { in: ids }, retired: true, contacts: { none: { contactId } } }, select: { id: true } });
    },
    areaExists(id: string, tx: Db = db) {
      return tx.area.count({ where: { id } }).then((n) => n > 0);
    },
    upsertIdentity(
      contactId: string,
      data: { consentAt: Date; name: string | null; age: number | null; address: string | null; phoneHash: string | null; phoneSealed: string | null },
      tx: Db = db,
    ) {
      return tx.contactIdentity.upsert({ where: { contactId }, create: { contactId, ...data }, update: data });
    },
    async replacePeople(contactId: string, people: { relation: string; name: string | null; age: number | null }[], tx: Db = db) {
      await tx.contactPerson.deleteMany({ where: { contactId } });
      if (people.length) await tx.contactPerson.createMany({ data: people.map((p) => ({ contactId, ...p })) });
    },
    async removeIdentity(contactId: string, tx: Db = db) {
      await tx.contactIdentity.deleteMany({ where: { contactId } });
      await tx.contactPerson.deleteMany({ where: { contactId } });
    },
    appendEvent(contactId: string, kind: string, actorId: string | null, detail: Prisma.InputJsonValue | undefined, tx: Db = db) {
      return tx.contactEvent.create({ data: { contactId, kind, actorId, detail } });
    },
    events(contactId: string, tx: Db = db) {
      return tx.contactEvent.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
    },
    earlier(phoneHash: string, before: Date, excludeId: string, limit: number, tx: Db = db) {
      return Promise.all([
        tx.contact.count({ where: { phoneHash, createdAt: { lt: before }, id: { not: excludeId } } }),
        tx.contact.findMany({
          where: { phoneHash, createdAt: { lt: before }, id: { not: excludeId } },
          orderBy: { createdAt: 'desc' },
          take: limit,
          include: { categories: { include: { category: true } } },
        }),
      ]);
    },
    activeFlags(phoneHash: string, now: Date, tx: Db = db) {
      return tx.callerFlag.findMany({ where: { phoneHash, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
    },
    createFlag(data: { phoneHash: string; kind: string; reason: string; expiresAt: Date; setById: string | null }, tx: Db = db) {
      return tx.callerFlag.create({ data });
    },
    highRisk(tx: Db = db) {
      return tx.contact.findMany({
        where: { riskLevel: { in: ['R3', 'R4'] as RiskLevel[] }, status: { not: 'finalised' } },
        orderBy: [{ riskLevel: 'desc' }, { hasMinor: 'desc' }, { createdAt: 'asc' }],
        take: 500,
      });
    },
  };
}
export type ContactsRepository = ReturnType<typeof contactsRepository>;
