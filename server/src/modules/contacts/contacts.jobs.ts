// Follow-up reminders (delayed jobs, one per contact and due time). Payloads hold ids only.
// Retention is the retention module's (modules/retention/).
import { rooms } from '../../realtime/rooms.js';
import type { QueueHandlers } from '../../jobs/handlers.js';
import type { Outbox } from '../../jobs/outbox.js';
import type { Services } from '../../kernel.js';
import type { FollowUpScheduler } from './contacts.service.js';

/** Writes "due" at the follow-up time and "overdue" a grace period later, through the outbox in
 * the save's transaction (a reminder must not be lost when Redis is away at that instant); the
 * relay turns `runAt` into the delay. jobId dedupes per contact and due time, so re-saving the
 * same date adds nothing; a changed date adds new jobs and the old ones find the date moved and
 * do nothing. */
export function followUpScheduler(outbox: Outbox, overdueAfterMs: number): FollowUpScheduler {
  return {
    async schedule(contactId, dueAt, tx) {
      const due = dueAt.getTime();
      const data = { contactId, dueAt: dueAt.toISOString() };
      await outbox.write(
        [
          { queue: 'contacts', name: 'contacts.follow-up-due', data, jobId: `followup-due-${contactId}-${due}`, runAt: dueAt },
          { queue: 'contacts', name: 'contacts.follow-up-overdue', data, jobId: `followup-overdue-${contactId}-${due}`, runAt: new Date(due + overdueAfterMs) },
        ],
        tx,
      );
    },
    kick: () => outbox.kick(),
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
