// The only Prisma user of retention. It clears personal fields across every feature's tables
// (personal-data.ts lists them), because retention must reach all of them in one place
// (invariant 4); which kinds run, their periods and the records are the service's. Fields are
// cleared through Prisma and never read: they may be ciphertext (encryption at rest). Whether a
// row is done is told by a marker (anonymisedAt, an erased sealed number), not by its text.
// Every method takes an optional transaction; the caller owns it.
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';

/** Rows touched per table, e.g. { ContactIdentity: 3, Contact: 3 }. */
export type TableCounts = Record<string, number>;

/** What marks a sealed or masked number as removed: the columns are NOT NULL. */
export const ERASED = '';

const add = (counts: TableCounts, table: string, n: number) => {
  if (n > 0) counts[table] = (counts[table] ?? 0) + n;
};
const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** A contact belongs to an open case when a case it is linked to has not reached `closed`. */
const inOpenCase = { caseLinks: { some: { case: { stage: { not: 'closed' as const } } } } };
/** A follow-up set and not yet done keeps a contact's identity: someone is to call back. */
const pendingFollowUp = { followUpAt: { not: null }, followUpDoneAt: null };
const DISPATCH_CLOSED = ['delivered', 'failed', 'cancelled'] as const;

/** What active work holds: contacts in an open case, with a pending follow-up or an active
 * dispatch, and the calls and threads those contacts came from. */
export interface Held {
  contacts: string[];
  calls: string[];
  conversations: string[];
}

export function retentionRepository(db: Db) {
  /** Deletes the identity and people of contacts already claimed (anonymisedAt set), and
   * writes their timeline entry. */
  async function clearContactChildren(ids: string[], reason: string, tx: Db, counts: TableCounts) {
    if (!ids.length) return;
    add(counts, 'ContactIdentity', (await tx.contactIdentity.deleteMany({ where: { contactId: { in: ids } } })).count);
    add(counts, 'ContactPerson', (await tx.contactPerson.deleteMany({ where: { contactId: { in: ids } } })).count);
    await tx.contactEvent.createMany({ data: ids.map((contactId) => ({ contactId, kind: 'anonymised', detail: { reason } })) });
  }

  /** Free text may name people: it goes with the identity. Categories, risk and outcome stay. */
  const contactCleared = (now: Date) => ({
    identified: false,
    anonymisedAt: now,
    summary: '',
    actionsTaken: '',
    safetyPlan: '',
    riskOverrideReason: null,
    r4SignOffReason: null,
    sourceOrgName: null,
    version: { increment: 1 },
  });

  /** Claims contacts not yet anonymised (another run that got there first leaves nothing to
   * claim) and clears them; returns the ids this call anonymised. */
  async function claimContacts(ids: string[], now: Date, reason: string, tx: Db, counts: TableCounts) {
    if (!ids.length) return [];
    await tx.contact.updateMany({ where: { id: { in: ids }, anonymisedAt: null }, data: contactCleared(now) });
    const claimed = (await tx.contact.findMany({ where: { id: { in: ids }, anonymisedAt: now }, select: { id: true } })).map((r) => r.id);
    add(counts, 'Contact', claimed.length);
    await clearContactChildren(claimed, reason, tx, counts);
    return claimed;
  }

  const dispatchCleared = { recipientName: null, recipientPhoneEnc: null, recipientPhoneHash: null, address: null, providerNote: null, referral: null };
  async function clearDispatchEvents(ids: string[], tx: Db, counts: TableCounts) {
    if (!ids.length) return;
    add(counts, 'DispatchEvent', (await tx.dispatchEvent.updateMany({ where: { dispatchId: { in: ids }, note: { not: null } }, data: { note: null } })).count);
  }

  const caseCleared = (now: Date) => ({
    subjectName: ERASED,
    phoneHash: null,
    phoneSealed: null,
    address: null,
    signalFrom: null,
    signalSummary: null,
    consentNote: null,
    checkSummary: null,
    assessmentNote: null,
    closeReasonText: null,
    safetyFactors: [],
    riskFactors: [],
    anonymisedAt: now,
  });
  /** Members, notes, plan texts and reasons of cases already claimed. Stage, dates, risk level
   * and close reason stay for the case-work results. */
  async function clearCaseChildren(ids: string[], tx: Db, counts: TableCounts) {
    if (!ids.length) return;
    add(counts, 'CaseMember', (await tx.caseMember.deleteMany({ where: { caseId: { in: ids } } })).count);
    add(counts, 'CaseNote', (await tx.caseNote.deleteMany({ where: { caseId: { in: ids } } })).count);
    add(counts, 'CaseGoal', (await tx.caseGoal.updateMany({ where: { caseId: { in: ids } }, data: { text: ERASED } })).count);
    add(counts, 'CaseTask', (await tx.caseTask.updateMany({ where: { caseId: { in: ids } }, data: { text: ERASED, ownerName: null } })).count);
    add(
      counts,
      'CaseTransition',
      (await tx.caseTransition.updateMany({ where: { caseId: { in: ids }, reason: { not: null } }, data: { reason: null } })).count,
    );
  }

  return {
    /** The open-case rule, for the contacts feature's views too: contact id → an open case's id. */
    async openCaseOf(contactIds: string[], tx: Db = db) {
      if (!contactIds.length) return new Map<string, string>();
      const links = await tx.caseContact.findMany({
        where: { contactId: { in: contactIds }, case: { stage: { not: 'closed' } } },
        select: { contactId: true, caseId: true },
      });
      return new Map(links.map((l) => [l.contactId, l.caseId]));
    },

    /** Everything active work holds now. Bounded by the work in hand (open cases, pending
     * follow-ups, dispatches under way), not by the size of the archive. */
    async held(tx: Db = db): Promise<Held> {
      const active = await tx.dispatch.findMany({ where: { state: { notIn: [...DISPATCH_CLOSED] }, contactId: { not: null } }, select: { contactId: true } });
      const rows = await tx.contact.findMany({
        where: { OR: [inOpenCase, pendingFollowUp, { id: { in: uniq(active.map((d) => d.contactId)) } }] },
        select: { id: true, callId: true, conversationId: true },
      });
      return { contacts: rows.map((r) => r.id), calls: uniq(rows.map((r) => r.callId)), conversations: uniq(rows.map((r) => r.conversationId)) };
    },

    // ─── Policies: each finds one batch of expired rows, claims and clears it, and returns the
    // ids it cleared, the counts per table, whether more may wait, and how many it left held ───

    /** Finalised contacts not yet anonymised, finalised before `before`, that nothing holds. */
    async expireContacts(before: Date, limit: number, now: Date, held: Held, tx: Db = db) {
      const where: Prisma.ContactWhereInput = { status: 'finalised', anonymisedAt: null, finalisedAt: { lt: before } };
      const rows = await tx.contact.findMany({
        where: { ...where, id: { notIn: held.contacts } },
        select: { id: true },
        orderBy: { finalisedAt: 'asc' },
        take: limit,
      });
      const counts: TableCounts = {};
      const ids = await claimContacts(
        rows.map((r) => r.id),
        now,
        'retention',
        tx,
        counts,
      );
      // A caller flag's reason is a note about a person; it goes once the flag has long expired.
      if (rows.length < limit) add(counts, 'CallerFlag', (await tx.callerFlag.deleteMany({ where: { expiresAt: { lt: before } } })).count);
      const kept = await tx.contact.count({ where: { ...where, id: { in: held.contacts } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    /** Drafts (never finalised, or reopened and left) untouched since `before`, that nothing holds. */
    async expireDrafts(before: Date, limit: number, now: Date, held: Held, tx: Db = db) {
      const where: Prisma.ContactWhereInput = { status: { not: 'finalised' }, anonymisedAt: null, updatedAt: { lt: before } };
      const rows = await tx.contact.findMany({
        where: { ...where, id: { notIn: held.contacts } },
        select: { id: true },
        orderBy: { updatedAt: 'asc' },
        take: limit,
      });
      const counts: TableCounts = {};
      const ids = await claimContacts(
        rows.map((r) => r.id),
        now,
        'retention:draft',
        tx,
        counts,
      );
      const kept = await tx.contact.count({ where: { ...where, id: { in: held.contacts } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    /** Calls that ended (or, never ended, began) before `before` whose number is still sealed. */
    async expireCalls(before: Date, limit: number, _now: Date, held: Held, tx: Db = db) {
      const where: Prisma.CallWhereInput = { callerSealed: { not: ERASED }, OR: [{ endedAt: { lt: before } }, { endedAt: null, receivedAt: { lt: before } }] };
      const rows = await tx.call.findMany({
        where: { ...where, id: { notIn: held.calls } },
        select: { id: true },
        orderBy: { receivedAt: 'asc' },
        take: limit,
      });
      const ids = rows.map((r) => r.id);
      const counts: TableCounts = {};
      if (ids.length)
        add(
          counts,
          'Call',
          (await tx.call.updateMany({ where: { id: { in: ids }, callerSealed: { not: ERASED } }, data: { callerSealed: ERASED, callerCountry: null } })).count,
        );
      const kept = await tx.call.count({ where: { ...where, id: { in: held.calls } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    /** SMS texts and sealed senders older than `before`, and closed threads quiet since then;
     * an open thread, or one a held contact came from, is left. */
    async expireMessages(before: Date, limit: number, _now: Date, held: Held, tx: Db = db) {
      const free: Prisma.MessageWhereInput = {
        OR: [{ conversationId: null }, { conversationId: { notIn: held.conversations }, conversation: { status: 'closed' } }],
      };
      const rows = await tx.message.findMany({
        where: { createdAt: { lt: before }, peerSealed: { not: ERASED }, ...free },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
      const threads = await tx.conversation.findMany({
        where: { status: 'closed', lastMessageAt: { lt: before }, peerSealed: { not: ERASED }, id: { notIn: held.conversations } },
        select: { id: true },
        orderBy: { lastMessageAt: 'asc' },
        take: limit,
      });
      const ids = rows.map((r) => r.id);
      const threadIds = threads.map((t) => t.id);
      const counts: TableCounts = {};
      if (ids.length)
        add(
          counts,
          'Message',
          (
            await tx.message.updateMany({
              where: { id: { in: ids }, peerSealed: { not: ERASED } },
              data: { body: ERASED, peerSealed: ERASED, mediaUrls: [], mediaTypes: [] },
            })
          ).count,
        );
      if (threadIds.length)
        add(
          counts,
          'Conversation',
          (await tx.conversation.updateMany({ where: { id: { in: threadIds }, peerSealed: { not: ERASED } }, data: { peerSealed: ERASED } })).count,
        );
      const kept = await tx.message.count({ where: { createdAt: { lt: before }, peerSealed: { not: ERASED }, conversationId: { in: held.conversations } } });
      return { ids: [...ids, ...threadIds], counts, more: rows.length === limit || threads.length === limit, kept };
    },

    /** Call-back requests made before `before`, except one being dialled now or whose call a held contact came from. */
    async expireCallbacks(before: Date, limit: number, _now: Date, held: Held, tx: Db = db) {
      const where: Prisma.CallbackRequestWhereInput = { createdAt: { lt: before }, status: { not: 'dialing' } };
      const rows = await tx.callbackRequest.findMany({
        where: { ...where, OR: [{ callId: null }, { callId: { notIn: held.calls } }] },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
      const ids = rows.map((r) => r.id);
      const counts: TableCounts = {};
      if (ids.length) add(counts, 'CallbackRequest', (await tx.callbackRequest.deleteMany({ where: { id: { in: ids }, status: { not: 'dialing' } } })).count);
      const kept = await tx.callbackRequest.count({ where: { ...where, callId: { in: held.calls } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    /** Dispatches closed (delivered, failed, cancelled) before `before`, not yet anonymised. */
    async expireDispatches(before: Date, limit: number, now: Date, held: Held, tx: Db = db) {
      const where: Prisma.DispatchWhereInput = { closedAt: { lt: before }, state: { in: [...DISPATCH_CLOSED] }, anonymisedAt: null };
      const rows = await tx.dispatch.findMany({
        where: { ...where, OR: [{ contactId: null }, { contactId: { notIn: held.contacts } }] },
        select: { id: true },
        orderBy: { closedAt: 'asc' },
        take: limit,
      });
      const counts: TableCounts = {};
      let ids: string[] = [];
      if (rows.length) {
        const all = rows.map((r) => r.id);
        await tx.dispatch.updateMany({ where: { id: { in: all }, anonymisedAt: null }, data: { ...dispatchCleared, anonymisedAt: now } });
        ids = (await tx.dispatch.findMany({ where: { id: { in: all }, anonymisedAt: now }, select: { id: true } })).map((r) => r.id);
        add(counts, 'Dispatch', ids.length);
        await clearDispatchEvents(ids, tx, counts);
      }
      const kept = await tx.dispatch.count({ where: { ...where, contactId: { in: held.contacts } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    /** Cases closed before `before`, not yet anonymised, none of whose contacts active work holds. */
    async expireCases(before: Date, limit: number, now: Date, held: Held, tx: Db = db) {
      const where: Prisma.CaseWhereInput = { stage: 'closed', closedAt: { lt: before }, anonymisedAt: null };
      const rows = await tx.case.findMany({
        where: { ...where, contacts: { none: { contactId: { in: held.contacts } } } },
        select: { id: true },
        orderBy: { closedAt: 'asc' },
        take: limit,
      });
      const counts: TableCounts = {};
      let ids: string[] = [];
      if (rows.length) {
        const all = rows.map((r) => r.id);
        await tx.case.updateMany({ where: { id: { in: all }, anonymisedAt: null }, data: caseCleared(now) });
        ids = (await tx.case.findMany({ where: { id: { in: all }, anonymisedAt: now }, select: { id: true } })).map((r) => r.id);
        add(counts, 'Case', ids.length);
        await clearCaseChildren(ids, tx, counts);
      }
      const kept = await tx.case.count({ where: { ...where, contacts: { some: { contactId: { in: held.contacts } } } } });
      return { ids, counts, more: rows.length === limit, kept };
    },

    // ─── Destruction records ───

    /** Adds a batch's counts to the run's record of that kind, creating it on the first batch,
     * inside the batch's transaction: the act is exact even if a run stops half-way. */
    async addToRecord(
      rec: {
        runId: string;
        kind: string;
        method: string;
        basis: string;
        periodDays: number | null;
        reference: string | null;
        categories: string[];
        actorId: string | null;
        actorLabel: string;
      },
      counts: TableCounts,
      tx: Db = db,
    ) {
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      const found = await tx.destructionRecord.findFirst({ where: { runId: rec.runId, kind: rec.kind } });
      if (!found) return { record: await tx.destructionRecord.create({ data: { ...rec, rows, tables: counts } }), created: true };
      const tables = { ...(found.tables as TableCounts) };
      for (const [t, n] of Object.entries(counts)) tables[t] = (tables[t] ?? 0) + n;
      const categories = [...new Set([...found.categories, ...rec.categories])].sort();
      return { record: await tx.destructionRecord.update({ where: { id: found.id }, data: { rows: found.rows + rows, tables, categories } }), created: false };
    },
    listRecords(q: { limit: number; beforeNumber?: number; runId?: string; kind?: string; from?: Date; to?: Date }, tx: Db = db) {
      return tx.destructionRecord.findMany({
        where: {
          ...(q.beforeNumber ? { number: { lt: q.beforeNumber } } : {}),
          ...(q.runId ? { runId: q.runId } : {}),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
        },
        orderBy: { number: 'desc' },
        take: q.limit,
      });
    },
    getRecord(id: string, tx: Db = db) {
      return tx.destructionRecord.findUnique({ where: { id } });
    },
    /** Display names of the staff who acted (records keep the id and a label, not a relation). */
    async staffNames(ids: string[], tx: Db = db) {
      if (!ids.length) return new Map<string, string>();
      const rows = await tx.user.findMany({ where: { id: { in: uniq(ids) } }, select: { id: true, displayName: true } });
      return new Map(rows.map((u) => [u.id, u.displayName]));
    },
  };
}
export type RetentionRepository = ReturnType<typeof retentionRepository>;
