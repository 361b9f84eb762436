// Follow-up reminders (delayed jobs, one per contact and due time). Payloads hold ids only.
// Retention is the retention module's (modules/retention/).
import { rooms } from '@trustline/shared';
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { TypedQueue } from '../../jobs/queues.js';
import type { Services } from '../../services.js';
import type { FollowUpScheduler } from './contacts.service.js';

/** Enqueues "due" at the follow-up time and "overdue" a grace period later. jobId dedupes per
 * contact and due time, so re-saving the same date adds nothing; a changed date adds new jobs
 * and the old ones find the date moved and do nothing. */
export function followUpScheduler(queue: TypedQueue<'contacts'>, overdueAfterMs: number, now = () => Date.now()): FollowUpScheduler {
  return {
    async schedule(contactId, dueAt) {
      const due = dueAt.getTime();
      const data = { contactId, dueAt: dueAt.toISOString() };
      await queue.add('contacts.follow-up-due', data, { jobId: `followup-due-${contactId}-${due}`, delay: Math.max(0, due - now()) });
      await queue.add('contacts.follow-up-overdue', data, {
        jobId: `followup-overdue-${contactId}-${due}`,
        delay: Math.max(0, due + overdueAfterMs - now()),
      });
    },
  };
}

export const contactsHandlers = (services: Services): QueueHandlers<'contacts'> => ({
  'contacts.follow-up-due': async ({ contactId, dueAt }) => {
    const c = await services.contactsJobs.followUpState(contactId);
    if (!c || !c.followUpAt || c.followUpAt.toISOString() !== dueAt || c.followUpDoneAt) return { skipped: true };
    const target = c.followUpAssigneeId ?? c.operatorId;
    if (target) services.infra.io.to(rooms.user(target)).emit('contact:follow-up-due', { contactId, followUpAt: dueAt });
    return { reminded: target };
  },
  'contacts.follow-up-overdue': async ({ contactId, dueAt }) => {
    const c = await services.contactsJobs.followUpState(contactId);
    if (!c || !c.followUpAt || c.followUpAt.toISOString() !== dueAt || c.followUpDoneAt) return { skipped: true };
    services.infra.io.to(rooms.role('supervisor')).emit('contact:follow-up-overdue', { contactId, followUpAt: dueAt, assigneeId: c.followUpAssigneeId });
    return { escalated: true };
  },
});

/** Retention moved to the retention module (modules/retention/retention.jobs.ts). */
export const contactsSchedules: Schedule<'contacts'>[] = [];
