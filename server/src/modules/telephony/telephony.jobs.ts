// The 'telephony' queue's jobs. The queue predates the operators and conversations modules and
// keeps its name and job names (running deployments hold jobs under them); one feature handles a
// queue, so telephony runs its own jobs (ring timeouts, the no-answer menu, the reconcile
// schedule) and those the other two provide through their ports (the end of wrap-up, SMS
// delivery, conversation silence and offer expiry).
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';

export const telephonyHandlers = (services: Services): QueueHandlers<'telephony'> => {
  const { calls } = services.telephony;
  return {
    'offer.expire': async ({ offerId }) => calls.expireOffer(offerId),
    'call.no-answer': async ({ callId }) => calls.noAnswer(callId),
    ...services.operators.jobs,
    ...services.conversations.jobs,
    'telephony.reconcile': async () => services.telephony.reconcile(),
  };
};

export const telephonySchedules: Schedule<'telephony'>[] = [{ queue: 'telephony', id: 'telephony-reconcile', name: 'telephony.reconcile', everyMs: 15_000 }];
