// The case plan (Tomsk technology: safety, rehabilitation and placement parts): goals, and the
// tasks under them with an owner and a due date. Written once the case is opened, by its curator
// or a supervisor; every change audited. A task's due-date check is written through the outbox in
// the change's transaction (cases.deadlines.ts), so it is not lost. cases.service.ts composes it.
import type { CaseView } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import { conflict, invalid, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { toDate } from './calendar.service.js';
import type { CaseDeadlines } from './cases.deadlines.js';
import type { CaseRow, CasesRepository } from './cases.repository.js';

/** `A` is the service's actor (CaseActor, with roles): the plan passes it to loadForChange. */
export function casePlan<A extends Actor>(deps: {
  repo: CasesRepository;
  audit: AuditService;
  transaction: Transactor;
  deadlines: Pick<CaseDeadlines, 'scheduleTasks' | 'kick'>;
  /** Locks the case and checks that the actor may change it (cases.service.ts). */
  loadForChange: (id: string, actor: A, tx: Db) => Promise<CaseRow>;
  render: (c: CaseRow) => Promise<CaseView>;
  now: () => Date;
}) {
  const { repo, audit, transaction, deadlines, loadForChange, render, now } = deps;
  return {
    async addGoal(id: string, body: { part: 'safety' | 'rehabilitation' | 'placement'; text: string }, actor: A) {
      const row = await transaction(async (tx) => {
        const c = await loadForChange(id, actor, tx);
        if (!['opened', 'plan', 'monitoring'].includes(c.stage)) throw conflict('WRONG_STAGE', 'the plan is written once the case is opened');
        const g = await repo.addGoal(id, body.part, body.text, tx);
        await audit.record(actor, 'case.plan.goal-add', { entity: 'Case', entityId: id, detail: { goalId: g.id, part: body.part } }, tx);
        return (await repo.find(id, tx))!;
      });
      return render(row);
    },

    async removeGoal(id: string, goalId: string, actor: A) {
      const row = await transaction(async (tx) => {
        await loadForChange(id, actor, tx);
        const g = await repo.findGoal(goalId, tx);
        if (!g || g.caseId !== id) throw notFound('goal');
        await repo.deleteGoal(goalId, tx);
        await audit.record(actor, 'case.plan.goal-remove', { entity: 'Case', entityId: id, detail: { goalId } }, tx);
        return (await repo.find(id, tx))!;
      });
      return render(row);
    },

    async addTask(id: string, body: { goalId: string; text: string; ownerId?: string | null; ownerName?: string | null; dueDate?: string | null }, actor: A) {
      const row = await transaction(async (tx) => {
        await loadForChange(id, actor, tx);
        const g = await repo.findGoal(body.goalId, tx);
        if (!g || g.caseId !== id) throw invalid('goalId', 'must be a goal of this case');
        if (body.ownerId && !(await repo.userRoles(body.ownerId, tx))) throw invalid('ownerId', 'must be a staff member');
        const t = await repo.addTask(
          {
            caseId: id,
            goalId: g.id,
            text: body.text,
            ownerId: body.ownerId ?? null,
            ownerName: body.ownerName ?? null,
            dueDate: body.dueDate ? toDate(body.dueDate) : null,
          },
          tx,
        );
        await audit.record(actor, 'case.plan.task-add', { entity: 'Case', entityId: id, detail: { taskId: t.id, goalId: g.id } }, tx);
        // Its due-date check is written with the task (the outbox), so it is not lost.
        if (body.dueDate) await deadlines.scheduleTasks([t.id], tx);
        return (await repo.find(id, tx))!;
      });
      if (body.dueDate) deadlines.kick();
      return render(row);
    },

    async updateTask(id: string, taskId: string, body: { done?: boolean; text?: string; dueDate?: string | null; ownerId?: string | null }, actor: A) {
      const reschedule = !!body.dueDate || body.done === false;
      const row = await transaction(async (tx) => {
        await loadForChange(id, actor, tx);
        const t = await repo.findTask(taskId, tx);
        if (!t || t.caseId !== id) throw notFound('task');
        await repo.updateTask(
          taskId,
          {
            text: body.text,
            ownerId: body.ownerId,
            dueDate: body.dueDate === undefined ? undefined : body.dueDate ? toDate(body.dueDate) : null,
            doneAt: body.done === undefined ? undefined : body.done ? (t.doneAt ?? now()) : null,
            // A new due date earns a new reminder and alert.
            ...(body.dueDate !== undefined ? { remindedAt: null, overdueAlertedAt: null } : {}),
          },
          tx,
        );
        await audit.record(actor, 'case.plan.task-update', { entity: 'Case', entityId: id, detail: { taskId, fields: Object.keys(body) } }, tx);
        if (reschedule) await deadlines.scheduleTasks([taskId], tx);
        return (await repo.find(id, tx))!;
      });
      if (reschedule) deadlines.kick();
      return render(row);
    },
  };
}
export type CasePlan = ReturnType<typeof casePlan>;
