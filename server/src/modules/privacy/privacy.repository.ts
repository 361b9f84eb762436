// The only Prisma user of the privacy feature. Every method takes an optional transaction.
// Reads of other features' tables are narrow selects: who handles a contact, who curates a case,
// staff display names. It never writes there (the contacts service erases an identity).
import type { Db } from '../../db/tx.js';
import type { BreachNoticeKind, ConsentMethod, ConsentPurpose } from '../../generated/prisma/enums.js';

export interface ConsentSubject {
  contactId?: string | null;
  caseId?: string | null;
}

export interface NewConsent extends ConsentSubject {
  purpose: ConsentPurpose;
  method: ConsentMethod;
  reference?: string | null;
  recordedById: string | null;
  recordedAt?: Date;
}

export interface Withdrawal {
  at: Date;
  byId: string | null;
  method: ConsentMethod | null;
  reference?: string | null;
}

const subjectWhere = (s: ConsentSubject) => (s.contactId ? { contactId: s.contactId } : { caseId: s.caseId! });

export function privacyRepository(db: Db) {
  return {
    // ─── Consents ─────────────────────────────────────────────────────────────────────────────
    consentsOf(subject: ConsentSubject, tx: Db = db) {
      return tx.consent.findMany({ where: subjectWhere(subject), orderBy: [{ recordedAt: 'desc' }, { id: 'asc' }] });
    },
    findConsent(id: string, tx: Db = db) {
      return tx.consent.findUnique({ where: { id } });
    },
    activeConsent(subject: ConsentSubject, purpose: ConsentPurpose, tx: Db = db) {
      return tx.consent.findFirst({ where: { ...subjectWhere(subject), purpose, withdrawnAt: null } });
    },
    createConsent(data: NewConsent, tx: Db = db) {
      return tx.consent.create({
        data: {
          contactId: data.contactId ?? null,
          caseId: data.caseId ?? null,
          purpose: data.purpose,
          method: data.method,
          reference: data.reference ?? null,
          recordedById: data.recordedById,
          ...(data.recordedAt ? { recordedAt: data.recordedAt } : {}),
        },
      });
    },
    /** Marks one consent withdrawn; false when it already was (a concurrent withdrawal won). */
    async withdrawConsent(id: string, w: Withdrawal, tx: Db = db) {
      const { count } = await tx.consent.updateMany({
        where: { id, withdrawnAt: null },
        data: { withdrawnAt: w.at, withdrawnById: w.byId, withdrawalMethod: w.method, withdrawalReference: w.reference ?? null },
      });
      return count === 1;
    },
    /** Withdraws every active consent of a subject for a purpose; the ids withdrawn. */
    async withdrawActive(subject: ConsentSubject, purpose: ConsentPurpose, w: Withdrawal, tx: Db = db) {
      const rows = await tx.consent.findMany({ where: { ...subjectWhere(subject), purpose, withdrawnAt: null }, select: { id: true } });
      if (rows.length) {
        await tx.consent.updateMany({
          where: { id: { in: rows.map((r) => r.id) }, withdrawnAt: null },
          data: { withdrawnAt: w.at, withdrawnById: w.byId, withdrawalMethod: w.method, withdrawalReference: w.reference ?? null },
        });
      }
      return rows.map((r) => r.id);
    },
    /**
     * Row-locks the consent's subject (the contact or the case) for the rest of the transaction:
     * two people recording the same purpose cannot both pass the "already in force" check, and a
     * withdrawal takes the contact's lock before its consent row, in the order the contact form's
     * own save takes them (contact, then consent), so the two never deadlock.
     */
    async lockSubject(subject: ConsentSubject, tx: Db) {
      if (subject.contactId) await tx.$queryRaw`SELECT 1 FROM "Contact" WHERE id = ${subject.contactId}::uuid FOR UPDATE`;
      else await tx.$queryRaw`SELECT 1 FROM "Case" WHERE id = ${subject.caseId!}::uuid FOR UPDATE`;
    },
    contactHandlers(id: string, tx: Db = db) {
      return tx.contact.findUnique({ where: { id }, select: { id: true, operatorId: true, followUpAssigneeId: true, channel: true } });
    },
    caseCurator(id: string, tx: Db = db) {
      return tx.case.findUnique({ where: { id }, select: { id: true, curatorId: true } });
    },
    async staffNames(ids: (string | null)[], tx: Db = db) {
      const wanted = [...new Set(ids.filter((x): x is string => !!x))];
      if (!wanted.length) return new Map<string, string>();
      const rows = await tx.user.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } });
      return new Map(rows.map((r) => [r.id, r.displayName]));
    },

    // ─── Breach register ──────────────────────────────────────────────────────────────────────
    createBreach(
      data: {
        summary: string;
        discoveredAt: Date;
        occurredAt: Date | null;
        peopleAffected: number | null;
        dataKinds: string[];
        measures: string;
        recordedById: string | null;
      },
      tx: Db = db,
    ) {
      return tx.dataBreach.create({ data, include: { notices: { orderBy: { sentAt: 'asc' } } } });
    },
    findBreach(id: string, tx: Db = db) {
      return tx.dataBreach.findUnique({ where: { id }, include: { notices: { orderBy: { sentAt: 'asc' } } } });
    },
    listBreaches(limit: number, tx: Db = db) {
      return tx.dataBreach.findMany({ orderBy: { discoveredAt: 'desc' }, take: limit, include: { notices: { orderBy: { sentAt: 'asc' } } } });
    },
    async lockBreach(id: string, tx: Db) {
      await tx.$queryRaw`SELECT 1 FROM "DataBreach" WHERE id = ${id}::uuid FOR UPDATE`;
    },
    updateBreach(
      id: string,
      data: { summary?: string; occurredAt?: Date | null; peopleAffected?: number | null; dataKinds?: string[]; measures?: string; closedAt?: Date | null },
      tx: Db = db,
    ) {
      return tx.dataBreach.update({ where: { id }, data });
    },
    addNotice(data: { breachId: string; kind: BreachNoticeKind; sentAt: Date; recipient: string; content: string; recordedById: string | null }, tx: Db = db) {
      return tx.breachNotice.create({ data });
    },
  };
}
export type PrivacyRepository = ReturnType<typeof privacyRepository>;
export type ConsentRow = Awaited<ReturnType<PrivacyRepository['createConsent']>>;
export type BreachRow = NonNullable<Awaited<ReturnType<PrivacyRepository['findBreach']>>>;
