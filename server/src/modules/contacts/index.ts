// Contacts: the record of each call, SMS thread, walk-in or referral, its triage and identity.
import { defineFeature } from '../feature.js';
import { contactsConfigRepository } from './contacts-config.repository.js';
import { contactsConfigService, type ContactsConfigService } from './contacts-config.service.js';
import { contactsHandlers, followUpScheduler } from './contacts.jobs.js';
import { contactsRepository } from './contacts.repository.js';
import routes from './contacts.routes.js';
import { contactsSearch, type ContactsSearch } from './contacts.search.js';
import { contactsService, type ContactsService } from './contacts.service.js';
import { contactsCommands } from './contacts.socket.js';
import { wireContactsToTelephony } from './contacts.wiring.js';
import { contactsSeeder } from './seed.js';

declare module '../../kernel.js' {
  interface Services {
    contacts: ContactsService;
    contactsSearch: ContactsSearch;
    /** Categories, areas and checklists that administrators keep. */
    contactsConfig: ContactsConfigService;
  }
}

export const contactsFeature = defineFeature({
  name: 'contacts',
  create: (k, { audit, cases, privacy, callers }) => ({
    contacts: contactsService({
      repo: contactsRepository(k.prisma),
      audit,
      transaction: k.transaction,
      events: k.events,
      phones: k.phones,
      emitter: k.emitter,
      openCases: cases.openCases,
      followUps: followUpScheduler(k.outbox, k.config.contacts.followUpOverdueMs),
      consents: privacy.ledger,
      callers,
    }),
    contactsSearch: contactsSearch(k.prisma, { cipher: k.infra.db.cipher, audit }),
    contactsConfig: contactsConfigService({ repo: contactsConfigRepository(k.prisma), transaction: k.transaction, audit }),
  }),
  routes: [routes],
  commands: contactsCommands,
  handlers: (services) => ({ contacts: contactsHandlers(services) }),
  seeders: [contactsSeeder],
  wiring: wireContactsToTelephony,
});
