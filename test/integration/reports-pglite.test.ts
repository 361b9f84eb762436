// The report SQL (FILTER, percentile_cont, AT TIME ZONE, to_regclass) on embedded PGlite, the
// default database: the same answers as on PostgreSQL for a small known data set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.js';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { reportsRepository } from '../../server/src/modules/reports/reports.repository.js';
import { reportsService } from '../../server/src/modules/reports/reports.service.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';

describe('reports on embedded PGlite', () => {
  it('computes contacts, calls with percentiles, dispatches and cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-pglite-reports-'));
    const db = await openDatabase({ kind: 'pglite', dir });
    try {
      await applyMigrations(db.adapterFactory);
      const p = db.prisma;
      await p.$executeRawUnsafe(`INSERT INTO "Contact" (id, channel, "riskLevel", "phoneHash", "createdAt", "updatedAt") VALUES
        (gen_random_uuid(), 'voice', 'R4', 'p1', '2026-03-02T07:15:00Z', now()),
        (gen_random_uuid(), 'sms', 'R1', 'p1', '2026-03-03T20:30:00Z', now()),
        (gen_random_uuid(), 'voice', 'R0', NULL, '2026-03-31T21:10:00Z', now())`);
      for (const [w, answered] of [
        [5, true],
        [10, true],
        [30, true],
        [60, true],
        [40, false],
      ] as const) {
        await p.$executeRawUnsafe(
          `INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "queuedAt", "answeredAt", "endedAt", abandoned, "waitMs", "updatedAt")
           VALUES (gen_random_uuid(), gen_random_uuid()::text, 'h', 's', 'ended', '2026-03-12T08:00:00Z', $1::timestamptz,
                   '2026-03-12T08:10:00Z', $2, $3, now())`,
          answered ? new Date(Date.parse('2026-03-12T08:00:00Z') + w * 1000) : null,
          !answered,
          w * 1000,
        );
      }
      await p.$executeRawUnsafe(`INSERT INTO "Dispatch" (id, kind, district, urgency, state, "createdAt", "acceptedAt", "deliveredAt", "updatedAt")
        VALUES (gen_random_uuid(), 'food', 'Кировский', 'now', 'delivered', '2026-03-10T09:00:00Z', '2026-03-10T09:10:00Z', '2026-03-10T10:00:00Z', now())`);
      await p.$executeRawUnsafe(`INSERT INTO "Case" (id, origin, "subjectKind", "subjectName", "consentAt", stage, "openedAt", "closedAt", "closeReason",
                                  "updatedAt")
        VALUES (gen_random_uuid(), 'contact', 'family', 'Иванова', now(), 'closed', '2026-03-01T10:00:00Z', '2026-03-20T10:00:00Z',
                'situation_improved', now())`);
      const reports = reportsService({
        repo: reportsRepository(p),
        audit: { record: async () => ({}) } as never,
        timezone: 'Europe/Moscow',
        serviceLevelMs: 20_000,
      });
      const r = await reports.report({ from: '2026-03-01', to: '2026-03-31' }, systemActor('test'));
      expect(r.missing).toEqual([]);
      expect(r.contacts).toMatchObject({ total: 2, repeat: { withNumber: 2, repeat: 1 } });
      expect(r.contacts!.byHour[10]).toBe(1);
      expect(r.contacts!.byHour[23]).toBe(1);
      expect(r.calls).toMatchObject({ offered: 5, answered: 4, abandoned: 1, waitP50Seconds: 20, waitP90Seconds: 51 });
      expect(r.calls!.serviceLevel).toBeCloseTo(2 / 5);
      expect(r.dispatches!.groups[0]).toMatchObject({ kind: 'food', district: 'Кировский', acceptMedianSeconds: 600, deliverMedianSeconds: 3600 });
      expect(r.cases).toMatchObject({ closedInPeriod: 1, shareImproved: 1 });
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
