// Dispatch's links to other features, through their seams:
//   - each dispatch step goes on the contact's timeline (contacts.appendEvent), in the same
//     transaction as the step;
//   - providers' SMS answers are claimed from telephony's inbound webhook (sms.interceptInbound)
//     and their delivery states come back through 'sms.status-changed'.
import type { Services } from '../../kernel.js';

export const dispatchWiring = (services: Services) => {
  services.events.within('dispatch.step', async (p, tx) => {
    if (!p.contactId) return;
    await services.contacts.appendEvent(
      p.contactId,
      `dispatch.${p.step}`,
      { dispatchId: p.dispatchId, number: p.number, kind: p.kind, provider: p.provider },
      p.actorId,
      tx,
    );
  });
  services.sms.interceptInbound('dispatch', (sms, tx) => services.dispatch.claimProviderSms(sms, tx));
  // The claimed answer was written to the outbox inside telephony's transaction: relay it now.
  services.events.after('sms.received', (p) => {
    if (p.claimedBy === 'dispatch') services.outbox.kick();
  });
  services.events.after('sms.status-changed', async (p) => {
    if (p.purpose === 'dispatch.offer' && p.refId) await services.dispatch.offerSmsStatus(p.refId, p.status);
  });
};
