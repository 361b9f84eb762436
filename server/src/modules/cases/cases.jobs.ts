// Deadline checks run as BullMQ delayed jobs (one per deadline and point in time); a job
// scheduler re-arms every open deadline every few hours, in case Redis lost a delayed job.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';
import type { Seeder } from '../../db/seeders.js';
import { casesRepository } from './cases.repository.js';
import { seedProductionCalendar } from './calendar.service.js';

export const casesHandlers = (services: Services): QueueHandlers<'cases'> => ({
  'deadline.check': async ({ deadlineId }) => ({ outcome: await services.cases.deadlines.check(deadlineId) }),
  'task.check': async ({ taskId }) => ({ outcome: await services.cases.deadlines.checkTask(taskId) }),
  'deadlines.rearm': async () => {
    const open = await services.cases.repo.openDeadlines();
    await services.cases.deadlines.scheduleIds(open.map((d) => d.id));
    const tasks = await services.cases.repo.openTasksWithDue();
    await services.cases.deadlines.scheduleTasks(tasks.map((t) => t.id));
    return { rearmed: open.length, tasks: tasks.length };
  },
});

export const casesSchedules: Schedule<'cases'>[] = [{ queue: 'cases', id: 'cases-deadlines-rearm', name: 'deadlines.rearm', everyMs: 6 * 3_600_000 }];

export const casesSeeders: Seeder[] = [{ name: 'production-calendar', run: (prisma) => seedProductionCalendar(casesRepository(prisma)) }];
