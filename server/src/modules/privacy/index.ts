// Consents, the breach register, and the consent ledger that contacts and cases write through.
import type { Db, Transactor } from '../../db/tx.js';
import type { AuditService } from '../audit/audit.service.js';
import { defineFeature } from '../feature.js';
import { breachesService } from './breaches.service.js';
import { consentLedger, consentsService, type IdentityEraser } from './consents.service.js';
import { privacyRepository } from './privacy.repository.js';
import routes from './privacy.routes.js';

function buildPrivacy(deps: { db: Db; audit: AuditService; transaction: Transactor; now?: () => Date }) {
  const repo = privacyRepository(deps.db);
  const ledger = consentLedger(repo, deps.now);
  // The contacts service is built after the ledger it writes through; it is connected here once
  // it exists (the feature's wiring, below), and withdrawal is the only path that needs it.
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

declare module '../../kernel.js' {
  interface Services {
    privacy: ReturnType<typeof buildPrivacy>;
  }
}

export const privacyFeature = defineFeature({
  name: 'privacy',
  create: ({ prisma, transaction }, { audit }) => ({ privacy: buildPrivacy({ db: prisma, audit, transaction }) }),
  routes: [routes],
  // Withdrawing a consent erases the contact's identity: contacts is built after the ledger it
  // writes through, so it is connected here.
  wiring: ({ privacy, contacts }) => privacy.connectIdentities(contacts),
});
