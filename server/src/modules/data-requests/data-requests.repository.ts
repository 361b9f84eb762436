// The only Prisma user of a person's requests (access and erasure): finds every row about one
// person across the features' tables, reads them for the export, and anonymises them. Personal
// fields are read through Prisma only (never raw SQL), so encryption at rest stays transparent.
// Every method takes an optional transaction; the caller owns it.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';

/** A sealed or masked number removed: the columns are NOT NULL (as retention writes it). */
export const ERASED = '';
/** A new keyed-hash-shaped value per row: the row counts as one anonymous caller and links to
 * no number and to no other row. */
const unlinkedHash = () => randomBytes(32).toString('hex');

export type TableCounts = Record<string, number>;
export type Via = 'phone' | 'contact' | 'case';

/** What a search names: hashes of the number, a contact, a case. */
export interface Seed {
  hashes: string[];
  contactId?: string;
  caseId?: string;
  caseNumber?: number;
}

/** The rows found, by table, each with how it was linked. */
export interface Found {
  contacts: Map<string, Via>;
  calls: Map<string, Via>;
  conversations: Map<string, Via>;
  messages: Map<string, Via>;
  callbacks: Map<string, Via>;
  dispatches: Map<string, Via>;
  cases: Map<string, Via>;
  consents: Map<string, Via>;
  flags: Map<string, Via>;
  /** The hashes of the person's number(s) used. */
  hashes: string[];
  /** Contacts linked to a found case that came from another number. */
  leftOut: number;
  /** Whether the named contact or case exists at all. */
  seedFound: boolean;
}

const put = (m: Map<string, Via>, id: string | null | undefined, via: Via) => {
  if (id && !m.has(id)) m.set(id, via);
};
const add = (counts: TableCounts, table: string, n: number) => {
  if (n > 0) counts[table] = (counts[table] ?? 0) + n;
};
const ids = (m: Map<string, Via>) => [...m.keys()];

export function dataRequestsRepository(db: Db) {
  return {
    /**
     * Every row about one person. From the number's hash: contacts (their own number or their
     * call-back number), calls, SMS threads and texts, call-backs, dispatches to that number,
     * cases, caller flags. From a contact: its call, thread and dispatches, and the cases it is in.
     * From a case: its contacts. A contact and a case linked to each other are the same person's
     * only when the other side has no number or one of the person's numbers: a neighbour's
     * report linked to a family's case is the neighbour's, and is left out (counted).
     * `unlinkable` are hashes never to follow (a withheld number is everyone's).
     */
    async find(seed: Seed, unlinkable: string[], tx: Db = db): Promise<Found> {
      const f: Found = {
        contacts: new Map(),
        calls: new Map(),
        conversations: new Map(),
        messages: new Map(),
        callbacks: new Map(),
        dispatches: new Map(),
        cases: new Map(),
        consents: new Map(),
        flags: new Map(),
        hashes: [],
        leftOut: 0,
        seedFound: false,
      };
      const skip = new Set([...unlinkable, ERASED]);
      const hashes = new Set(seed.hashes.filter((h) => !skip.has(h)));
      const keep = (h: string | null | undefined) => !!h && !skip.has(h);

      if (seed.contactId) {
        const c = await tx.contact.findUnique({
          where: { id: seed.contactId },
          select: { id: true, phoneHash: true, identity: { select: { phoneHash: true } } },
        });
        if (c) {
          f.seedFound = true;
          put(f.contacts, c.id, 'contact');
          for (const h of [c.phoneHash, c.identity?.phoneHash]) if (keep(h)) hashes.add(h!);
        }
      }
      if (seed.caseId || seed.caseNumber) {
        const k = await tx.case.findFirst({ where: seed.caseId ? { id: seed.caseId } : { number: seed.caseNumber }, select: { id: true, phoneHash: true } });
        if (k) {
          f.seedFound = true;
          put(f.cases, k.id, 'case');
          if (keep(k.phoneHash)) hashes.add(k.phoneHash!);
        }
      }
      if (seed.hashes.length) f.seedFound = true;
      const h = [...hashes];
      f.hashes = h;
      const samePerson = (...hs: (string | null | undefined)[]) => hs.every((x) => !keep(x) || hashes.has(x!));

      if (h.length) {
        const [contacts, cases] = await Promise.all([
          tx.contact.findMany({ where: { OR: [{ phoneHash: { in: h } }, { identity: { phoneHash: { in: h } } }] }, select: { id: true } }),
          tx.case.findMany({ where: { phoneHash: { in: h } }, select: { id: true } }),
        ]);
        for (const c of contacts) put(f.contacts, c.id, 'phone');
        for (const k of cases) put(f.cases, k.id, 'phone');
      }
      // One step across case links, both ways, for the same person only.
      const links = await tx.caseContact.findMany({
        where: { OR: [{ contactId: { in: ids(f.contacts) } }, { caseId: { in: ids(f.cases) } }] },
        select: {
          caseId: true,
          contactId: true,
          case: { select: { phoneHash: true } },
          contact: { select: { phoneHash: true, identity: { select: { phoneHash: true } } } },
        },
      });
      for (const l of links) {
        if (f.contacts.has(l.contactId) && !f.cases.has(l.caseId)) {
          if (samePerson(l.case.phoneHash)) put(f.cases, l.caseId, 'contact');
        } else if (f.cases.has(l.caseId) && !f.contacts.has(l.contactId)) {
          if (samePerson(l.contact.phoneHash, l.contact.identity?.phoneHash)) put(f.contacts, l.contactId, 'case');
          else f.leftOut++;
        }
      }

      const contactIds = ids(f.contacts);
      const contactRows = await tx.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, callId: true, conversationId: true } });
      const [calls, threads, dispatches, flags] = await Promise.all([
        tx.call.findMany({
          where: { OR: [{ callerHash: { in: h } }, { id: { in: contactRows.flatMap((c) => (c.callId ? [c.callId] : [])) } }] },
          select: { id: true, callerHash: true },
        }),
        tx.conversation.findMany({
          where: { OR: [{ peerHash: { in: h } }, { id: { in: contactRows.flatMap((c) => (c.conversationId ? [c.conversationId] : [])) } }] },
          select: { id: true, peerHash: true },
        }),
        tx.dispatch.findMany({
          where: { OR: [{ recipientPhoneHash: { in: h } }, { contactId: { in: contactIds } }] },
          select: { id: true, recipientPhoneHash: true },
        }),
        h.length ? tx.callerFlag.findMany({ where: { phoneHash: { in: h } }, select: { id: true } }) : Promise.resolve([]),
      ]);
      const viaOf = (hash: string | null) => (hash && hashes.has(hash) ? 'phone' : 'contact') as Via;
      for (const c of calls) put(f.calls, c.id, viaOf(c.callerHash));
      for (const t of threads) put(f.conversations, t.id, viaOf(t.peerHash));
      for (const d of dispatches) put(f.dispatches, d.id, viaOf(d.recipientPhoneHash));
      for (const x of flags) put(f.flags, x.id, 'phone');
      const [messages, callbacks, consents] = await Promise.all([
        tx.message.findMany({
          where: { OR: [{ peerHash: { in: h } }, { conversationId: { in: ids(f.conversations) } }] },
          select: { id: true, peerHash: true },
        }),
        tx.callbackRequest.findMany({ where: { OR: [{ callerHash: { in: h } }, { callId: { in: ids(f.calls) } }] }, select: { id: true, callerHash: true } }),
        tx.consent.findMany({ where: { OR: [{ contactId: { in: contactIds } }, { caseId: { in: ids(f.cases) } }] }, select: { id: true, caseId: true } }),
      ]);
      for (const m of messages) put(f.messages, m.id, viaOf(m.peerHash));
      for (const c of callbacks) put(f.callbacks, c.id, viaOf(c.callerHash));
      for (const c of consents) put(f.consents, c.id, c.caseId ? 'case' : 'contact');
      return f;
    },

    /** Dates and numbers for the summary. */
    async summaryRows(f: Found, tx: Db = db) {
      const [contacts, calls, conversations, messages, callbacks, dispatches, cases, consents, flags] = await Promise.all([
        tx.contact.findMany({ where: { id: { in: ids(f.contacts) } }, select: { id: true, createdAt: true }, orderBy: { createdAt: 'asc' } }),
        tx.call.findMany({ where: { id: { in: ids(f.calls) } }, select: { id: true, receivedAt: true }, orderBy: { receivedAt: 'asc' } }),
        tx.conversation.findMany({ where: { id: { in: ids(f.conversations) } }, select: { id: true, openedAt: true }, orderBy: { openedAt: 'asc' } }),
        tx.message.findMany({ where: { id: { in: ids(f.messages) } }, select: { id: true, createdAt: true }, orderBy: { createdAt: 'asc' } }),
        tx.callbackRequest.findMany({ where: { id: { in: ids(f.callbacks) } }, select: { id: true, createdAt: true }, orderBy: { createdAt: 'asc' } }),
        tx.dispatch.findMany({
          where: { id: { in: ids(f.dispatches) } },
          select: { id: true, createdAt: true, number: true, state: true },
          orderBy: { createdAt: 'asc' },
        }),
        tx.case.findMany({
          where: { id: { in: ids(f.cases) } },
          select: { id: true, createdAt: true, number: true, stage: true },
          orderBy: { createdAt: 'asc' },
        }),
        tx.consent.findMany({ where: { id: { in: ids(f.consents) } }, select: { id: true, recordedAt: true }, orderBy: { recordedAt: 'asc' } }),
        tx.callerFlag.findMany({ where: { id: { in: ids(f.flags) } }, select: { id: true, createdAt: true }, orderBy: { createdAt: 'asc' } }),
      ]);
      return { contacts, calls, conversations, messages, callbacks, dispatches, cases, consents, flags };
    },

    /** Everything held, for the export; sealed numbers still sealed (the service opens them). */
    async read(f: Found, tx: Db = db) {
      const [contacts, calls, conversations, callbacks, dispatches, cases, consents, flags, looseMessages] = await Promise.all([
        tx.contact.findMany({
          where: { id: { in: ids(f.contacts) } },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            channel: true,
            status: true,
            createdAt: true,
            finalisedAt: true,
            anonymisedAt: true,
            identified: true,
            ageGroup: true,
            gender: true,
            callerRole: true,
            sourceOrgType: true,
            sourceOrgName: true,
            summary: true,
            actionsTaken: true,
            safetyPlan: true,
            outcome: true,
            riskLevel: true,
            riskOverrideReason: true,
            r4SignOffReason: true,
            hasMinor: true,
            followUpAt: true,
            screener: true,
            callId: true,
            conversationId: true,
            area: { select: { nameRu: true, nameEn: true } },
            categories: { select: { category: { select: { code: true, labelRu: true, labelEn: true } } } },
            identity: { select: { consentAt: true, name: true, age: true, address: true, phoneSealed: true } },
            people: { select: { relation: true, name: true, age: true } },
            events: { select: { kind: true, at: true }, orderBy: { at: 'asc' } },
          },
        }),
        tx.call.findMany({
          where: { id: { in: ids(f.calls) } },
          orderBy: { receivedAt: 'asc' },
          select: {
            id: true,
            direction: true,
            callerSealed: true,
            callerCountry: true,
            status: true,
            receivedAt: true,
            answeredAt: true,
            endedAt: true,
            endReason: true,
            waitMs: true,
            abandoned: true,
          },
        }),
        tx.conversation.findMany({
          where: { id: { in: ids(f.conversations) } },
          orderBy: { openedAt: 'asc' },
          select: { id: true, peerSealed: true, status: true, openedAt: true, closedAt: true },
        }),
        tx.callbackRequest.findMany({
          where: { id: { in: ids(f.callbacks) } },
          orderBy: { createdAt: 'asc' },
          select: { id: true, kind: true, status: true, callerSealed: true, recordingUrl: true, createdAt: true, dialedAt: true, closedAt: true },
        }),
        tx.dispatch.findMany({
          where: { id: { in: ids(f.dispatches) } },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            number: true,
            kind: true,
            state: true,
            referral: true,
            recipientName: true,
            recipientPhoneEnc: true,
            district: true,
            address: true,
            urgency: true,
            childrenInvolved: true,
            providerNote: true,
            createdAt: true,
            deliveredAt: true,
            closedAt: true,
            closeReason: true,
            events: { where: { note: { not: null } }, select: { type: true, at: true, note: true }, orderBy: { at: 'asc' } },
          },
        }),
        tx.case.findMany({
          where: { id: { in: ids(f.cases) } },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            number: true,
            stage: true,
            origin: true,
            signalFrom: true,
            signalSummary: true,
            signalAt: true,
            subjectKind: true,
            subjectName: true,
            phoneSealed: true,
            address: true,
            district: true,
            consentAt: true,
            consentNote: true,
            checkSummary: true,
            riskLevel: true,
            safetyFactors: true,
            riskFactors: true,
            assessmentNote: true,
            applicationDate: true,
            openedAt: true,
            closedAt: true,
            closeReason: true,
            closeReasonText: true,
            createdAt: true,
            members: { select: { name: true, relation: true, isChild: true, age: true, birthYear: true } },
            notes: { select: { kind: true, text: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
            goals: { select: { part: true, text: true, tasks: { select: { text: true, ownerName: true, dueDate: true, doneAt: true } } } },
            transitions: { select: { from: true, to: true, at: true, reason: true }, orderBy: { at: 'asc' } },
          },
        }),
        tx.consent.findMany({
          where: { id: { in: ids(f.consents) } },
          orderBy: { recordedAt: 'asc' },
          select: {
            id: true,
            contactId: true,
            caseId: true,
            purpose: true,
            method: true,
            reference: true,
            recordedAt: true,
            withdrawnAt: true,
            withdrawalMethod: true,
          },
        }),
        tx.callerFlag.findMany({
          where: { id: { in: ids(f.flags) } },
          select: { id: true, kind: true, reason: true, createdAt: true, expiresAt: true },
          orderBy: { createdAt: 'asc' },
        }),
        tx.message.findMany({
          where: { id: { in: ids(f.messages) } },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            conversationId: true,
            direction: true,
            peerSealed: true,
            body: true,
            numMedia: true,
            mediaUrls: true,
            status: true,
            createdAt: true,
          },
        }),
      ]);
      return { contacts, calls, conversations, messages: looseMessages, callbacks, dispatches, cases, consents, flags };
    },

    openCases(caseIds: string[], tx: Db = db) {
      return tx.case.findMany({ where: { id: { in: caseIds }, stage: { not: 'closed' } }, select: { id: true, number: true }, orderBy: { number: 'asc' } });
    },
    activeDispatches(dispatchIds: string[], tx: Db = db) {
      return tx.dispatch.findMany({
        where: { id: { in: dispatchIds }, state: { in: ['requested', 'offered', 'accepted', 'in_progress'] } },
        select: { id: true, number: true },
        orderBy: { number: 'asc' },
      });
    },

    /** Anonymises every row found: identity, free text, numbers (sealed, masked and hashed) go;
     * the anonymous rows (channel, dates, categories, risk, outcome, stages) stay for statistics. */
    async erase(f: Found, now: Date, tx: Db = db): Promise<TableCounts> {
      const counts: TableCounts = {};
      const contactIds = ids(f.contacts);
      if (contactIds.length) {
        add(counts, 'ContactIdentity', (await tx.contactIdentity.deleteMany({ where: { contactId: { in: contactIds } } })).count);
        add(counts, 'ContactPerson', (await tx.contactPerson.deleteMany({ where: { contactId: { in: contactIds } } })).count);
        add(
          counts,
          'Contact',
          (
            await tx.contact.updateMany({
              where: { id: { in: contactIds } },
              data: {
                identified: false,
                anonymisedAt: now,
                phoneHash: null,
                summary: '',
                actionsTaken: '',
                safetyPlan: '',
                riskOverrideReason: null,
                r4SignOffReason: null,
                sourceOrgName: null,
                version: { increment: 1 },
              },
            })
          ).count,
        );
        await tx.contactEvent.createMany({ data: contactIds.map((contactId) => ({ contactId, kind: 'anonymised', detail: { reason: 'request' } })) });
      }
      for (const id of ids(f.calls)) {
        await tx.call.update({ where: { id }, data: { callerHash: unlinkedHash(), callerSealed: ERASED, callerCountry: null } });
        add(counts, 'Call', 1);
      }
      for (const id of ids(f.messages)) {
        await tx.message.update({ where: { id }, data: { peerHash: unlinkedHash(), peerSealed: ERASED, body: ERASED, mediaUrls: [], mediaTypes: [] } });
        add(counts, 'Message', 1);
      }
      for (const id of ids(f.conversations)) {
        const open = await tx.conversation.findUnique({ where: { id }, select: { status: true } });
        const close: Prisma.ConversationUpdateInput = open?.status === 'open' ? { status: 'closed', closedAt: now, closeReason: 'erased' } : {};
        await tx.conversation.update({
          where: { id },
          data: { peerHash: unlinkedHash(), peerSealed: ERASED, offeredTo: null, offerExpiresAt: null, ...close },
        });
        add(counts, 'Conversation', 1);
      }
      for (const id of ids(f.callbacks)) {
        const row = await tx.callbackRequest.findUnique({ where: { id }, select: { status: true } });
        const close: Prisma.CallbackRequestUpdateInput =
          row && row.status !== 'done' && row.status !== 'cancelled' ? { status: 'cancelled', closedAt: now } : {};
        await tx.callbackRequest.update({ where: { id }, data: { callerHash: unlinkedHash(), callerSealed: ERASED, recordingUrl: null, ...close } });
        add(counts, 'CallbackRequest', 1);
      }
      const dispatchIds = ids(f.dispatches);
      if (dispatchIds.length) {
        add(
          counts,
          'Dispatch',
          (
            await tx.dispatch.updateMany({
              where: { id: { in: dispatchIds } },
              data: {
                recipientName: null,
                recipientPhoneEnc: null,
                recipientPhoneHash: null,
                address: null,
                providerNote: null,
                referral: null,
                escalatedReason: null,
              },
            })
          ).count,
        );
        add(
          counts,
          'DispatchEvent',
          (await tx.dispatchEvent.updateMany({ where: { dispatchId: { in: dispatchIds }, note: { not: null } }, data: { note: null } })).count,
        );
      }
      const caseIds = ids(f.cases);
      if (caseIds.length) {
        // Members stay as anonymous rows (relation, child, age) for the case-work results.
        add(counts, 'CaseMember', (await tx.caseMember.updateMany({ where: { caseId: { in: caseIds } }, data: { name: ERASED, birthYear: null } })).count);
        add(counts, 'CaseNote', (await tx.caseNote.deleteMany({ where: { caseId: { in: caseIds } } })).count);
        add(counts, 'CaseGoal', (await tx.caseGoal.updateMany({ where: { caseId: { in: caseIds } }, data: { text: ERASED } })).count);
        add(counts, 'CaseTask', (await tx.caseTask.updateMany({ where: { caseId: { in: caseIds } }, data: { text: ERASED, ownerName: null } })).count);
        add(
          counts,
          'CaseTransition',
          (await tx.caseTransition.updateMany({ where: { caseId: { in: caseIds }, reason: { not: null } }, data: { reason: null } })).count,
        );
        add(
          counts,
          'Case',
          (
            await tx.case.updateMany({
              where: { id: { in: caseIds } },
              data: {
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
              },
            })
          ).count,
        );
      }
      const flagIds = ids(f.flags);
      if (flagIds.length) add(counts, 'CallerFlag', (await tx.callerFlag.deleteMany({ where: { id: { in: flagIds } } })).count);
      return counts;
    },

    createDestructionRecord(
      data: { runId: string; rows: number; tables: TableCounts; categories: string[]; reference: string; actorId: string | null; actorLabel: string },
      tx: Db = db,
    ) {
      return tx.destructionRecord.create({ data: { ...data, kind: 'request', method: 'anonymised', basis: 'request', periodDays: null } });
    },
  };
}
export type DataRequestsRepository = ReturnType<typeof dataRequestsRepository>;
