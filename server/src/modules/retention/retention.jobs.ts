// The retention run as a BullMQ job scheduler on its own queue, run by the worker process (and by
// `npm start`, which runs the workers in-process). The payload is empty: the run reads the rows.
import type { QueueHandlers, RetiredSchedule, Schedule } from '../../jobs/handlers.js';
import type { Services } from '../../kernel.js';

export const RETENTION_EVERY_MS = 6 * 3_600_000;

export const retentionHandlers = (services: Services): QueueHandlers<'retention'> => ({
  'retention.run': async () => {
    const out = await services.retention.run();
    // Counts and ids only: what the run did, never whose data.
    return out
      ? { runId: out.runId, records: out.records.map((r) => ({ kind: r.kind, rows: r.rows })), kept: out.kept }
      : { skipped: 'another run holds the lock' };
  },
});

export const retentionSchedules: Schedule<'retention'>[] = [{ queue: 'retention', id: 'retention', name: 'retention.run', everyMs: RETENTION_EVERY_MS }];

/** Schedulers earlier releases upserted that this one no longer runs: removed at worker start. */
export const retentionRetiredSchedules: RetiredSchedule[] = [{ queue: 'contacts', id: 'contacts-retention' }];
