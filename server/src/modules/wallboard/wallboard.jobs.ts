// The wallboard's recurring reconciliation: every few minutes the live figures are recomputed
// from the database and replace the stored ones if they drifted (a lost event, a crash between
// a commit and its after-commit listener). A job scheduler, not a timer: one worker runs it.
import type { QueueHandlers, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';

export const wallboardHandlers = (services: Services): QueueHandlers<'live'> => ({
  'live.reconcile': async () => services.wallboard.reconcile(),
});

export const wallboardSchedules: Schedule<'live'>[] = [{ queue: 'live', id: 'live-reconcile', name: 'live.reconcile', everyMs: 10 * 60_000 }];
