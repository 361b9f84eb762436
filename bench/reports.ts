// Report generation benchmark: the whole report (contacts, calls, dispatches, cases) through the
// real reports service over a year of data, against the database in DATABASE_URL seeded with
//   npm run seed:contacts -- --count 1000000 --days 365
// `--seed` first adds a year of calls, dispatches and cases with generate_series (once).
//   DATABASE_URL=postgresql://… npx tsx bench/reports.ts [--seed] [--runs 5]
import { parseArgs } from 'node:util';
import type { ReportQuery } from '@trustline/shared';
import { loadConfigOrExit } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/database.js';
import { systemActor } from '../server/src/modules/audit/audit.service.js';
import { auditRepository } from '../server/src/modules/audit/audit.repository.js';
import { auditService } from '../server/src/modules/audit/audit.service.js';
import { reportsRepository } from '../server/src/modules/reports/reports.repository.js';
import { reportsService } from '../server/src/modules/reports/reports.service.js';

const { values } = parseArgs({ options: { seed: { type: 'boolean', default: false }, runs: { type: 'string', default: '5' } } });
const config = loadConfigOrExit();
const db = await openDatabase(config.database);
const p = db.prisma;

if (values.seed) {
  // ~800 calls a day, 60 dispatches a day, 15 cases a week, over the last 365 days.
  await p.$executeRawUnsafe(`
    INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "receivedAt", "queuedAt", "answeredAt", "endedAt", abandoned,
                        "waitMs", "updatedAt")
    SELECT gen_random_uuid(), 'CAbench' || g, 'h' || (g % 50000), 's', 'ended', t, t,
           CASE WHEN g % 9 = 0 THEN NULL ELSE t + make_interval(secs => (g * 7) % 90) END,
           t + make_interval(secs => 300 + (g % 600)), g % 9 = 0, ((g * 7) % 90) * 1000, now()
      FROM generate_series(1, 292000) g, LATERAL (SELECT now() - make_interval(secs => (g * 108) % 31536000) AS t) x
    ON CONFLICT DO NOTHING`);
  await p.$executeRawUnsafe(`
    INSERT INTO "Dispatch" (id, kind, district, urgency, state, "closeReason", "createdAt", "acceptedAt", "deliveredAt", "updatedAt")
    SELECT gen_random_uuid(), (ARRAY['food','clothing','accommodation','legal','psychological','other'])[1 + g % 6]::"UrgentKind",
           (ARRAY['Кировский','Ленинский','Зоркальцево','Корнилово'])[1 + g % 4], 'now',
           (CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END)::"DispatchState",
           CASE WHEN g % 10 = 0 THEN (ARRAY['no_provider','recipient_unreachable'])[1 + g % 2] END,
           t, t + make_interval(secs => 300 + g % 3000), CASE WHEN g % 10 = 0 THEN NULL ELSE t + make_interval(secs => 3600 + g % 20000) END, now()
      FROM generate_series(1, 21900) g, LATERAL (SELECT now() - make_interval(secs => (g * 1440) % 31536000) AS t) x`);
  await p.$executeRawUnsafe(`
    INSERT INTO "Case" (id, origin, "subjectKind", "subjectName", "consentAt", stage, "openedAt", "closedAt", "closeReason", "updatedAt")
    SELECT gen_random_uuid(), 'contact', (CASE WHEN g % 3 = 0 THEN 'person' ELSE 'family' END)::"CaseSubjectKind", 'Семья ' || g, now(),
           (CASE WHEN g % 2 = 0 THEN 'closed' ELSE 'monitoring' END)::"CaseStage", t,
           CASE WHEN g % 2 = 0 THEN t + interval '60 days' END,
           CASE WHEN g % 2 = 0 THEN (ARRAY['situation_improved','moved_away','other'])[1 + g % 3]::"CaseCloseReason" END, now()
      FROM generate_series(1, 780) g, LATERAL (SELECT now() - make_interval(days => g % 365) AS t) x`);
  await p.$executeRawUnsafe(`
    INSERT INTO "CaseMember" (id, "caseId", name, relation, "isChild", age)
    SELECT gen_random_uuid(), c.id, 'Ребёнок', 'child', true, 1 + n FROM "Case" c, generate_series(1, 2) n WHERE c."subjectName" LIKE 'Семья %'`);
  await p.$executeRawUnsafe('ANALYZE');
}

const audit = auditService(auditRepository(p));
const reports = reportsService({ repo: reportsRepository(p), audit, timezone: config.timezone, serviceLevelMs: 20_000 });
const day = (d: Date) => d.toISOString().slice(0, 10);
const now = new Date();
const yearAgo = new Date(now.getTime() - 364 * 86_400_000);
const area = await p.area.findFirst({ select: { id: true } });
const counts = await p.$queryRawUnsafe<{ contacts: number; calls: number; dispatches: number; cases: number }[]>(
  `SELECT (SELECT count(*) FROM "Contact")::int AS contacts, (SELECT count(*) FROM "Call")::int AS calls,
          (SELECT count(*) FROM "Dispatch")::int AS dispatches, (SELECT count(*) FROM "Case")::int AS cases`,
);
const shapes: { name: string; q: ReportQuery }[] = [
  { name: 'a year, no filter', q: { from: day(yearAgo), to: day(now) } },
  { name: 'a year, risk R3 + one district', q: { from: day(yearAgo), to: day(now), risk: 'R3', ...(area ? { areaId: area.id } : {}) } },
  { name: 'a month, no filter', q: { from: day(new Date(now.getTime() - 30 * 86_400_000)), to: day(now) } },
];
const runs = Number(values.runs);
console.log(`rows: ${JSON.stringify(counts[0])}; runs per shape: ${runs}; database: ${db.kind}`);
console.log('| report | first ms | median ms | max ms |\n|---|---|---|---|');
for (const s of shapes) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await reports.report(s.q, systemActor('bench'));
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| ${s.name} | ${times[0]!.toFixed(0)} | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} | ${sorted.at(-1)!.toFixed(0)} |`);
}
await db.close();
