// Dispatch jobs. Each re-reads the current state first, so a job relayed twice, retried after a
// crash or fired for a deadline that no longer matters does nothing.
import type { QueueHandlers, RetiredSchedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';

export const dispatchHandlers = (services: Services): QueueHandlers<'dispatch'> => {
  const d = services.dispatch;
  return {
    'offer.send-sms': async ({ offerId }) => d.sendOfferSms(offerId),
    'provider.reply': async ({ offerId, answer, messageId }) => d.applyProviderSms(offerId, answer, messageId),
    'offer.deadline': async ({ offerId }) => d.expireOffer(offerId),
    'offer.warning': async ({ offerId }) => d.deadlineAlert(offerId, 'ack-warning'),
    'delivery.warning': async ({ offerId }) => d.deadlineAlert(offerId, 'delivery-warning'),
    'delivery.deadline': async ({ offerId }) => d.deadlineAlert(offerId, 'delivery-overdue'),
    'recipient.notify': async ({ offerId }) => d.notifyRecipient(offerId),
  };
};

/** The outbox was dispatch's before every feature wrote through it; its sweep and purge now run
 * on the outbox's own queue (modules/maintenance). */
export const dispatchRetiredSchedules: RetiredSchedule[] = [
  { queue: 'dispatch', id: 'dispatch-outbox-sweep' },
  { queue: 'dispatch', id: 'dispatch-outbox-purge' },
];
