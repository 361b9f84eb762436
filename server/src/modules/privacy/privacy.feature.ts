// Builds the privacy feature: the consent ledger the contacts and cases flows write through, the
// consents service people use, and the breach register.
import type { Db, Transactor } from '../../db/tx.js';
import type { AuditService } from '../audit/audit.service.js';
import { breachesService } from './breaches.service.js';
import { consentLedger, consentsService, type IdentityEraser } from './consents.service.js';
import { privacyRepository } from './privacy.repository.js';

export function privacyFeature(deps: { db: Db; audit: AuditService; transaction: Transactor; now?: () => Date }) {
  const repo = privacyRepository(deps.db);
  const ledger = consentLedger(repo, deps.now);
  // The contacts service is built after the ledger it writes through; it is connected here once
  // it exists (services.ts), and withdrawal is the only path that needs it.
  let eraser: IdentityEraser | null = null;
  const consents = consentsService({
    repo,
    audit: deps.audit,
    transaction: deps.transaction,
    now: deps.now,
    identities: {
      eraseIdentity: (contactId, actor, tx) => {
        if (!eraser) throw new Error('privacy: the contacts identity eraser is not connected');
        return eraser.eraseIdentity(contactId, actor, tx);
      },
    },
  });
  const breaches = breachesService({ repo, audit: deps.audit, transaction: deps.transaction, now: deps.now });
  return {
    repo,
    ledger,
    consents,
    breaches,
    connectIdentities(e: IdentityEraser) {
      eraser = e;
    },
  };
}
export type PrivacyFeature = ReturnType<typeof privacyFeature>;
