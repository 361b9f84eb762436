// Cases: escalation from contacts or a signal, the case-work cycle (one transition table in
// shared/src/cases-flow.ts), the plan, notes, statutory deadlines and the curator. Every read and
// change of a case's identified data is audited; operators get only a glimpse (number, curator).
import {
  canMove,
  requirementsFor,
  type CaseGlimpse,
  type CaseListItem,
  type CaseListQuery,
  type CaseView,
  type CreateCaseBody,
  type Role,
  type TransitionBody,
  type WorkCalendar,
} from '@trustline/shared';
import type { Transactor } from '../../db/tx.js';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { DomainEvents } from '../../domain-events.js';
import { DomainError, conflict, forbidden, invalid, notFound } from '../../errors.js';
import type { Services } from '../../kernel.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { isoOf, toDate } from './calendar.service.js';
import type { CaseDeadlines } from './cases.deadlines.js';
import { deadlineView } from './cases.deadlines.js';
import { casePlan } from './cases.plan.js';
import type { CaseRow, CasesRepository } from './cases.repository.js';

/** Who acts, with their roles (the service decides curator-only changes). */
export interface CaseActor extends Actor {
  roles: readonly Role[];
}

export interface CaseEventsOut {
  created(c: { caseId: string; number: number; stage: CaseRow['stage']; curatorId: string | null }): void;
  updated(c: { caseId: string; stage: CaseRow['stage']; curatorId: string | null; previousCuratorId?: string | null }): void;
}

declare module '../../domain-events.js' {
  interface DomainEventMap {
    'case.created': { caseId: string; contactIds: string[]; curatorId: string | null; actorId: string | null };
    'case.stage-changed': { caseId: string; from: string; to: string; curatorId: string | null };
    'case.contact-linked': { caseId: string; contactId: string; actorId: string | null };
    /** A statutory deadline passed unmet (the wallboard counts "case deadlines overdue"). */
    'case.deadline-overdue': { deadlineId: string; caseId: string; kind: string; dueDate: string; dueAt: string; curatorId: string | null };
    'case.deadline-met': { deadlineId: string; caseId: string };
  }
}

const isSupervisor = (a: CaseActor) => a.roles.includes('supervisor');

export function caseView(c: CaseRow, cal: WorkCalendar, today: string, phones: PhoneCrypto): CaseView {
  return {
    id: c.id,
    number: c.number,
    stage: c.stage,
    origin: c.origin as CaseView['origin'],
    signal: { from: c.signalFrom, summary: c.signalSummary, receivedAt: c.signalAt?.toISOString() ?? null },
    subject: {
      kind: c.subjectKind,
      name: c.subjectName,
      // The number's label from its keyed hash, never a digit of it (docs/privacy.md, "Callers' numbers").
      phoneLabel: c.phoneHash ? phones.label(c.phoneHash) : null,
      address: c.address,
      district: c.district,
      members: c.members.map((m) => ({ id: m.id, name: m.name, relation: m.relation, isChild: m.isChild, age: m.age })),
    },
    consentAt: c.consentAt.toISOString(),
    curator: c.curator,
    check: { confirmed: c.checkConfirmed, summary: c.checkSummary },
    assessment: { level: c.riskLevel, safetyFactors: c.safetyFactors, riskFactors: c.riskFactors, note: c.assessmentNote },
    plan: c.goals.map((g) => ({
      id: g.id,
      part: g.part,
      text: g.text,
      tasks: g.tasks.map((t) => ({
        id: t.id,
        goalId: t.goalId,
        text: t.text,
        ownerId: t.ownerId,
        ownerName: t.ownerName,
        dueDate: t.dueDate ? isoOf(t.dueDate) : null,
        doneAt: t.doneAt?.toISOString() ?? null,
      })),
    })),
    applicationDate: c.applicationDate ? isoOf(c.applicationDate) : null,
    deadlines: c.deadlines.map((d) => deadlineView(d, cal, today)),
    close: { reason: c.closeReason, text: c.closeReasonText, at: c.closedAt?.toISOString() ?? null },
    contactIds: c.contacts.map((l) => l.contactId),
    openedAt: c.openedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    stageChangedAt: c.stageChangedAt.toISOString(),
  };
}

export function casesService(deps: {
  repo: CasesRepository;
  audit: AuditService;
  transaction: Transactor;
  events: DomainEvents;
  phones: PhoneCrypto;
  calendar: () => Promise<WorkCalendar>;
  deadlines: CaseDeadlines;
  out: CaseEventsOut;
  /** Consent records (privacy feature): the case's consent is one, kept with its withdrawal. */
  consents?: Services['privacy']['ledger'];
  now?: () => Date;
}) {
  const { repo, audit, transaction, events, phones, deadlines, out } = deps;
  const now = deps.now ?? (() => new Date());

  async function render(c: CaseRow) {
    return caseView(c, await deps.calendar(), deadlines.today(), phones);
  }

  /** A curator changes their own cases; supervisors change any. */
  function assertCanChange(c: { curatorId: string | null }, actor: CaseActor) {
    if (isSupervisor(actor)) return;
    if (actor.roles.includes('curator') && c.curatorId === actor.userId) return;
    throw forbidden(c.curatorId ? 'only the case’s curator or a supervisor may change it' : 'take the case first, or ask a supervisor to assign it');
  }

  async function assertCurator(id: string, tx: Parameters<Parameters<Transactor>[0]>[0]) {
    const u = await repo.userRoles(id, tx);
    if (!u || !u.active || !u.roles.includes('curator')) throw invalid('curatorId', 'must be an active user with the curator role');
  }

  async function loadForChange(id: string, actor: CaseActor, tx: Parameters<Parameters<Transactor>[0]>[0]) {
    await repo.lock(id, tx);
    const c = await repo.find(id, tx);
    if (!c) throw notFound('case');
    assertCanChange(c, actor);
    return c;
  }

  // Goals and tasks (cases.plan.ts), under the same access rule as every change.
  const plan = casePlan<CaseActor>({ repo, audit, transaction, deadlines, loadForChange, render, now });

  return {
    ...plan,

    async create(body: CreateCaseBody, actor: CaseActor) {
      const cal = await deps.calendar();
      const contactIds = [...new Set(body.contactIds)];
      const result = await transaction(async (tx) => {
        const found = await repo.existingContacts(contactIds, tx);
        if (found.length !== contactIds.length) throw invalid('contactIds', 'every contact must exist');
        let curatorId = body.curatorId ?? null;
        if (curatorId && !isSupervisor(actor) && curatorId !== actor.userId) throw forbidden('only a supervisor assigns another curator');
        if (!curatorId && actor.roles.includes('curator') && !isSupervisor(actor) && actor.userId) curatorId = actor.userId;
        if (curatorId) await assertCurator(curatorId, tx);
        const phone = body.subject.phone ?? null;
        const created = await repo.create(
          {
            origin: contactIds.length ? 'contact' : 'signal',
            signalFrom: body.signal?.from ?? null,
            signalSummary: body.signal?.summary ?? null,
            signalAt: body.signal ? (body.signal.receivedAt ? new Date(body.signal.receivedAt) : now()) : null,
            subjectKind: body.subject.kind,
            subjectName: body.subject.name,
            phoneHash: phone ? phones.hash(phone) : (found.find((f) => f.phoneHash)?.phoneHash ?? null),
            phoneSealed: phone ? phones.encrypt(phone) : null,
            address: body.subject.address ?? null,
            district: body.subject.district ?? null,
            consentAt: now(),
            consentNote: body.consent.note ?? null,
            curatorId,
            createdById: actor.userId,
            applicationDate: body.applicationDate ? toDate(body.applicationDate) : null,
            members: body.subject.members.map((m) => ({ name: m.name, relation: m.relation, isChild: m.isChild, age: m.age ?? null })),
          },
          tx,
        );
        for (const contactId of contactIds) await repo.linkContact(created.id, contactId, actor.userId, tx);
        await deps.consents?.ensure({ subject: { caseId: created.id }, purpose: 'case_work', method: body.consent.method ?? 'spoken', byId: actor.userId }, tx);
        await repo.addTransition({ caseId: created.id, from: null, to: 'signal', byId: actor.userId, at: created.createdAt }, tx);
        const deadlineIds = body.applicationDate ? await deadlines.startClocks(created.id, body.applicationDate, cal, tx) : [];
        await audit.record(
          actor,
          'case.create',
          {
            entity: 'Case',
            entityId: created.id,
            detail: { origin: created.origin, contacts: contactIds.length, members: body.subject.members.length, consent: true },
          },
          tx,
        );
        await events.emitWithin('case.created', { caseId: created.id, contactIds, curatorId, actorId: actor.userId }, tx);
        // The statutory checks are written with the case (the outbox), so none is lost.
        await deadlines.scheduleIds(deadlineIds, tx);
        return { row: await repo.find(created.id, tx), deadlineIds };
      });
      const row = result.row!;
      if (result.deadlineIds.length) deadlines.kick();
      out.created({ caseId: row.id, number: row.number, stage: row.stage, curatorId: row.curatorId });
      await events.emitAfter('case.created', { caseId: row.id, contactIds, curatorId: row.curatorId, actorId: actor.userId });
      return render(row);
    },

    async read(id: string, actor: CaseActor) {
      const c = await repo.find(id);
      if (!c) throw notFound('case');
      await audit.record(actor, 'case.read', { entity: 'Case', entityId: id });
      return render(c);
    },

    async list(q: CaseListQuery & { mine?: boolean }, actor: CaseActor): Promise<CaseListItem[]> {
      const today = deadlines.today();
      const rows = await repo.list({
        stage: q.stage,
        curatorId: q.mine ? (actor.userId ?? undefined) : q.curatorId,
        risk: q.risk,
        open: q.mine ? true : q.open,
        overdueBefore: q.overdue ? toDate(today) : undefined,
        limit: q.limit,
      });
      await audit.record(actor, q.mine ? 'case.list-mine' : 'case.list', {
        entity: 'Case',
        detail: { count: rows.length, filter: { ...q, mine: q.mine ?? false } },
      });
      const items = rows.map((c) => {
        const dues = [...c.deadlines.map((d) => isoOf(d.dueDate)), ...c.tasks.map((t) => isoOf(t.dueDate!))].sort();
        return {
          id: c.id,
          number: c.number,
          stage: c.stage,
          subjectKind: c.subjectKind,
          subjectName: c.subjectName,
          district: c.district,
          children: c.members.filter((m) => m.isChild).length,
          riskLevel: c.riskLevel,
          curator: c.curator,
          stageChangedAt: c.stageChangedAt.toISOString(),
          nextDue: dues[0] ?? null,
          overdue: c.stage === 'closed' ? 0 : dues.filter((d) => d < today).length,
        };
      });
      // "My cases": overdue first, then by the nearest due date, then the rest.
      if (q.mine) items.sort((a, b) => b.overdue - a.overdue || (a.nextDue ?? '9999').localeCompare(b.nextDue ?? '9999'));
      return items;
    },

    /** Operators: which cases the caller of this contact has, and who the curator is. */
    async glimpse(contactId: string, actor: Actor): Promise<CaseGlimpse[]> {
      const contact = await repo.contactPhoneHash(contactId);
      if (!contact) throw notFound('contact');
      const rows = await repo.glimpse(contactId, contact.phoneHash);
      await audit.record(actor, 'case.glimpse', { entity: 'Contact', entityId: contactId, detail: { cases: rows.map((r) => r.id) } });
      return rows.map((r) => ({ id: r.id, number: r.number, open: r.stage !== 'closed', curator: r.curator }));
    },

    async linkContact(id: string, contactId: string, actor: CaseActor) {
      await transaction(async (tx) => {
        await repo.lock(id, tx);
        const c = await repo.find(id, tx);
        if (!c) throw notFound('case');
        if (c.stage === 'closed') throw conflict('CASE_CLOSED', 'the case is closed; reopen it first');
        if (!(await repo.existingContacts([contactId], tx)).length) throw invalid('contactId', 'the contact must exist');
        await repo.linkContact(id, contactId, actor.userId, tx);
        await audit.record(actor, 'case.link-contact', { entity: 'Case', entityId: id, detail: { contactId } }, tx);
        await events.emitWithin('case.contact-linked', { caseId: id, contactId, actorId: actor.userId }, tx);
      });
      await events.emitAfter('case.contact-linked', { caseId: id, contactId, actorId: actor.userId });
      const c = (await repo.find(id))!;
      return { id: c.id, number: c.number, open: c.stage !== 'closed', curator: c.curator };
    },

    async assignCurator(id: string, curatorId: string, actor: CaseActor) {
      const { row, previous } = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const c = await repo.find(id, tx);
        if (!c) throw notFound('case');
        const taking = curatorId === actor.userId && !c.curatorId && actor.roles.includes('curator');
        if (!isSupervisor(actor) && !taking) throw forbidden('only a supervisor reassigns a case');
        await assertCurator(curatorId, tx);
        const updated = await repo.update(id, { curatorId }, tx);
        await audit.record(actor, taking ? 'case.take' : 'case.assign', { entity: 'Case', entityId: id, detail: { from: c.curatorId, to: curatorId } }, tx);
        return { row: updated, previous: c.curatorId };
      });
      out.updated({ caseId: id, stage: row.stage, curatorId: row.curatorId, previousCuratorId: previous });
      return render(row);
    },

    async transition(id: string, body: TransitionBody, actor: CaseActor) {
      const { row, from } = await transaction(async (tx) => {
        const c = await loadForChange(id, actor, tx);
        const from = c.stage;
        const to = body.to;
        if (!canMove(from, to)) {
          throw new DomainError('TRANSITION_NOT_ALLOWED', `a case cannot move from ${from} to ${to}`, 409, [
            { path: 'to', message: `not allowed from ${from}` },
          ]);
        }
        const data: Parameters<CasesRepository['update']>[1] = { stage: to, stageChangedAt: now() };
        let reason: string | null = null;
        for (const need of requirementsFor(from, to)) {
          if (need === 'checkResult') {
            if (!body.checkResult) throw invalid('checkResult', 'record the result of the check');
            data.checkConfirmed = body.checkResult.confirmed;
            data.checkSummary = body.checkResult.summary;
          } else if (need === 'assessment') {
            if (!body.assessment) throw invalid('assessment', 'record the risk assessment: safety and risk factors and the level');
            if (!body.assessment.riskFactors.length && !body.assessment.safetyFactors.length) {
              throw invalid('assessment.riskFactors', 'name at least one safety or risk factor');
            }
            data.riskLevel = body.assessment.level;
            data.safetyFactors = body.assessment.safetyFactors;
            data.riskFactors = body.assessment.riskFactors;
            data.assessmentNote = body.assessment.note ?? null;
            data.openedAt = c.openedAt ?? now();
          } else if (need === 'planWithTask') {
            if ((await repo.countTasks(id, tx)) === 0) throw conflict('PLAN_EMPTY', 'the plan needs at least one goal with a task before it is carried out');
          } else if (need === 'closeReason') {
            if (!body.close) throw invalid('close.reason', 'a case closes with a reason');
            if (body.close.reason === 'other' && !body.close.text) throw invalid('close.text', 'say why, when the reason is "other"');
            data.closeReason = body.close.reason;
            data.closeReasonText = body.close.text ?? null;
            data.closedAt = now();
            reason = body.close.reason;
          } else if (need === 'reopenReason') {
            if (!body.reopenReason) throw invalid('reopenReason', 'a closed case reopens with a reason');
            data.closeReason = null;
            data.closeReasonText = null;
            data.closedAt = null;
            reason = body.reopenReason;
          }
        }
        const updated = await repo.update(id, data, tx);
        await repo.addTransition({ caseId: id, from, to, byId: actor.userId, reason, at: updated.stageChangedAt }, tx);
        await audit.record(
          actor,
          from === 'closed' ? 'case.reopen' : to === 'closed' ? 'case.close' : 'case.stage',
          {
            entity: 'Case',
            entityId: id,
            detail: { from, to, ...(to === 'closed' ? { reason } : {}) },
          },
          tx,
        );
        // A reopened case's clocks run again: their checks are written with the reopening.
        if (from === 'closed')
          await deadlines.scheduleIds(
            updated.deadlines.filter((d) => !d.metOn).map((d) => d.id),
            tx,
          );
        return { row: updated, from };
      });
      if (from === 'closed') deadlines.kick();
      out.updated({ caseId: id, stage: row.stage, curatorId: row.curatorId });
      await events.emitAfter('case.stage-changed', { caseId: id, from, to: row.stage, curatorId: row.curatorId });
      return render(row);
    },

    async setApplication(id: string, applicationDate: string, actor: CaseActor) {
      const cal = await deps.calendar();
      const { row, ids } = await transaction(async (tx) => {
        const c = await loadForChange(id, actor, tx);
        if (c.stage === 'closed') throw conflict('CASE_CLOSED', 'the case is closed; reopen it first');
        await repo.update(id, { applicationDate: toDate(applicationDate) }, tx);
        const ids = await deadlines.startClocks(id, applicationDate, cal, tx);
        await audit.record(actor, 'case.application', { entity: 'Case', entityId: id, detail: { applicationDate } }, tx);
        await deadlines.scheduleIds(ids, tx);
        return { row: (await repo.find(id, tx))!, ids };
      });
      if (ids.length) deadlines.kick();
      return render(row);
    },

    async deadlineMet(id: string, deadlineId: string, metOn: string, actor: CaseActor) {
      const row = await transaction(async (tx) => {
        const c = await loadForChange(id, actor, tx);
        const d = c.deadlines.find((x) => x.id === deadlineId);
        if (!d) throw notFound('deadline');
        if (metOn < isoOf(d.startDate)) throw invalid('metOn', 'cannot be before the application date');
        await repo.updateDeadline(deadlineId, { metOn: toDate(metOn) }, tx);
        await audit.record(actor, 'case.deadline-met', { entity: 'Case', entityId: id, detail: { deadlineId, kind: d.kind, metOn } }, tx);
        return (await repo.find(id, tx))!;
      });
      await events.emitAfter('case.deadline-met', { deadlineId, caseId: id });
      return render(row);
    },

    async addNote(id: string, body: { kind: 'monitoring' | 'note'; text: string }, actor: CaseActor) {
      await transaction(async (tx) => {
        const c = await loadForChange(id, actor, tx);
        if (body.kind === 'monitoring' && c.stage !== 'monitoring') throw conflict('WRONG_STAGE', 'monitoring notes belong to the carrying-out stage');
        const n = await repo.addNote({ caseId: id, authorId: actor.userId, kind: body.kind, text: body.text }, tx);
        await audit.record(actor, 'case.note', { entity: 'Case', entityId: id, detail: { noteId: n.id, kind: body.kind } }, tx);
      });
      return { ok: true as const };
    },
  };
}
export type CasesService = ReturnType<typeof casesService>;
