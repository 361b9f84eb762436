// Builds the cases feature from the infrastructure: services, the deadline scheduler (BullMQ
// delayed jobs) and the realtime notifier (named rooms only, after the commit).
import { rooms } from '@trustline/shared';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Transactor, Db } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import type { Queues } from '../../jobs/queues.js';
import type { Io } from '../../realtime/io.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ConsentLedger } from '../privacy/consents.service.js';
import { calendarService } from './calendar.service.js';
import { caseDeadlines, type DeadlineScheduler } from './cases.deadlines.js';
import { casesInsights } from './cases.insights.js';
import { casesRepository } from './cases.repository.js';
import { casesService } from './cases.service.js';
import { addDays, startOfDayIn } from '@trustline/shared';

export function casesFeature(deps: {
  db: Db;
  audit: AuditService;
  transaction: Transactor;
  events: DomainEvents;
  phones: PhoneCrypto;
  io: Io;
  queues: Queues;
  timeZone: string;
  consents?: ConsentLedger;
  now?: () => Date;
}) {
  const { io, queues, events, timeZone } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = casesRepository(deps.db);

  const scheduler: DeadlineScheduler = {
    async schedule(deadlineId, at) {
      await queues.cases.add(
        'deadline.check',
        { deadlineId },
        { delay: Math.max(0, at.getTime() - now().getTime()), jobId: `deadline-${deadlineId}-${at.getTime()}` },
      );
    },
    async scheduleTask(taskId, at) {
      await queues.cases.add('task.check', { taskId }, { delay: Math.max(0, at.getTime() - now().getTime()), jobId: `task-${taskId}-${at.getTime()}` });
    },
  };

  let deadlinesRef: ReturnType<typeof caseDeadlines> | undefined;
  const calendar = calendarService({ repo, audit: deps.audit, transaction: deps.transaction, onChanged: () => deadlinesRef!.recount() });
  const deadlines = caseDeadlines({
    repo,
    calendar: () => calendar.calendar(),
    scheduler,
    timeZone,
    now,
    notifier: {
      due(alert) {
        io.to(alert.curatorId ? rooms.user(alert.curatorId) : rooms.role('supervisor')).emit('case:deadline-due', alert);
      },
      taskDue(alert) {
        const target = alert.ownerId ?? alert.curatorId;
        io.to(target ? rooms.user(target) : rooms.role('supervisor')).emit('case:task-due', alert);
      },
      taskOverdue(alert) {
        const users = [...new Set([alert.ownerId, alert.curatorId].filter((x): x is string => !!x))].map(rooms.user);
        io.to(users.length ? users : [rooms.role('supervisor')]).emit('case:task-overdue', alert);
      },
      async overdue(alert) {
        io.to([rooms.role('supervisor'), ...(alert.curatorId ? [rooms.user(alert.curatorId)] : [])]).emit('case:deadline-overdue', alert);
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
    audit: deps.audit,
    transaction: deps.transaction,
    events,
    phones: deps.phones,
    calendar: () => calendar.calendar(),
    deadlines,
    consents: deps.consents,
    now,
    out: {
      created(c) {
        io.to([rooms.role('supervisor'), ...(c.curatorId ? [rooms.user(c.curatorId)] : [])]).emit('case:created', c);
      },
      updated({ previousCuratorId, ...c }) {
        const users = [c.curatorId, previousCuratorId].filter((x): x is string => !!x).map(rooms.user);
        io.to([rooms.role('supervisor'), ...users]).emit('case:updated', c);
      },
    },
  });

  const insights = casesInsights({ repo, audit: deps.audit, deadlines, timeZone });
  return { repo, service, deadlines, insights, calendar };
}
export type CasesFeature = ReturnType<typeof casesFeature>;
