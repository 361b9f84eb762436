// npm run seed:contacts -- --count 1000000 [--operators 20] [--days 730]
//
// Fills the database named by DATABASE_URL (or the embedded one) with synthetic contacts for the
// search benchmark (bench/contacts-search.ts). One INSERT … SELECT over generate_series per batch,
// so a million rows take a minute or two on PostgreSQL, not hours. Synthetic notes in Russian and
// English from a small phrase list; no real personal data. Runs migrations and seeders first.
// Notes are stored as encryption at rest stores them (server/src/db/encryption.ts): each phrase is
// sealed once in JS and its word hashes computed once, and every row of that phrase gets the same
// ciphertext and hashes (real rows each have their own IV; the search cost is the same). One in ten
// contacts gets an identity with a synthetic name, sealed, and its blind index.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { openDatabaseOrExit } from './open-database.js';
import { applyMigrations } from '../db/migrate.js';
import { runSeeders } from '../db/seeders.js';
import { seeders } from '../modules/registry.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    operators: { type: 'string', default: '20' },
    days: { type: 'string', default: '730' },
    batch: { type: 'string', default: '50000' },
  },
});
const count = Number(values.count);
const days = Number(values.days);
const batch = Number(values.batch);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write('--count must be a positive integer\n');
  process.exit(2);
}

const PHRASES = [
  'Мальчик жалуется на травлю в школе, боится идти на уроки',
  'Мама спрашивает о пособиях на детей и документах',
  'Подросток говорит о тревоге и одиночестве',
  'Конфликт с родителями, девочка ушла из дома',
  'Соседи сообщили, что дети остались одни без еды',
  'Mother asked about housing benefits for her children',
  'Teenager reports bullying at school and feels anxious',
  'Father needs food parcel and clothing for three children',
  'Caller worried about a friend who talks about self-harm',
  'Referral from school: child often hungry, possible neglect',
];

const config = loadConfigOrExit();
const db = await openDatabaseOrExit(config.database, config.keys);
const cipher = db.cipher!;
await applyMigrations(db.adapterFactory);
await runSeeders(db.prisma, seeders);
const p = db.prisma;
const started = Date.now();

// Operators: synthetic accounts that cannot sign in (the password hash is not a hash).
await p.$executeRawUnsafe(`
  INSERT INTO "User"(id, username, "displayName", "passwordHash", roles, "updatedAt")
  SELECT gen_random_uuid(), 'bench-op-' || g, 'Bench operator ' || g, '!', ARRAY['operator']::"Role"[], now()
  FROM generate_series(1, ${Number(values.operators)}) g
  ON CONFLICT (username) DO NOTHING`);

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;
const phrases = arr(PHRASES.map((s) => cipher.encrypt(s)));
// Word hashes per phrase as JSON (arrays of different lengths), picked per row.
const tokens = lit(JSON.stringify(PHRASES.map((s) => cipher.tokens(s))));
const ACTIONS = 'выслушали, дали информацию';
const FIRST = [
  'Анна',
  'Мария',
  'Иван',
  'Пётр',
  'Ольга',
  'Елена',
  'Сергей',
  'Дмитрий',
  'Наталья',
  'Алексей',
  'Татьяна',
  'Юлия',
  'Олег',
  'Ирина',
  'Павел',
  'Светлана',
  'Андрей',
  'Галина',
  'Николай',
  'Вера',
];
const LAST = [
  'Иванова',
  'Петрова',
  'Сидорова',
  'Кузнецова',
  'Смирнова',
  'Попова',
  'Васильева',
  'Соколова',
  'Михайлова',
  'Новикова',
  'Фёдорова',
  'Морозова',
  'Волкова',
  'Алексеева',
  'Лебедева',
  'Семёнова',
  'Егорова',
  'Павлова',
  'Козлова',
  'Степанова',
  'Николаева',
  'Орлова',
  'Андреева',
  'Макарова',
  'Никитина',
];
/** 500 synthetic names (first × last), for the name search; exported to the benchmark by index. */
const NAMES = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));
const names = arr(NAMES.map((n) => cipher.encrypt(n)));
const nameIdx = arr(NAMES.map((n) => cipher.nameIndex(n)!));
for (let done = 0; done < count; done += batch) {
  const n = Math.min(batch, count - done);
  await p.$executeRawUnsafe(`
    WITH ops AS (SELECT array_agg(id) a FROM "User" WHERE username LIKE 'bench-op-%'),
         areas AS (SELECT array_agg(id) a FROM "Area"),
         src AS (SELECT g, random() r1, random() r2, random() r3 FROM generate_series(1, ${n}) g)
    INSERT INTO "Contact"(id, channel, "operatorId", status, version, "ageGroup", "callerRole", "areaId", summary, "summaryTokens",
                          "actionsTaken", "actionsTokens", identified, outcome, "computedRisk", "riskLevel", "hasMinor", "createdAt", "updatedAt",
                          "finalisedAt", "followUpAt", "phoneHash")
    SELECT gen_random_uuid(),
           (ARRAY['voice','voice','voice','sms','sms','walk-in','referral'])[1 + (g % 7)],
           (ops.a)[1 + (g % cardinality(ops.a))],
           'finalised', 2,
           (ARRAY['0-9','10-13','14-17','18-29','30-59','60+'])[1 + (g % 6)],
           (ARRAY['child','parent','relative','professional','other'])[1 + (g % 5)],
           (areas.a)[1 + (g % cardinality(areas.a))],
           (${phrases})[1 + floor(r1 * ${PHRASES.length})::int],
           ARRAY(SELECT jsonb_array_elements_text((${tokens})::jsonb -> floor(r1 * ${PHRASES.length})::int)),
           ${lit(cipher.encrypt(ACTIONS))},
           ${arr(cipher.tokens(ACTIONS))},
           (g % 10 = 0),
           (ARRAY['information-given','referred','urgent-help-dispatched','escalated-to-case','emergency-services-called','follow-up-planned'])[1 + (g % 6)],
           (ARRAY['R0','R0','R0','R1','R1','R2','R3','R4'])[1 + floor(r2 * 8)::int]::"RiskLevel",
           (ARRAY['R0','R0','R0','R1','R1','R2','R3','R4'])[1 + floor(r2 * 8)::int]::"RiskLevel",
           (g % 3 = 0),
           now() - (r3 * ${days}) * interval '1 day',
           now(), now(),
           CASE WHEN g % 10 = 0 THEN now() + ((g % 20) - 10) * interval '1 day' END,
           md5('caller' || (g % 200000))
    FROM src, ops, areas`);
  process.stdout.write(`\r${done + n} / ${count} contacts`);
}
process.stdout.write('\nidentities…\n');
await p.$executeRawUnsafe(`
  INSERT INTO "ContactIdentity"("contactId", "consentAt", name, "nameIndex", "updatedAt")
  SELECT c.id, c."createdAt", (${names})[1 + k], (${nameIdx})[1 + k], now()
  FROM (SELECT id, "createdAt", abs(hashtext(id::text)) % ${NAMES.length} AS k FROM "Contact"
        WHERE identified AND "operatorId" IN (SELECT id FROM "User" WHERE username LIKE 'bench-op-%')) c
  ON CONFLICT DO NOTHING`);
process.stdout.write('\nlinking categories…\n');
// One or two leaf categories per synthetic contact.
await p.$executeRawUnsafe(`
  WITH leaves AS (SELECT array_agg(id ORDER BY code) a FROM "Category" WHERE "parentId" IS NOT NULL)
  INSERT INTO "ContactCategory"("contactId", "categoryId")
  SELECT c.id, (leaves.a)[1 + (abs(hashtext(c.id::text)) % cardinality(leaves.a))] FROM "Contact" c, leaves
  WHERE c."operatorId" IN (SELECT id FROM "User" WHERE username LIKE 'bench-op-%') AND NOT EXISTS (SELECT 1 FROM "ContactCategory" x WHERE x."contactId" = c.id)
  ON CONFLICT DO NOTHING`);
await p.$executeRawUnsafe(`ANALYZE "Contact"; `);
await p.$executeRawUnsafe(`ANALYZE "ContactCategory"`);
await p.$executeRawUnsafe(`ANALYZE "ContactIdentity"`);
process.stdout.write(`seeded ${count} contacts in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
await db.close();
