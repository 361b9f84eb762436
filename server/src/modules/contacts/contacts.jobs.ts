// Follow-up reminders (delayed jobs, one per contact and due time). Payloads hold ids only.
// Retention is the retention module's (modules/retention/).
import { rooms } from '../../realtime/rooms.js';
import type { QueueHandlers } from '../../jobs/handlers.js';
import type { Enqueue } from '../../jobs/enqueue.js';
import type { Services } from '../../kernel.js';
import type { FollowUpScheduler } from './contacts.service.js';

/** Enqueues "due" at the follow-up time and "overdue" a grace period later. jobId dedupes per
 * contact and due time, so re-saving the same date adds nothing; a changed date adds new jobs
 * and the old ones find the date moved and do nothing. */
export function followUpScheduler(enqueue: Enqueue, overdueAfterMs: number, now = () => Date.now()): FollowUpScheduler {
  return {
    async schedule(contactId, dueAt) {
      const due = dueAt.getTime();
      const data = { contactId, dueAt: dueAt.toISOString() };
      await enqueue('contacts', 'contacts.follow-up-due', data, { jobId: `followup-due-${contactId}-${due}`, delay: Math.max(0, due - now()) });
      await enqueue('contacts', 'contacts.follow-up-overdue', data, {
        jobId: `followup-overdue-${contactId}-${due}`,
        delay: Math.max(0, due + overdueAfterMs - now()),
      });
    },
  };
}

export const contactsHandlers = (services: Services): QueueHandlers<'contacts'> => ({
  'contacts.follow-up-due': async ({ contactId, dueAt }) => {
    const c = await services.contacts.followUpState(contactId);
    if (!c || !c.followUpAt || c.followUpAt.toISOString() !== dueAt || c.followUpDoneAt) return { skipped: true };
    const target = c.followUpAssigneeId ?? c.operatorId;
    if (target) services.emitter.to(rooms.user(target)).emit('contact:follow-up-due', { contactId, followUpAt: dueAt });
    return { reminded: target };
  },
  'contacts.follow-up-overdue': async ({ contactId, dueAt }) => {
    const c = await services.contacts.followUpState(contactId);
    if (!c || !c.followUpAt || c.followUpAt.toISOString() !== dueAt || c.followUpDoneAt) return { skipped: true };
    services.emitter.to(rooms.role('supervisor')).emit('contact:follow-up-overdue', { contactId, followUpAt: dueAt, assigneeId: c.followUpAssigneeId });
    return { escalated: true };
  },
});
