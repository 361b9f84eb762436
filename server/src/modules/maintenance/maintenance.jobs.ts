// Housekeeping that every deployment needs: expired and idle sessions, stale presence entries, jobs
// that failed for a cause that has since gone, and the outbox's sweep and purge.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import { reviveFailedJobs } from '../../jobs/revive.js';
import type { Services } from '../../kernel.js';

export const maintenanceHandlers = (services: Services): QueueHandlers<'maintenance'> => ({
  'sessions.purge-expired': async () => ({ purged: (await services.auth.purgeExpiredSessions()).count }),
  'sessions.end-idle': async () => ({ ended: await services.auth.endIdleSessions() }),
  'presence.reconcile': async () => ({ dropped: await services.presence.reconcile() }),
  'jobs.revive-failed': async () => {
    const { db, queues, redis, log, config } = services.infra;
    // Reviving while the database is still away would only spend a revival.
    await db.prisma.$queryRaw`SELECT 1`;
    return reviveFailedJobs({ queues, redis, prefix: config.redisPrefix, log });
  },
});

export const outboxHandlers = (services: Services): QueueHandlers<'outbox'> => ({
  'outbox.sweep': async () => ({ relayed: await services.outbox.drain() }),
  'outbox.purge': async () => ({ purged: (await services.outbox.purge()).count }),
});

export const maintenanceSchedules: Schedule<'maintenance'>[] = [
  { queue: 'maintenance', id: 'sessions-purge-expired', name: 'sessions.purge-expired', everyMs: 60 * 60_000 },
  { queue: 'maintenance', id: 'sessions-end-idle', name: 'sessions.end-idle', everyMs: 60_000 },
  { queue: 'maintenance', id: 'presence-reconcile', name: 'presence.reconcile', everyMs: 5 * 60_000 },
  { queue: 'maintenance', id: 'jobs-revive-failed', name: 'jobs.revive-failed', everyMs: 60_000 },
];

export const outboxSchedules: Schedule<'outbox'>[] = [
  // Rows a crash or a Redis outage left in the outbox go out within two seconds of Redis answering.
  { queue: 'outbox', id: 'outbox-sweep', name: 'outbox.sweep', everyMs: 2_000 },
  { queue: 'outbox', id: 'outbox-purge', name: 'outbox.purge', everyMs: 6 * 3600_000 },
];
