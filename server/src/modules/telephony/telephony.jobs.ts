// Telephony's jobs: ring timeouts, the no-answer menu, the end of wrap-up, SMS delivery,
// conversation silence, and a reconcile schedule that catches what a lost job left behind.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';
import { systemActor } from '../audit/audit.service.js';

export const telephonyHandlers = (services: Services): QueueHandlers<'telephony'> => {
  const { calls, operators, sms } = services.telephony;
  return {
    'offer.expire': async ({ offerId }) => calls.expireOffer(offerId),
    'call.no-answer': async ({ callId }) => calls.noAnswer(callId),
    'operator.wrap-up-end': async ({ userId, version }) => operators.endWrapUp(userId, version),
    'sms.send': async ({ messageId }) => sms.deliver(messageId),
    'conversation.silence': async ({ conversationId }) => sms.closeIfSilent(conversationId, systemActor('conversation-silence')),
    'conversation.offer-expire': async ({ conversationId }) => sms.passOn(conversationId, null),
    'telephony.reconcile': async () => services.telephony.reconcile(),
  };
};

export const telephonySchedules: Schedule<'telephony'>[] = [{ queue: 'telephony', id: 'telephony-reconcile', name: 'telephony.reconcile', everyMs: 15_000 }];
