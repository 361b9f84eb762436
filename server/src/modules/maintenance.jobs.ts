// Housekeeping that every deployment needs: expired sessions and stale presence entries.
import type { QueueHandlers, Schedule } from '../jobs/handlers.js';
import type { Services } from '../services.js';

export const maintenanceHandlers = (services: Services): QueueHandlers<'maintenance'> => ({
  'sessions.purge-expired': async () => ({ purged: (await services.auth.purgeExpiredSessions()).count }),
  'presence.reconcile': async () => ({ dropped: await services.presence.reconcile() }),
});

export const maintenanceSchedules: Schedule<'maintenance'>[] = [
  { queue: 'maintenance', id: 'sessions-purge-expired', name: 'sessions.purge-expired', everyMs: 60 * 60_000 },
  { queue: 'maintenance', id: 'presence-reconcile', name: 'presence.reconcile', everyMs: 5 * 60_000 },
];
