// The contacts migration and the search code on embedded PGlite (the default database when
// DATABASE_URL is unset), through encryption at rest: same SQL, same results as on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContactSearchQuery } from '@trustline/shared';
import { openDatabase } from '../../server/src/db/database.js';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { runSeeders } from '../../server/src/db/seeders.js';
import { contactsSearch } from '../../server/src/modules/contacts/contacts.search.js';
import { contactsSeeder } from '../../server/src/modules/contacts/seed.js';
import { TEST_APP_SECRET } from '../helpers/runtime.js';

describe('contacts on embedded PGlite', () => {
  it('migrates, seeds twice without duplicates, and searches notes in Russian and English', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-pglite-contacts-'));
    const db = await openDatabase({ kind: 'pglite', dir }, { appSecret: TEST_APP_SECRET });
    try {
      await applyMigrations(db.adapterFactory);
      await runSeeders(db.prisma, [contactsSeeder]);
      await runSeeders(db.prisma, [contactsSeeder]);
      expect(await db.prisma.area.count()).toBe(13);
      expect(await db.prisma.category.count()).toBe(35);
      const p = db.prisma;
      const a = await p.contact.create({ data: { channel: 'voice', summary: 'Девочка рассказала о травле в классе' } });
      const b = await p.contact.create({ data: { channel: 'walk-in', summary: 'Father asked about disability benefits' } });
      await p.contact.update({ where: { id: b.id }, data: { actionsTaken: 'gave the address of the legal clinic' } });
      const search = contactsSearch(p);
      const sup = { userId: '00000000-0000-4000-8000-000000000001', label: 'test', roles: ['supervisor' as const] };
      const ids = async (q: Record<string, string>) => (await search.search(ContactSearchQuery.parse(q), sup)).items.map((i) => i.id);
      expect(await ids({ q: 'травля' })).toEqual([a.id]);
      expect(await ids({ q: 'benefit' })).toEqual([b.id]);
      expect(await ids({ q: 'clinics' })).toEqual([b.id]);
      expect(await ids({ channel: 'walk-in' })).toEqual([b.id]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
