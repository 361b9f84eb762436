// The composition root: repositories and services built once from the infrastructure, shared by
// the HTTP app, the socket handlers and the worker. Tests build the same thing on their own
// database and Redis prefix.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { transactor } from './db/tx.js';
import { phoneCrypto } from './crypto/phone.js';
import { DomainEvents } from './domain-events.js';
import { eventWiring } from './modules/events.js';
import type { Invalidation } from './invalidation.js';
import type { Queues } from './jobs/queues.js';
import type { Io } from './realtime/io.js';
import { rooms, sessionRoom } from './realtime/rooms.js';
import { auditRepository } from './modules/audit/audit.repository.js';
import { auditService } from './modules/audit/audit.service.js';
import { authRepository } from './modules/auth/auth.repository.js';
import { authService } from './modules/auth/auth.service.js';
import { loginThrottle } from './modules/auth/login-throttle.js';
import { pendingStore } from './modules/auth/pending.js';
import { totpCodec } from './modules/auth/totp.js';
import { presenceService } from './modules/presence/presence.service.js';
import { callsRepository } from './modules/telephony/calls.repository.js';
import { smsRepository } from './modules/telephony/sms.repository.js';
import { telephonyService } from './modules/telephony/telephony.service.js';
import { twilioGateway } from './modules/telephony/twilio-gateway.js';
import { redisMessageLog } from './modules/telephony/twilio-sim.js';
import { twimlBuilder } from './modules/telephony/twiml.js';
import { liveRepository } from './modules/live/live.repository.js';
import { liveService } from './modules/live/live.service.js';
import { liveStore } from './modules/live/live.store.js';
import { reportsRepository } from './modules/reports/reports.repository.js';
import { reportsService } from './modules/reports/reports.service.js';
import { contactsRepository } from './modules/contacts/contacts.repository.js';
import { contactsService } from './modules/contacts/contacts.service.js';
import { contactsSearch } from './modules/contacts/contacts.search.js';
import { contactsConfigService } from './modules/contacts/contacts-config.service.js';
import { caseLinkLookup, contactsJobsService } from './modules/contacts/contacts-jobs.service.js';
import { retentionRepository } from './modules/retention/retention.repository.js';
import { redisRunLock, retentionService } from './modules/retention/retention.service.js';
import { followUpScheduler } from './modules/contacts/contacts.jobs.js';
import { usersRepository } from './modules/users/users.repository.js';
import { usersService } from './modules/users/users.service.js';
import { directoryRepository } from './modules/directory/directory.repository.js';
import { directoryService } from './modules/directory/directory.service.js';
import { dispatchRepository } from './modules/dispatch/dispatch.repository.js';
import { dispatchService } from './modules/dispatch/dispatch.service.js';
import { linkSigner } from './modules/dispatch/links.js';
import { outboxRelay } from './modules/dispatch/outbox.js';
import { telephonySmsGateway } from './modules/dispatch/sms-gateway.js';
import { casesFeature } from './modules/cases/cases.feature.js';
import { privacyFeature } from './modules/privacy/privacy.feature.js';
import { dataRequestsRepository } from './modules/data-requests/data-requests.repository.js';
import { dataRequestsService } from './modules/data-requests/data-requests.service.js';
import { callersRepository } from './modules/callers/callers.repository.js';
import { callersService } from './modules/callers/callers.service.js';

export interface Infra {
  config: Config;
  db: Database;
  /** Fail-fast connection for commands (no offline queue). */
  redis: Redis;
  queues: Queues;
  io: Io;
  /** Tells other processes that rows they keep copies of have changed. */
  invalidation: Invalidation;
  log: Logger;
}

export function createServices(infra: Infra) {
  const { config, db, redis, io, log } = infra;
  const events = new DomainEvents((err, event) => log.error({ err, event }, 'domain event listener failed'));
  const phones = phoneCrypto(config.appSecret);
  const prisma = db.prisma;
  const transaction = transactor(prisma);
  const audit = auditService(auditRepository(prisma));
  const contactsRepo = contactsRepository(prisma);
  const openCases = caseLinkLookup(prisma);
  const privacy = privacyFeature({ db: prisma, audit, transaction });
  const callers = callersService({ repo: callersRepository(prisma), phones, audit, transaction, io });

  const endSessions = {
    endSessionsOf(userId: string, reason: 'deactivated' | 'signed-out') {
      io.to(rooms.user(userId)).emit('session:ended', { reason });
      io.in(rooms.user(userId)).disconnectSockets(true);
    },
    endSession(sessionId: string, reason: 'signed-out' | 'expired' = 'signed-out') {
      io.to(sessionRoom(sessionId)).emit('session:ended', { reason });
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
  };

  const telephony = telephonyService({
    calls: callsRepository(prisma),
    sms: smsRepository(prisma),
    transaction,
    audit,
    events,
    phones,
    io,
    callers,
    queues: infra.queues,
    redis,
    invalidation: infra.invalidation,
    log,
    gateway: twilioGateway(config, { log, simMessages: redisMessageLog(redis, config.redisPrefix) }),
    twiml: twimlBuilder(config.publicUrl, config.telephony.holdMusicUrl),
    config: config.telephony,
  });

  const directoryRepo = directoryRepository(prisma);
  const dispatchRepo = dispatchRepository(prisma);
  const outbox = outboxRelay({ repo: dispatchRepo, transaction, queues: infra.queues, log });

  const services = {
    infra,
    events,
    phones,
    transaction,
    audit,
    sessions: endSessions,
    auth: authService({
      repo: authRepository(prisma),
      audit,
      throttle: loginThrottle(redis, config.redisPrefix, config.login.maxFailures, config.login.lockMs),
      transaction,
      sessionTtlMs: config.session.ttlMs,
      idleMs: config.session.idleMs,
      setupTokenTtlMs: config.setupTokenTtlMs,
      totp: totpCodec(config.appSecret, 'Trust line'),
      pending: pendingStore(redis, config.redisPrefix),
      totpRequiredRoles: config.totpRequiredRoles,
      sessions: endSessions,
    }),
    users: usersService({ repo: usersRepository(prisma), audit, transaction, sessions: endSessions }),
    presence: presenceService({ redis, io, prefix: config.redisPrefix }),
    directory: directoryService({ repo: directoryRepo, audit, transaction, phones }),
    outbox,
    dispatch: dispatchService({
      repo: dispatchRepo,
      directory: directoryRepo,
      transaction,
      audit,
      phones,
      relay: outbox,
      io,
      events,
      sms: telephonySmsGateway(telephony.sms),
      log,
      links: linkSigner(config.appSecret),
      settings: { ...config.dispatch, timeZone: config.timezone, publicUrl: config.publicUrl },
    }),
    cases: casesFeature({ db: prisma, audit, transaction, events, phones, io, queues: infra.queues, timeZone: config.timezone, consents: privacy.ledger }),
    contacts: contactsService({
      repo: contactsRepo,
      audit,
      transaction,
      events,
      phones,
      io,
      openCases,
      followUps: followUpScheduler(infra.queues.contacts, config.contacts.followUpOverdueMs),
      consents: privacy.ledger,
      callers,
    }),
    privacy,
    dataRequests: dataRequestsService({
      repo: dataRequestsRepository(prisma),
      audit,
      transaction,
      phones,
      appSecret: config.appSecret,
      timeZone: config.timezone,
    }),
    /** Callers by label and history, and the break-glass reveal of a number. */
    callers,
    contactsSearch: contactsSearch(prisma, { cipher: infra.db.cipher, audit }),
    contactsConfig: contactsConfigService({ db: prisma, transaction, audit }),
    contactsJobs: contactsJobsService({ db: prisma }),
    /** Retention of every kind of personal data, and the destruction records (modules/retention/). */
    retention: retentionService({
      repo: retentionRepository(prisma),
      transaction,
      audit,
      lock: redisRunLock(redis, `${config.redisPrefix}:retention:lock`),
      periods: config.retention,
    }),
    telephony,
    /** The seam for texting anyone: sms.sendToNumber(...), sms.interceptInbound(...). */
    sms: telephony.sms,
    live: liveService({
      store: liveStore(redis, config.redisPrefix),
      repo: liveRepository(prisma),
      io,
      log,
      settings: { timezone: config.timezone, ...config.wallboard },
    }),
    reports: reportsService({ repo: reportsRepository(prisma), audit, timezone: config.timezone, serviceLevelMs: config.wallboard.serviceLevelMs }),
  };
  privacy.connectIdentities(services.contacts);
  // Cross-feature reactions (domain-events.ts) are wired once every service exists.
  for (const wire of eventWiring) wire(services);
  return services;
}
export type Services = ReturnType<typeof createServices>;
