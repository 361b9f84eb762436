// What encryption at rest costs contact search, side by side in one run on the same rows:
//  before — the plain way (notes searched through a tsvector of their words, names compared in
//           clear): the old SQL of contacts.search.ts, on bench-only columns "benchVector" and
//           "benchName" that this script adds and fills in the bench database only;
//  after  — the real search code (contactsSearch.search) through the keyed word hashes
//           ("summaryTokens" …, GIN) and the names' blind index ("nameIndex"), opening excerpts.
// Seed first (notes sealed and hashed as the application does; one contact in ten identified):
//   createdb tlbench && DATABASE_URL=postgresql://…/tlbench APP_SECRET=… npm run seed:contacts -- --count 1000000
//   DATABASE_URL=postgresql://…/tlbench APP_SECRET=… npx tsx bench/contacts-search-encrypted.ts [--runs 200]
import { parseArgs } from 'node:util';
import { ContactSearchQuery } from '@trustline/shared';
import { loadConfigOrExit } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/database.js';
import { Prisma } from '../server/src/generated/prisma/client.js';
import { contactsSearch } from '../server/src/modules/contacts/contacts.search.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
const config = loadConfigOrExit();
const db = await openDatabase(config.database, config.keys);
const p = db.prisma;
const cipher = db.cipher!;
const search = contactsSearch(p);

// ── The "before" columns, filled from the plaintext behind each (shared) ciphertext ──────────
const t0 = Date.now();
await db.raw.$executeRawUnsafe(`ALTER TABLE "Contact" ADD COLUMN IF NOT EXISTS "benchVector" tsvector`);
await db.raw.$executeRawUnsafe(`ALTER TABLE "ContactIdentity" ADD COLUMN IF NOT EXISTS "benchName" text`);
const sealedNotes = await db.raw.$queryRawUnsafe<{ summary: string }[]>(`SELECT DISTINCT summary FROM "Contact" WHERE "benchVector" IS NULL LIMIT 100`);
for (const { summary } of sealedNotes) {
  const text = cipher.decrypt(summary);
  await db.raw.$executeRaw`UPDATE "Contact" SET "benchVector" = to_tsvector('russian', ${text}) || to_tsvector('english', ${text})
    WHERE summary = ${summary} AND "benchVector" IS NULL`;
}
const sealedNames = await db.raw.$queryRawUnsafe<{ name: string }[]>(
  `SELECT DISTINCT name FROM "ContactIdentity" WHERE "benchName" IS NULL AND name IS NOT NULL LIMIT 1000`,
);
for (const { name } of sealedNames) {
  await db.raw.$executeRaw`UPDATE "ContactIdentity" SET "benchName" = ${cipher.decrypt(name)} WHERE name = ${name} AND "benchName" IS NULL`;
}
await db.raw.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS "bench_Contact_benchVector" ON "Contact" USING GIN ("benchVector")`);
await db.raw.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS "bench_ContactIdentity_benchName" ON "ContactIdentity" (lower("benchName"))`);
await db.raw.$executeRawUnsafe(`ANALYZE "Contact"`);
await db.raw.$executeRawUnsafe(`ANALYZE "ContactIdentity"`);
const prepared = ((Date.now() - t0) / 1000).toFixed(0);

const total = await p.contact.count();
const identities = await p.contactIdentity.count();
const op = await p.user.findFirstOrThrow({ where: { username: { startsWith: 'bench-op-' } } });
const someNames = (
  await db.raw.$queryRawUnsafe<{ n: string }[]>(`SELECT DISTINCT "benchName" AS n FROM "ContactIdentity" WHERE "benchName" IS NOT NULL LIMIT 50`)
).map((r) => r.n);
const supervisor = { userId: '00000000-0000-4000-8000-000000000001', label: 'bench', roles: ['supervisor' as const] };
const operator = { userId: op.id, label: 'bench', roles: ['operator' as const] };
type Actor = typeof supervisor | typeof operator;
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)]!;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

/** The search as it was before encryption at rest (contacts.search.ts at the commit before), for
 * the filters these shapes use: plain tsvector full text, plain names. */
async function plainSearch(q: ContactSearchQuery & { name?: string }, actor: Actor) {
  const where: Prisma.Sql[] = [];
  const mine = Prisma.sql`(c."operatorId" = ${actor.userId}::uuid OR c."followUpAssigneeId" = ${actor.userId}::uuid)`;
  if (q.from) where.push(Prisma.sql`c."createdAt" >= ${new Date(q.from)}`);
  if (q.q) where.push(Prisma.sql`c."benchVector" @@ (websearch_to_tsquery('russian', ${q.q}) || websearch_to_tsquery('english', ${q.q}))`);
  if (q.name) where.push(Prisma.sql`c.id IN (SELECT ci."contactId" FROM "ContactIdentity" ci WHERE lower(ci."benchName") = lower(${q.name}))`);
  if (actor.roles[0] === 'operator') where.push(mine);
  const cond = where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;
  return db.raw.$queryRaw`
    SELECT c.id, c."createdAt", c.channel::text AS channel, c.status::text AS status, c."riskLevel"::text AS "riskLevel",
           c.outcome, c."operatorId", c."areaId", c."followUpAt", c."hasMinor", left(c.summary, 200) AS excerpt,
           ARRAY(SELECT cc."categoryId"::text FROM "ContactCategory" cc WHERE cc."contactId" = c.id) AS "categoryIds"
    FROM "Contact" c ${cond}
    ORDER BY c."createdAt" DESC, c.id DESC
    LIMIT ${q.pageSize + 1} OFFSET 0`;
}

const shapes: { name: string; actor: Actor; query: () => Record<string, unknown> }[] = [
  { name: 'supervisor: notes (ru), last 30 days', actor: supervisor, query: () => ({ from: daysAgo(30), q: pick(['травля', 'пособия', 'одиночество']) }) },
  { name: 'supervisor: notes (en), no date', actor: supervisor, query: () => ({ q: pick(['bullying', 'housing', 'neglect']) }) },
  { name: 'supervisor: notes, two words', actor: supervisor, query: () => ({ q: pick(['травля школе', 'food parcel', 'housing benefits']) }) },
  { name: 'operator: own contacts, notes', actor: operator, query: () => ({ q: pick(['школе', 'benefits']) }) },
  { name: 'supervisor: exact name', actor: supervisor, query: () => ({ name: pick(someNames) }) },
];

const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
/** Both sides in alternation, one call each per round, so that the machine's load (shared, and
 * rarely idle) falls on both alike. The first 10 rounds warm the cache and plans. */
async function measure(a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    for (const [fn, out] of (i % 2
      ? [
          [b, tb],
          [a, ta],
        ]
      : [
          [a, ta],
          [b, tb],
        ]) as [() => Promise<unknown>, number[]][]) {
      const t = performance.now();
      await fn();
      if (i >= 10) out.push(performance.now() - t);
    }
  }
  return [ta.sort((x, y) => x - y), tb.sort((x, y) => x - y)] as const;
}
const fmt = (t: number[]) => `${pct(t, 0.5).toFixed(1)} / ${pct(t, 0.95).toFixed(1)} / ${pct(t, 0.99).toFixed(1)}`;

const lines = [
  `contacts: ${total}; identified: ${identities}; runs per shape and side: ${runs}; database: ${db.kind}; before-columns prepared in ${prepared} s`,
  '| query | before: plain (p50 / p95 / p99 ms) | after: encrypted, blind index (p50 / p95 / p99 ms) | rows (before / after) |',
  '|---|---|---|---|',
];
for (const shape of shapes) {
  const q0 = ContactSearchQuery.parse(shape.query()) as ContactSearchQuery & { name?: string };
  if ('name' in shape.query()) q0.name = shape.query().name as string;
  const rows = [((await plainSearch(q0, shape.actor)) as unknown[]).length, (await search.search(q0, shape.actor)).items.length];
  const next = () => {
    const raw = shape.query();
    const q = ContactSearchQuery.parse(raw) as ContactSearchQuery & { name?: string };
    if (raw.name) q.name = raw.name as string;
    return q;
  };
  const [before, after] = await measure(
    () => plainSearch(next(), shape.actor),
    () => search.search(next(), shape.actor),
  );
  lines.push(`| ${shape.name} | ${fmt(before)} | ${fmt(after)} | ${rows[0]! > 25 ? '26' : rows[0]} / ${rows[1]} |`);
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
process.stdout.write(`${lines.join('\n')}\n`);
await db.close();
