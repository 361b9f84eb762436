// Statutory clocks (442-FZ) on a case: counted in working days from the application date, with a
// reminder on the working day before the due date (09:00, the centre's time) to the curator, and
// an overdue alert when the due date has passed unmet, to the curator and the supervisors.
// Timing runs on BullMQ delayed jobs (cases.jobs.ts): each job checks the deadline, acts once
// (claimAlert) and schedules the next point, so a calendar edit or a met deadline never leaves a
// stale alert behind. A check scheduled by a change to the case (its opening, an application
// date, a reopening, a task's due date) is written through the outbox in that change's
// transaction, so it cannot be lost; the jobs themselves, the calendar recount and the rearm
// schedule enqueue directly.
import {
  DEADLINE_WORKING_DAYS,
  addDays,
  addWorkingDays,
  isoDateIn,
  startOfDayIn,
  workingDaysBetween,
  type CaseDeadlineAlert,
  type CaseTaskAlert,
  type DeadlineKind,
  type DeadlineView,
  type WorkCalendar,
} from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import type { CasesRepository } from './cases.repository.js';
import { isoOf, toDate } from './calendar.service.js';

export const REMINDER_HOUR = 9;

export interface DeadlineScheduler {
  /** A check of the deadline at `at` (deduplicated per deadline and instant): written to the
   * outbox inside `tx` when given, else enqueued now. */
  schedule(deadlineId: string, at: Date, tx?: Db): Promise<void>;
  /** The same for a plan task's due date. */
  scheduleTask(taskId: string, at: Date, tx?: Db): Promise<void>;
  /** After the commit of a transaction that scheduled: relay the outbox. */
  kick(): void;
}

export interface DeadlineNotifier {
  due(alert: CaseDeadlineAlert): void;
  overdue(alert: CaseDeadlineAlert): Promise<void>;
  taskDue(alert: CaseTaskAlert): void;
  taskOverdue(alert: CaseTaskAlert): void;
}

export function deadlinePoints(cal: WorkCalendar, timeZone: string, dueDate: string) {
  const remindOn = addWorkingDays(cal, dueDate, -1);
  return {
    remindAt: new Date(startOfDayIn(timeZone, remindOn).getTime() + REMINDER_HOUR * 3_600_000),
    overdueAt: startOfDayIn(timeZone, addDays(dueDate, 1)),
  };
}

export function deadlineView(
  d: { id: string; kind: DeadlineKind; startDate: Date; workingDays: number; dueDate: Date; metOn: Date | null },
  cal: WorkCalendar,
  today: string,
): DeadlineView {
  const due = isoOf(d.dueDate);
  const metOn = d.metOn ? isoOf(d.metOn) : null;
  const left = workingDaysBetween(cal, today, due);
  const status: DeadlineView['status'] = metOn ? (metOn <= due ? 'met' : 'missed') : today > due ? 'overdue' : left <= 1 ? 'due_soon' : 'pending';
  return { id: d.id, kind: d.kind, startDate: isoOf(d.startDate), workingDays: d.workingDays, dueDate: due, metOn, workingDaysLeft: left, status };
}

export function caseDeadlines(deps: {
  repo: CasesRepository;
  /** The working-day calendar, read in `tx` when given. */
  calendar: (tx?: Db) => Promise<WorkCalendar>;
  scheduler: DeadlineScheduler;
  notifier: DeadlineNotifier;
  timeZone: string;
  now: () => Date;
}) {
  const { repo, scheduler, notifier, timeZone, now } = deps;

  /** The next point to act at: a missed reminder or alert now, else the next one ahead. */
  function nextPoint(d: { dueDate: Date; remindedAt: Date | null; overdueAlertedAt: Date | null }, cal: WorkCalendar): Date | null {
    const { remindAt, overdueAt } = deadlinePoints(cal, timeZone, isoOf(d.dueDate));
    const t = now();
    if (!d.overdueAlertedAt && t >= overdueAt) return t;
    if (!d.remindedAt) return t >= remindAt ? t : remindAt; // a reminder never sent goes out now
    if (!d.overdueAlertedAt) return overdueAt;
    return null;
  }

  async function scheduleNext(d: { id: string; dueDate: Date; remindedAt: Date | null; overdueAlertedAt: Date | null }, cal: WorkCalendar, tx?: Db) {
    const at = nextPoint(d, cal);
    if (at) await scheduler.schedule(d.id, at, tx);
  }

  async function scheduleTaskNext(id: string, cal: WorkCalendar, tx?: Db) {
    const task = await repo.findTaskForAlert(id, tx);
    if (!task || !task.dueDate || task.doneAt || task.case.stage === 'closed') return;
    const at = nextPoint({ dueDate: task.dueDate, remindedAt: task.remindedAt, overdueAlertedAt: task.overdueAlertedAt }, cal);
    if (at) await scheduler.scheduleTask(id, at, tx);
  }

  return {
    today: () => isoDateIn(timeZone, now()),

    /** Creates (or recounts) both statutory clocks from the application date. Call inside the
     * transaction; schedule the returned ids after the commit. */
    async startClocks(caseId: string, applicationDate: string, cal: WorkCalendar, tx: Db) {
      const ids: string[] = [];
      for (const kind of Object.keys(DEADLINE_WORKING_DAYS) as DeadlineKind[]) {
        const n = DEADLINE_WORKING_DAYS[kind];
        const row = await repo.upsertDeadline(
          { caseId, kind, startDate: toDate(applicationDate), workingDays: n, dueDate: toDate(addWorkingDays(cal, applicationDate, n)) },
          tx,
        );
        ids.push(row.id);
      }
      return ids;
    },

    /** Schedules each deadline's next check: inside `tx` (the outbox; call `kick` after the
     * commit) when the change that needs them is being saved, else at once. */
    async scheduleIds(ids: string[], tx?: Db) {
      if (!ids.length) return;
      const cal = await deps.calendar(tx);
      for (const id of ids) {
        const d = await repo.findDeadline(id, tx);
        if (d && !d.metOn) await scheduleNext(d, cal, tx);
      }
    },

    /** After the commit of a transaction that scheduled checks. */
    kick: () => scheduler.kick(),

    /** The job: acts on a reminder or an overdue point that has come, then schedules the next. */
    async check(deadlineId: string): Promise<'gone' | 'met' | 'reminded' | 'overdue' | 'waiting'> {
      const d = await repo.findDeadline(deadlineId);
      if (!d) return 'gone';
      if (d.metOn || d.case.stage === 'closed') return 'met';
      const cal = await deps.calendar();
      const due = isoOf(d.dueDate);
      const { remindAt, overdueAt } = deadlinePoints(cal, timeZone, due);
      const at = now();
      const alert: CaseDeadlineAlert = {
        caseId: d.caseId,
        caseNumber: d.case.number,
        deadlineId: d.id,
        kind: d.kind,
        dueDate: due,
        curatorId: d.case.curatorId,
      };
      let outcome: 'reminded' | 'overdue' | 'waiting' = 'waiting';
      if (at >= overdueAt) {
        if (await repo.claimAlert(d.id, 'overdueAlertedAt', at)) {
          await notifier.overdue(alert);
          outcome = 'overdue';
        }
        return outcome;
      }
      if (at >= remindAt && (await repo.claimAlert(d.id, 'remindedAt', at))) {
        notifier.due(alert);
        outcome = 'reminded';
      }
      const fresh = await repo.findDeadline(deadlineId);
      if (fresh) await scheduleNext(fresh, cal);
      return outcome;
    },

    /** As scheduleIds, for plan tasks. */
    async scheduleTasks(ids: string[], tx?: Db) {
      if (!ids.length) return;
      const cal = await deps.calendar(tx);
      for (const id of ids) await scheduleTaskNext(id, cal, tx);
    },

    /** The job for a plan task's due date: remind its owner (or the curator) the working day
     * before, alert the owner and the curator the day after, unless it is done. */
    async checkTask(taskId: string): Promise<'gone' | 'done' | 'reminded' | 'overdue' | 'waiting'> {
      const task = await repo.findTaskForAlert(taskId);
      if (!task || !task.dueDate) return 'gone';
      if (task.doneAt || task.case.stage === 'closed') return 'done';
      const cal = await deps.calendar();
      const due = isoOf(task.dueDate);
      const { remindAt, overdueAt } = deadlinePoints(cal, timeZone, due);
      const at = now();
      const alert: CaseTaskAlert = {
        caseId: task.caseId,
        caseNumber: task.case.number,
        taskId,
        dueDate: due,
        ownerId: task.ownerId,
        curatorId: task.case.curatorId,
      };
      if (at >= overdueAt) {
        if (await repo.claimTaskAlert(taskId, 'overdueAlertedAt', at)) {
          notifier.taskOverdue(alert);
          return 'overdue';
        }
        return 'waiting';
      }
      let outcome: 'reminded' | 'waiting' = 'waiting';
      if (at >= remindAt && (await repo.claimTaskAlert(taskId, 'remindedAt', at))) {
        notifier.taskDue(alert);
        outcome = 'reminded';
      }
      await scheduleTaskNext(taskId, cal);
      return outcome;
    },

    /** After a calendar edit: recount every open deadline from its start and move its jobs. */
    async recount() {
      const cal = await deps.calendar();
      for (const d of await repo.openDeadlines()) {
        const due = addWorkingDays(cal, isoOf(d.startDate), d.workingDays);
        if (due !== isoOf(d.dueDate)) {
          const row = await repo.updateDeadline(d.id, { dueDate: toDate(due), remindedAt: null, overdueAlertedAt: null });
          await scheduleNext(row, cal);
        }
      }
      // Plan tasks keep their dates; their reminder day (the working day before) may have moved.
      for (const t of await repo.openTasksWithDue()) await scheduleTaskNext(t.id, cal);
    },

    /** Open deadlines already past their due date (the wallboard's "case deadlines overdue"). */
    async overdue() {
      const today = isoDateIn(timeZone, now());
      return (await repo.overdueDeadlines(toDate(today))).map((d) => ({
        deadlineId: d.id,
        caseId: d.caseId,
        caseNumber: d.case.number,
        kind: d.kind,
        dueDate: isoOf(d.dueDate),
        curatorId: d.case.curatorId,
        dueAt: startOfDayIn(timeZone, addDays(isoOf(d.dueDate), 1)).toISOString(),
      }));
    },
  };
}
export type CaseDeadlines = ReturnType<typeof caseDeadlines>;
