// Every feature module, in one list: its routes, its socket commands, its job handlers and its
// recurring schedules. A new feature adds one line to each.
import type { FastifyPluginAsync } from 'fastify';
import type { Seeder } from '../db/seeders.js';
import type { AllHandlers, Schedule } from '../jobs/handlers.js';
import type { CommandDefinition } from '../realtime/commands.js';
import type { Services } from '../services.js';
import auditRoutes from './audit/audit.routes.js';
import authRoutes from './auth/auth.routes.js';
import healthRoutes from './health/health.routes.js';
import { maintenanceHandlers, maintenanceSchedules } from './maintenance.jobs.js';
import { presenceCommands } from './presence/presence.socket.js';
import usersRoutes from './users/users.routes.js';
import directoryRoutes from './directory/directory.routes.js';
import { directorySeeder } from './directory/directory.seed.js';
import dispatchRoutes from './dispatch/dispatch.routes.js';
import dispatchPublicRoutes from './dispatch/provider-page.routes.js';
import { dispatchHandlers, dispatchSchedules } from './dispatch/dispatch.jobs.js';
import casesRoutes from './cases/cases.routes.js';
import { casesCommands } from './cases/cases.socket.js';
import { casesHandlers, casesSchedules, casesSeeders } from './cases/cases.jobs.js';
import contactsRoutes from './contacts/contacts.routes.js';
import { contactsCommands } from './contacts/contacts.socket.js';
import { contactsHandlers, contactsSchedules } from './contacts/contacts.jobs.js';
import { contactsSeeder } from './contacts/seed.js';
import { telephonyHandlers, telephonySchedules } from './telephony/telephony.jobs.js';
import telephonyPresence from './telephony/telephony.presence.js';
import telephonyRoutes from './telephony/telephony.routes.js';
import { telephonyCommands } from './telephony/telephony.socket.js';
import twilioWebhooks from './telephony/webhooks.routes.js';
import liveRoutes from './live/live.routes.js';
import reportsRoutes from './reports/reports.routes.js';
import { liveCommands } from './live/live.socket.js';
import { liveHandlers, liveSchedules } from './live/live.jobs.js';
import operationsRoutes from './operations/operations.routes.js';
import privacyRoutes from './privacy/privacy.routes.js';
import retentionRoutes from './retention/retention.routes.js';
import { retentionHandlers, retentionSchedules, retiredSchedules } from './retention/retention.jobs.js';
import dataRequestsRoutes from './data-requests/data-requests.routes.js';
import callersRoutes from './callers/callers.routes.js';

export const routePlugins: FastifyPluginAsync[] = [
  directoryRoutes,
  dispatchRoutes,
  dispatchPublicRoutes,
  operationsRoutes,
  healthRoutes,
  authRoutes,
  usersRoutes,
  auditRoutes,
  liveRoutes,
  reportsRoutes,
  twilioWebhooks,
  telephonyRoutes,
  telephonyPresence,
  contactsRoutes,
  casesRoutes,
  privacyRoutes,
  dataRequestsRoutes,
  retentionRoutes,
  callersRoutes,
];

export const socketCommands = (services: Services): CommandDefinition[] =>
  [
    ...presenceCommands(services),
    ...contactsCommands(services),
    ...telephonyCommands(services),
    ...liveCommands(services),
    ...casesCommands(services),
  ] as unknown as CommandDefinition[];

export const jobHandlers = (services: Services): AllHandlers => ({
  maintenance: maintenanceHandlers(services),
  live: liveHandlers(services),
  dispatch: dispatchHandlers(services),
  cases: casesHandlers(services),
  contacts: contactsHandlers(services),
  telephony: telephonyHandlers(services),
  retention: retentionHandlers(services),
});

export const schedules: Schedule[] = [
  ...(liveSchedules as unknown as Schedule[]),
  ...(dispatchSchedules as unknown as Schedule[]),
  ...(casesSchedules as unknown as Schedule[]),
  ...(maintenanceSchedules as unknown as Schedule[]),
  ...(telephonySchedules as unknown as Schedule[]),
  ...(contactsSchedules as unknown as Schedule[]),
  ...(retentionSchedules as unknown as Schedule[]),
];

/** Schedulers of earlier releases, removed at worker start. */
export { retiredSchedules };

/** Idempotent reference-data seeders, run after migrations at start and on the test template. */
export const seeders: Seeder[] = [directorySeeder, ...casesSeeders, contactsSeeder];
