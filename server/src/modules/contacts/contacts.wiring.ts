// Contacts' domain events (for the wallboard, dispatch and cases) and its reactions to telephony's.
import type { ContactRisk } from '@trustline/shared';
import type { Services } from '../../kernel.js';

declare module '../../domain-events.js' {
  interface DomainEventMap {
    'contact.created': { contactId: string; channel: string; operatorId: string | null; callId: string | null; conversationId: string | null };
    'contact.risk-changed': { contactId: string; riskLevel: ContactRisk; previous: ContactRisk; hasMinor: boolean; status: string };
    'contact.alert-raised': { contactId: string; operatorId: string | null; hasMinor: boolean; raisedAt: string };
    'contact.alert-acknowledged': { contactId: string; by: string; at: string };
    'contact.finalised': { contactId: string; riskLevel: ContactRisk; operatorId: string | null };
    'contact.reopened': { contactId: string; by: string };
  }
}

/** Opens the draft contact in telephony's own transaction when a call or a text thread is recorded
 * (the thread's contact channel comes with the event, so a new channel needs no change here)
 * (no contact lost, none duplicated: idempotent on callId / conversationId), gives it to the
 * operator who answers, and tells that operator's console after the commit. Registered in
 * modules/events.ts. */
export function wireContactsToTelephony(services: Services) {
  const { events, contacts } = services;
  events.within('call.created', async (p, tx) => {
    await contacts.openDraftFor({ source: 'call', callId: p.callId, operatorId: null, phoneHash: p.callerHash }, tx);
  });
  events.within('call.answered', async (p, tx) => {
    await contacts.openDraftFor({ source: 'call', callId: p.callId, operatorId: p.operatorId, phoneHash: p.callerHash }, tx);
  });
  events.after('call.answered', (p) => contacts.announceOpened({ callId: p.callId }, p.operatorId));
  events.within('conversation.created', async (p, tx) => {
    await contacts.openDraftFor({ source: 'conversation', conversationId: p.conversationId, channel: p.channel, operatorId: null, phoneHash: p.peerHash }, tx);
  });
  events.within('conversation.assigned', async (p, tx) => {
    await contacts.openDraftFor({ source: 'conversation', conversationId: p.conversationId, channel: p.channel, operatorId: p.operatorId }, tx);
  });
  events.after('conversation.assigned', (p) => contacts.announceOpened({ conversationId: p.conversationId }, p.operatorId));
}
