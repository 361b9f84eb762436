// What the contacts feature's jobs read (the follow-up reminders), and the default open-case
// lookup. Retention of contacts is the retention module's (modules/retention/).
import type { Db } from '../../db/tx.js';
import type { OpenCaseLookup } from './contacts.service.js';

export function contactsJobsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    followUpState(contactId: string) {
      return db.contact.findUnique({
        where: { id: contactId },
        select: { followUpAt: true, followUpDoneAt: true, followUpAssigneeId: true, operatorId: true },
      });
    },
  };
}

/** Default open-case lookup: a link to a case whose stage is not `closed` (cases feature's
 * CaseContact). The cases feature may replace it with its own service method. */
export function caseLinkLookup(db: Db): OpenCaseLookup {
  return {
    async openCaseOf(contactIds, tx = db) {
      if (!contactIds.length) return new Map();
      const links = await tx.caseContact.findMany({
        where: { contactId: { in: contactIds }, case: { stage: { not: 'closed' } } },
        select: { contactId: true, caseId: true },
      });
      return new Map(links.map((l) => [l.contactId, l.caseId]));
    },
  };
}
