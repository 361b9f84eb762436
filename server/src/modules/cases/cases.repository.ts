// The only Prisma user of the cases feature. Every method takes an optional transaction.
// Reads of other features' tables (contacts, dispatches) are narrow selects for the timeline and
// the operator's glimpse; they never write there.
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type {
  CaseCloseReason,
  CaseDeadlineKind,
  CasePlanPart,
  CaseRiskLevel,
  CaseStage,
  CaseSubjectKind,
  CalendarDayKind,
} from '../../generated/prisma/enums.js';

const curator = { select: { id: true, displayName: true } } as const;

export const caseFull = {
  curator,
  members: { orderBy: [{ isChild: 'asc' }, { name: 'asc' }] },
  contacts: { orderBy: { linkedAt: 'asc' } },
  goals: { orderBy: { createdAt: 'asc' }, include: { tasks: { orderBy: { createdAt: 'asc' } } } },
  deadlines: { orderBy: { kind: 'asc' } },
} as const satisfies Prisma.CaseInclude;

export type CaseRow = Prisma.CaseGetPayload<{ include: typeof caseFull }>;

export interface CaseListFilter {
  stage?: CaseStage;
  curatorId?: string;
  risk?: CaseRiskLevel;
  open?: boolean;
  /** Only cases with an unmet deadline or an undone task due before this date. */
  overdueBefore?: Date;
  limit: number;
}

export function casesRepository(db: Db) {
  return {
    create(
      data: {
        origin: 'contact' | 'signal';
        signalFrom?: string | null;
        signalSummary?: string | null;
        signalAt?: Date | null;
        subjectKind: CaseSubjectKind;
        subjectName: string;
        phoneHash?: string | null;
        phoneSealed?: string | null;
        address?: string | null;
        district?: string | null;
        consentAt: Date;
        consentNote?: string | null;
        curatorId?: string | null;
        createdById?: string | null;
        applicationDate?: Date | null;
        members: { name: string; relation: string; isChild: boolean; age: number | null }[];
      },
      tx: Db = db,
    ) {
      const { members, ...rest } = data;
      return tx.case.create({ data: { ...rest, members: { create: members } }, include: caseFull });
    },

    find(id: string, tx: Db = db) {
      return tx.case.findUnique({ where: { id }, include: caseFull });
    },

    /** Row lock so that two stage changes of one case run one after the other. */
    async lock(id: string, tx: Db) {
      await tx.$queryRaw`SELECT 1 FROM "Case" WHERE id = ${id}::uuid FOR UPDATE`;
    },

    update(id: string, data: Prisma.CaseUncheckedUpdateInput, tx: Db = db) {
      return tx.case.update({ where: { id }, data, include: caseFull });
    },

    list(f: CaseListFilter, tx: Db = db) {
      const where: Prisma.CaseWhereInput = {
        stage: f.stage ?? (f.open === true ? { not: 'closed' } : f.open === false ? 'closed' : undefined),
        curatorId: f.curatorId,
        riskLevel: f.risk,
      };
      if (f.overdueBefore) {
        if (!f.stage) where.stage = { not: 'closed' };
        where.OR = [
          { deadlines: { some: { metOn: null, dueDate: { lt: f.overdueBefore } } } },
          { tasks: { some: { doneAt: null, dueDate: { lt: f.overdueBefore } } } },
        ];
      }
      return tx.case.findMany({
        where,
        include: {
          curator,
          members: { select: { isChild: true } },
          deadlines: { where: { metOn: null }, select: { dueDate: true } },
          tasks: { where: { doneAt: null, dueDate: { not: null } }, select: { dueDate: true } },
        },
        orderBy: { stageChangedAt: 'desc' },
        take: f.limit,
      });
    },

    addTransition(data: { caseId: string; from: CaseStage | null; to: CaseStage; byId: string | null; reason?: string | null; at?: Date }, tx: Db = db) {
      return tx.caseTransition.create({ data });
    },

    linkContact(caseId: string, contactId: string, linkedById: string | null, tx: Db = db) {
      return tx.caseContact.upsert({
        where: { caseId_contactId: { caseId, contactId } },
        create: { caseId, contactId, linkedById },
        update: {},
      });
    },

    /** Contacts that exist, of the given ids (the contacts feature owns them). */
    async existingContacts(ids: string[], tx: Db = db) {
      if (!ids.length) return [];
      return tx.contact.findMany({ where: { id: { in: ids } }, select: { id: true, phoneHash: true } });
    },

    contactPhoneHash(contactId: string, tx: Db = db) {
      return tx.contact.findUnique({ where: { id: contactId }, select: { id: true, phoneHash: true } });
    },

    /** Cases linked to a contact or to its caller's phone hash: for the operator's glimpse. */
    glimpse(contactId: string, phoneHash: string | null, tx: Db = db) {
      return tx.case.findMany({
        where: { OR: [{ contacts: { some: { contactId } } }, ...(phoneHash ? [{ phoneHash }, { contacts: { some: { contact: { phoneHash } } } }] : [])] },
        select: { id: true, number: true, stage: true, curator },
        orderBy: { createdAt: 'desc' },
        take: 10,
      });
    },

    addGoal(caseId: string, part: CasePlanPart, text: string, tx: Db = db) {
      return tx.caseGoal.create({ data: { caseId, part, text } });
    },
    findGoal(id: string, tx: Db = db) {
      return tx.caseGoal.findUnique({ where: { id } });
    },
    deleteGoal(id: string, tx: Db = db) {
      return tx.caseGoal.delete({ where: { id } });
    },
    addTask(data: { caseId: string; goalId: string; text: string; ownerId?: string | null; ownerName?: string | null; dueDate?: Date | null }, tx: Db = db) {
      return tx.caseTask.create({ data });
    },
    findTask(id: string, tx: Db = db) {
      return tx.caseTask.findUnique({ where: { id } });
    },
    updateTask(id: string, data: Prisma.CaseTaskUncheckedUpdateInput, tx: Db = db) {
      return tx.caseTask.update({ where: { id }, data });
    },
    countTasks(caseId: string, tx: Db = db) {
      return tx.caseTask.count({ where: { caseId } });
    },

    addNote(data: { caseId: string; authorId: string | null; kind: string; text: string }, tx: Db = db) {
      return tx.caseNote.create({ data });
    },

    upsertDeadline(data: { caseId: string; kind: CaseDeadlineKind; startDate: Date; workingDays: number; dueDate: Date }, tx: Db = db) {
      return tx.caseDeadline.upsert({
        where: { caseId_kind: { caseId: data.caseId, kind: data.kind } },
        create: data,
        update: { startDate: data.startDate, workingDays: data.workingDays, dueDate: data.dueDate, remindedAt: null, overdueAlertedAt: null },
      });
    },
    findDeadline(id: string, tx: Db = db) {
      return tx.caseDeadline.findUnique({ where: { id }, include: { case: { select: { id: true, number: true, curatorId: true, stage: true } } } });
    },
    updateDeadline(id: string, data: Prisma.CaseDeadlineUncheckedUpdateInput, tx: Db = db) {
      return tx.caseDeadline.update({ where: { id }, data });
    },
    /** Sets an alert timestamp once; 0 when another worker already did (jobs run at least once). */
    async claimAlert(id: string, field: 'remindedAt' | 'overdueAlertedAt', at: Date, tx: Db = db) {
      const res = await tx.caseDeadline.updateMany({ where: { id, metOn: null, [field]: null }, data: { [field]: at } });
      return res.count;
    },
    findTaskForAlert(id: string, tx: Db = db) {
      return tx.caseTask.findUnique({ where: { id }, include: { case: { select: { id: true, number: true, curatorId: true, stage: true } } } });
    },
    async claimTaskAlert(id: string, field: 'remindedAt' | 'overdueAlertedAt', at: Date, tx: Db = db) {
      const res = await tx.caseTask.updateMany({ where: { id, doneAt: null, dueDate: { not: null }, [field]: null }, data: { [field]: at } });
      return res.count;
    },
    openTasksWithDue(tx: Db = db) {
      return tx.caseTask.findMany({ where: { doneAt: null, dueDate: { not: null }, case: { stage: { not: 'closed' } } }, select: { id: true } });
    },
    /** For each contact linked to a case that is not closed, that case's id. */
    async openCaseOf(contactIds: string[], tx: Db = db) {
      if (!contactIds.length) return new Map<string, string>();
      const links = await tx.caseContact.findMany({
        where: { contactId: { in: contactIds }, case: { stage: { not: 'closed' } } },
        select: { contactId: true, caseId: true },
      });
      return new Map(links.map((l) => [l.contactId, l.caseId]));
    },
    openDeadlines(tx: Db = db) {
      return tx.caseDeadline.findMany({ where: { metOn: null }, select: { id: true, startDate: true, workingDays: true, dueDate: true, caseId: true } });
    },
    overdueDeadlines(today: Date, tx: Db = db) {
      return tx.caseDeadline.findMany({
        where: { metOn: null, dueDate: { lt: today }, case: { stage: { not: 'closed' } } },
        include: { case: { select: { number: true, curatorId: true } } },
        orderBy: { dueDate: 'asc' },
      });
    },

    timelineParts(caseId: string, contactIds: string[], tx: Db = db) {
      return Promise.all([
        tx.caseTransition.findMany({ where: { caseId }, orderBy: { at: 'asc' } }),
        tx.caseNote.findMany({ where: { caseId }, orderBy: { createdAt: 'asc' } }),
        tx.caseTask.findMany({ where: { caseId }, include: { goal: { select: { part: true } } } }),
        tx.caseDeadline.findMany({ where: { caseId } }),
        contactIds.length
          ? tx.contact.findMany({
              where: { id: { in: contactIds } },
              select: { id: true, channel: true, createdAt: true, riskLevel: true, status: true },
            })
          : Promise.resolve([]),
        contactIds.length
          ? tx.dispatch.findMany({
              where: { contactId: { in: contactIds } },
              select: {
                id: true,
                number: true,
                kind: true,
                state: true,
                createdAt: true,
                contactId: true,
                events: { select: { id: true, at: true, type: true }, orderBy: { at: 'asc' } },
              },
            })
          : Promise.resolve([]),
      ]);
    },

    // ─── Results ───
    openedBetween(from: Date, to: Date, tx: Db = db) {
      return tx.case.findMany({ where: { openedAt: { gte: from, lt: to } }, select: { id: true, members: { select: { isChild: true } } } });
    },
    closedBetween(from: Date, to: Date, tx: Db = db) {
      return tx.caseTransition.findMany({
        where: { to: 'closed', at: { gte: from, lt: to } },
        select: { caseId: true, at: true, reason: true, case: { select: { closeReason: true, closedAt: true } } },
      });
    },
    /** Every transition of the cases that left some stage in the period (to pair entries and exits). */
    transitionsOfCasesMovingBetween(from: Date, to: Date, tx: Db = db) {
      return tx.caseTransition.findMany({
        where: { case: { transitions: { some: { at: { gte: from, lt: to } } } } },
        select: { caseId: true, from: true, to: true, at: true },
        orderBy: [{ caseId: 'asc' }, { at: 'asc' }],
      });
    },
    deadlinesDueBetween(from: Date, to: Date, tx: Db = db) {
      return tx.caseDeadline.findMany({ where: { dueDate: { gte: from, lte: to } }, select: { dueDate: true, metOn: true } });
    },

    // ─── Calendar ───
    calendarDays(from?: Date, to?: Date, tx: Db = db) {
      return tx.calendarDay.findMany({ where: { date: { gte: from, lte: to } }, orderBy: { date: 'asc' } });
    },
    upsertCalendarDay(
      data: { date: Date; working: boolean; kind: CalendarDayKind; name: string; confirmed: boolean; source: string; updatedBy: string | null },
      tx: Db = db,
    ) {
      return tx.calendarDay.upsert({ where: { date: data.date }, create: data, update: data });
    },
    deleteCalendarDay(date: Date, tx: Db = db) {
      return tx.calendarDay.deleteMany({ where: { date } });
    },
    seedCalendar(days: { date: Date; working: boolean; kind: CalendarDayKind; name: string; confirmed: boolean; source: string }[], tx: Db = db) {
      return tx.calendarDay.createMany({ data: days, skipDuplicates: true });
    },

    userRoles(id: string, tx: Db = db) {
      return tx.user.findUnique({ where: { id }, select: { id: true, displayName: true, roles: true, active: true } });
    },
  };
}
export type CasesRepository = ReturnType<typeof casesRepository>;
export type { CaseCloseReason };
