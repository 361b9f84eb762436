// Contact search benchmark: a typical filtered search through the real search code
// (server/src/modules/contacts/contacts.search.ts) against the database in DATABASE_URL, seeded
// with `npm run seed:contacts -- --count 1000000` (same APP_SECRET: notes are sealed and searched
// through their word hashes). Prints p50/p95/p99 per query shape. Before/after encryption at rest:
// bench/contacts-search-encrypted.ts.
//   DATABASE_URL=postgresql://… npx tsx bench/contacts-search.ts [--runs 200]
import { parseArgs } from 'node:util';
import { ContactSearchQuery } from '@trustline/shared';
import { loadConfigOrExit } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/database.js';
import { contactsSearch } from '../server/src/modules/contacts/contacts.search.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
const config = loadConfigOrExit();
const db = await openDatabase(config.database, config.keys);
const p = db.prisma;
const search = contactsSearch(p);

const total = await p.contact.count();
const op = await p.user.findFirstOrThrow({ where: { username: { startsWith: 'bench-op-' } } });
const cats = await p.category.findMany({ where: { parentId: { not: null } }, select: { id: true } });
const areas = await p.area.findMany({ select: { id: true } });
const supervisor = { userId: '00000000-0000-4000-8000-000000000001', label: 'bench', roles: ['supervisor' as const] };
const operator = { userId: op.id, label: 'bench', roles: ['operator' as const] };
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)]!;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const shapes: { name: string; actor: typeof supervisor | typeof operator; query: () => Record<string, unknown> }[] = [
  { name: 'supervisor: last 30 days, risk >= R3, newest first', actor: supervisor, query: () => ({ from: daysAgo(30), minRisk: 'R3' }) },
  {
    name: 'supervisor: last 90 days, one category, one district',
    actor: supervisor,
    query: () => ({ from: daysAgo(90), categoryId: pick(cats).id, areaId: pick(areas).id }),
  },
  { name: 'supervisor: channel + outcome, last 7 days', actor: supervisor, query: () => ({ from: daysAgo(7), channel: 'sms', outcome: 'referred' }) },
  { name: 'supervisor: full text (ru) last 30 days', actor: supervisor, query: () => ({ from: daysAgo(30), q: pick(['травля', 'пособия', 'одиночество']) }) },
  { name: 'supervisor: full text (en), no date', actor: supervisor, query: () => ({ q: pick(['bullying', 'housing', 'neglect']) }) },
  { name: 'operator: own contacts, full text', actor: operator, query: () => ({ q: pick(['школе', 'benefits']) }) },
  { name: 'supervisor: follow-up due', actor: supervisor, query: () => ({ followUpDue: 'true' }) },
];

const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const lines: string[] = [];
lines.push(`contacts: ${total}; runs per shape: ${runs}; database: ${db.kind}`);
for (const shape of shapes) {
  const times: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const q = ContactSearchQuery.parse(shape.query());
    const t = performance.now();
    await search.search(q, shape.actor);
    if (i >= 10) times.push(performance.now() - t); // first 10 warm the cache and plans
  }
  times.sort((a, b) => a - b);
  lines.push(`| ${shape.name} | ${pct(times, 0.5).toFixed(1)} | ${pct(times, 0.95).toFixed(1)} | ${pct(times, 0.99).toFixed(1)} |`);
}
process.stdout.write(`${lines[0]}\n| query | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|\n${lines.slice(1).join('\n')}\n`);
await db.close();
