// Dispatch jobs. Each re-reads the current state first, so a job relayed twice, retried after a
// crash or fired for a deadline that no longer matters does nothing.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../services.js';

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
    'outbox.sweep': async () => ({ relayed: await d.relayOutbox() }),
    'outbox.purge': async () => ({ purged: (await d.purgeOutbox()).count }),
  };
};

export const dispatchSchedules: Schedule<'dispatch'>[] = [
  { queue: 'dispatch', id: 'dispatch-outbox-sweep', name: 'outbox.sweep', everyMs: 2_000 },
  { queue: 'dispatch', id: 'dispatch-outbox-purge', name: 'outbox.purge', everyMs: 6 * 3600_000 },
];
