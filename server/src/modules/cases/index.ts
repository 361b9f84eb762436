// Cases: the case-work cycle from a signal to closing, its statutory deadlines on working days,
// the plan with its goals and tasks, findings and results.
import { addDays, startOfDayIn } from '@trustline/shared';
import type { Kernel, Services } from '../../kernel.js';
import { rooms } from '../../realtime/rooms.js';
import { defineFeature } from '../feature.js';
import { calendarService } from './calendar.service.js';
import { caseDeadlines, type DeadlineScheduler } from './cases.deadlines.js';
import { casesInsights } from './cases.insights.js';
import { casesHandlers, casesSchedules, casesSeeders } from './cases.jobs.js';
import { casesRepository } from './cases.repository.js';
import routes from './cases.routes.js';
import { casesService } from './cases.service.js';
import { casesCommands } from './cases.socket.js';
import { wireCasesToContacts } from './cases.wiring.js';

function buildCases(
  { prisma, events, emitter, enqueue, outbox, transaction, phones, config }: Kernel,
  { audit, privacy }: Pick<Services, 'audit' | 'privacy'>,
) {
  const timeZone = config.timezone;
  const now = () => new Date();
  const repo = casesRepository(prisma);

  // A check scheduled inside a change's transaction goes through the outbox (the relay turns
  // runAt into the delay); the jobs' own next points, the recount and the rearm enqueue.
  const scheduler: DeadlineScheduler = {
    async schedule(deadlineId, at, tx) {
      const jobId = `deadline-${deadlineId}-${at.getTime()}`;
      if (tx) return outbox.write([{ queue: 'cases', name: 'deadline.check', data: { deadlineId }, jobId, runAt: at }], tx);
      await enqueue('cases', 'deadline.check', { deadlineId }, { delay: Math.max(0, at.getTime() - now().getTime()), jobId });
    },
    async scheduleTask(taskId, at, tx) {
      const jobId = `task-${taskId}-${at.getTime()}`;
      if (tx) return outbox.write([{ queue: 'cases', name: 'task.check', data: { taskId }, jobId, runAt: at }], tx);
      await enqueue('cases', 'task.check', { taskId }, { delay: Math.max(0, at.getTime() - now().getTime()), jobId });
    },
    kick: () => outbox.kick(),
  };

  let deadlinesRef: ReturnType<typeof caseDeadlines> | undefined;
  const calendar = calendarService({ repo, audit: audit, transaction: transaction, onChanged: () => deadlinesRef!.recount() });
  const deadlines = caseDeadlines({
    repo,
    calendar: (tx) => calendar.calendar(tx),
    scheduler,
    timeZone,
    now,
    notifier: {
      due(alert) {
        emitter.to(alert.curatorId ? rooms.user(alert.curatorId) : rooms.role('supervisor')).emit('case:deadline-due', alert);
      },
      taskDue(alert) {
        const target = alert.ownerId ?? alert.curatorId;
        emitter.to(target ? rooms.user(target) : rooms.role('supervisor')).emit('case:task-due', alert);
      },
      taskOverdue(alert) {
        const users = [...new Set([alert.ownerId, alert.curatorId].filter((x): x is string => !!x))].map(rooms.user);
        emitter.to(users.length ? users : [rooms.role('supervisor')]).emit('case:task-overdue', alert);
      },
      async overdue(alert) {
        emitter.to([rooms.role('supervisor'), ...(alert.curatorId ? [rooms.user(alert.curatorId)] : [])]).emit('case:deadline-overdue', alert);
        await events.emitAfter('case.deadline-overdue', {
          deadlineId: alert.deadlineId,
          caseId: alert.caseId,
          kind: alert.kind,
          dueDate: alert.dueDate,
          dueAt: startOfDayIn(timeZone, addDays(alert.dueDate, 1)).toISOString(),
          curatorId: alert.curatorId,
        });
      },
    },
  });
  deadlinesRef = deadlines;

  const service = casesService({
    repo,
    audit: audit,
    transaction: transaction,
    events,
    phones: phones,
    calendar: () => calendar.calendar(),
    deadlines,
    consents: privacy.ledger,
    now,
    out: {
      created(c) {
        emitter.to([rooms.role('supervisor'), ...(c.curatorId ? [rooms.user(c.curatorId)] : [])]).emit('case:created', c);
      },
      updated({ previousCuratorId, ...c }) {
        const users = [c.curatorId, previousCuratorId].filter((x): x is string => !!x).map(rooms.user);
        emitter.to([rooms.role('supervisor'), ...users]).emit('case:updated', c);
      },
    },
  });

  const insights = casesInsights({ repo, audit, deadlines, timeZone });
  /** For contacts: the open case a contact is linked to (a contact escalated once is not escalated twice). */
  const openCases = { openCaseOf: repo.openCaseOf };
  return { repo, service, deadlines, insights, calendar, openCases };
}

declare module '../../kernel.js' {
  interface Services {
    cases: ReturnType<typeof buildCases>;
  }
}

export const casesFeature = defineFeature({
  name: 'cases',
  create: (kernel, services) => ({ cases: buildCases(kernel, services) }),
  routes: [routes],
  commands: casesCommands,
  handlers: (services) => ({ cases: casesHandlers(services) }),
  schedules: casesSchedules,
  seeders: casesSeeders,
  wiring: wireCasesToContacts,
});
