// Retention: the identified part of a contact (ContactIdentity, ContactPerson, the sealed
// call-back number) is removed a configurable number of days after the contact was finalised,
// unless the contact belongs to an open case. The anonymous record, its categories, risk and
// outcome stay for statistics; the phone hash stays so repeat contacts still link.
import type { Db, Transactor } from '../../db/tx.js';
import { systemActor, type AuditService } from '../audit/audit.service.js';
import type { ContactsRepository } from './contacts.repository.js';
import type { OpenCaseLookup } from './contacts.service.js';

export function contactsRetentionService(deps: {
  db: Db;
  repo: ContactsRepository;
  transaction: Transactor;
  audit: AuditService;
  openCases: OpenCaseLookup;
  retentionDays: number;
  now?: () => Date;
}) {
  const { db, repo, transaction, audit, openCases } = deps;
  const now = deps.now ?? (() => new Date());
  const actor = systemActor('contacts.retention');
  return {
    followUpState(contactId: string) {
      return db.contact.findUnique({
        where: { id: contactId },
        select: { followUpAt: true, followUpDoneAt: true, followUpAssigneeId: true, operatorId: true },
      });
    },

    async anonymiseExpired(batch = 500) {
      const before = new Date(now().getTime() - deps.retentionDays * 86_400_000);
      let anonymised = 0;
      let keptForCase = 0;
      const candidates = await repo.retentionCandidates(before, batch);
      const open = await openCases.openCaseOf(candidates.map((c) => c.id));
      for (const { id } of candidates) {
        if (open.has(id)) {
          keptForCase++;
          continue;
        }
        await transaction(async (tx) => {
          await repo.removeIdentity(id, tx);
          await repo.update(id, { identified: false, anonymisedAt: now() }, tx);
          await repo.appendEvent(id, 'anonymised', null, { reason: 'retention' }, tx);
          await audit.record(actor, 'contact.identity.anonymise', { entity: 'Contact', entityId: id, detail: { retentionDays: deps.retentionDays } }, tx);
        });
        anonymised++;
      }
      return { anonymised, keptForCase };
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
