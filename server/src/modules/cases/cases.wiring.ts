// Cases → contacts: a contact's own timeline says when it was escalated to (or linked with) a
// case, in the same transaction as the link. Only the case id goes there, never its content.
import type { Services } from '../../kernel.js';

export const wireCasesToContacts = (services: Services) => {
  services.events.within('case.created', async (p, tx) => {
    for (const contactId of p.contactIds) await services.contacts.appendEvent(contactId, 'case-linked', { caseId: p.caseId }, p.actorId, tx);
  });
  services.events.within('case.contact-linked', async (p, tx) => {
    await services.contacts.appendEvent(p.contactId, 'case-linked', { caseId: p.caseId }, p.actorId, tx);
  });
};
