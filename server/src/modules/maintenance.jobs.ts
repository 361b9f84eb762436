// Housekeeping that every deployment needs: expired and idle sessions, stale presence entries, and jobs
// that failed for a cause that has since gone.
import type { QueueHandlers, Schedule } from '../jobs/handlers.js';
import { reviveFailedJobs } from '../jobs/revive.js';
import type { Services } from '../services.js';

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

export const maintenanceSchedules: Schedule<'maintenance'>[] = [
  { queue: 'maintenance', id: 'sessions-purge-expired', name: 'sessions.purge-expired', everyMs: 60 * 60_000 },
  { queue: 'maintenance', id: 'sessions-end-idle', name: 'sessions.end-idle', everyMs: 60_000 },
  { queue: 'maintenance', id: 'presence-reconcile', name: 'presence.reconcile', everyMs: 5 * 60_000 },
  { queue: 'maintenance', id: 'jobs-revive-failed', name: 'jobs.revive-failed', everyMs: 60_000 },
];
