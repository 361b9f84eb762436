// Telephony's jobs on the 'telephony' queue: ring timeouts, the no-answer menu and the reconcile
// schedule. The queue predates the operators and conversations modules and keeps its name and job
// names (running deployments hold jobs under them); those two handle their own jobs on it.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';

export const telephonyHandlers = (services: Services): Partial<QueueHandlers<'telephony'>> => {
  const { calls } = services.telephony;
  return {
    'offer.expire': async ({ offerId }) => calls.expireOffer(offerId),
    'call.no-answer': async ({ callId }) => calls.noAnswer(callId),
    'telephony.reconcile': async () => services.telephony.reconcile(),
  };
};

export const telephonySchedules: Schedule<'telephony'>[] = [{ queue: 'telephony', id: 'telephony-reconcile', name: 'telephony.reconcile', everyMs: 15_000 }];
