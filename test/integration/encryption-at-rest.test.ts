// Encryption at rest (issue 13): personal data written through the real API — a contact's identity,
// family members and notes, a case's subject, members and notes, an SMS body, a dispatch's
// recipient — is nowhere in clear in a pg_dump of the database, reads through the API still show
// it, names are found by their blind index and notes by the keyed hashes of their stemmed words
// (with the excerpts shown audited), and a key rotation re-seals everything with reads still working.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine, until } from '../helpers/telephony.js';
import { openDatabase } from '../../server/src/db/database.js';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { rotateKeys, staleRows } from '../../server/src/db/rotate.js';
import { CIPHER_PREFIX } from '../../server/src/crypto/fields.js';

let server: TestServer;
let op: { client: Client; user: { id: string } };
let sup: Client;
let curator: Client;
let coordinator: Client;
let curatorId: string;
const prisma = () => server.services.infra.db.prisma;

// The strings that must not appear in clear anywhere in the database.
const SECRET = {
  callerName: 'Зинаида Куропаткина',
  callerAddress: 'ул. Сиреневая, 17, кв. 4',
  childName: 'Тимофей Куропаткин',
  summary: 'Бабушка говорит, что внук голодает уже третий день',
  actions: 'Договорились о продуктовом наборе через Мирошниченко',
  caseSubject: 'Семья Вересаевых',
  caseAddress: 'пер. Тополиный, 9',
  caseMember: 'Аглая Вересаева',
  caseNote: 'Холодильник пустой, мать на смене у Шестопалова',
  smsBody: 'Помогите, отчим снова пьёт и кричит на Ксюшу',
  recipientName: 'Евдокия Прохорова',
  recipientAddress: 'ул. Каштановая, 33',
  providerNote: 'Звонить в домофон Прохоровым дважды',
};
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
  op = await signedIn(server.url, server.services, ['operator']);
  sup = (await signedIn(server.url, server.services, ['supervisor'])).client;
  const cur = await signedIn(server.url, server.services, ['curator']);
  curator = cur.client;
  curatorId = cur.user.id;
  coordinator = (await signedIn(server.url, server.services, ['coordinator'])).client;

  const c = await op.client.post('/api/contacts', { channel: 'walk-in' });
  expect(c.status).toBe(201);
  ids.contact = c.body.id;
  const saved = await op.client.patch(`/api/contacts/${ids.contact}`, {
    version: c.body.version,
    summary: SECRET.summary,
    actionsTaken: SECRET.actions,
    identity: {
      consent: true,
      name: SECRET.callerName,
      age: 67,
      address: SECRET.callerAddress,
      people: [{ relation: 'relative', name: SECRET.childName, age: 9 }],
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);

  const kase = await op.client.post('/api/cases', {
    contactIds: [ids.contact],
    subject: {
      kind: 'family',
      name: SECRET.caseSubject,
      address: SECRET.caseAddress,
      district: 'Кировский',
      members: [{ name: SECRET.caseMember, relation: 'mother', isChild: false, age: 31 }],
    },
    consent: { given: true },
  });
  expect(kase.status, JSON.stringify(kase.body)).toBe(201);
  ids.case = kase.body.id;
  expect((await curator.post(`/api/cases/${ids.case}/curator`, { curatorId })).status).toBe(200);
  const note = await curator.post(`/api/cases/${ids.case}/notes`, { kind: 'note', text: SECRET.caseNote });
  expect(note.status, JSON.stringify(note.body)).toBe(200);

  await callerFor(server).sendSms({ from: '+79261112233', to: LINE_NUMBER, body: SECRET.smsBody });
  await until(async () => (await prisma().message.count({ where: { direction: 'inbound' } })) > 0, 10_000);

  const d = await coordinator.post('/api/dispatches', {
    referral: 'school No. 5',
    kind: 'food',
    district: 'Кировский район',
    urgency: 'today',
    quantity: 1,
    recipientName: SECRET.recipientName,
    address: SECRET.recipientAddress,
    providerNote: SECRET.providerNote,
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  ids.dispatch = d.body.id;
}, 90_000);
afterAll(async () => {
  await server?.close();
});

/** Everything the database holds, as a backup would: a plain-text pg_dump. */
function dump(): string {
  const url = (server.config.database as { url: string }).url;
  return execFileSync('pg_dump', ['--no-owner', '--data-only', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}
/** Distinctive words too, so that a tsvector or a copied fragment cannot hide behind the whole. */
const needles = () => [...Object.values(SECRET), 'Куропаткин', 'Вересаев', 'Мирошниченко', 'Шестопалов', 'Прохоров', 'голода', 'Ксюш', 'Сиреневая'];

describe('encryption at rest', () => {
  it('a pg_dump shows none of the names, addresses, notes or message bodies in clear', async () => {
    const text = dump();
    expect(text).toContain(CIPHER_PREFIX);
    const found = needles().filter((s) => text.toLowerCase().includes(s.toLowerCase()));
    expect(found).toEqual([]);
  });

  it('reads through the API still show them', async () => {
    const contact = await op.client.get(`/api/contacts/${ids.contact}`);
    expect(contact.body).toMatchObject({
      summary: SECRET.summary,
      actionsTaken: SECRET.actions,
      identity: { name: SECRET.callerName, address: SECRET.callerAddress },
    });
    expect(contact.body.identity.people[0].name).toBe(SECRET.childName);
    const kase = await curator.get(`/api/cases/${ids.case}`);
    expect(JSON.stringify(kase.body)).toContain(SECRET.caseSubject);
    expect(JSON.stringify(kase.body)).toContain(SECRET.caseMember);
    expect(JSON.stringify((await curator.get(`/api/cases/${ids.case}/timeline`)).body)).toContain(SECRET.caseNote);
    const dispatch = await coordinator.get(`/api/dispatches/${ids.dispatch}`);
    expect(dispatch.body).toMatchObject({ recipientName: SECRET.recipientName, address: SECRET.recipientAddress, providerNote: SECRET.providerNote });
    const sms = await prisma().message.findFirstOrThrow({ where: { direction: 'inbound' } });
    expect(sms.body).toBe(SECRET.smsBody);
  });

  it('finds a contact by exact name through the blind index (case, ё and spaces do not matter)', async () => {
    const found = async (c: Client, name: string) =>
      (await c.get(`/api/contacts?name=${encodeURIComponent(name)}`)).body.items?.map((i: { id: string }) => i.id);
    expect(await found(sup, '  зинаида   КУРОПАТКИНА ')).toEqual([ids.contact]);
    expect(await found(sup, SECRET.childName)).toEqual([ids.contact]);
    expect(await found(sup, 'Зинаида')).toEqual([]);
    expect(await found(op.client, SECRET.callerName)).toEqual([ids.contact]);
    expect((await coordinator.get(`/api/contacts?name=${encodeURIComponent(SECRET.callerName)}`)).status).toBe(403);
  });

  it('finds notes by another word form and audits which excerpts were shown', async () => {
    const res = await sup.get(`/api/contacts?q=${encodeURIComponent('голодать')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.contact]);
    expect(res.body.items[0].excerpt).toBe(SECRET.summary);
    const both = await sup.get(`/api/contacts?q=${encodeURIComponent('внука продуктовый')}`);
    expect(both.body.items.map((i: { id: string }) => i.id)).toEqual([ids.contact]);
    expect((await sup.get(`/api/contacts?q=${encodeURIComponent('внук собака')}`)).body.items).toEqual([]);
    const audit = (await prisma().auditLog.findMany({ where: { action: 'contact.search.excerpts' }, orderBy: { id: 'asc' } })).filter(
      (a) => (a.detail as { text?: boolean }).text,
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ entity: 'Contact', detail: { contactIds: [ids.contact], text: true } });
    expect(JSON.stringify(audit.map((a) => a.detail))).not.toContain('голода');
  });

  it('rotation re-seals every field under the new key; reads and searches still work', async () => {
    const raw = server.services.infra.db.raw;
    const newSecret = 'a-new-app-secret-for-the-rotation-test-0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'tl-rot-'));
    const url = (server.config.database as { url: string }).url;
    const rotated = await openDatabase({ kind: 'postgres', url }, { appSecret: newSecret, previous: [TEST_APP_SECRET] });
    try {
      const before = await staleRows(rotated.raw, rotated.cipher!);
      expect(before.ContactIdentity).toBe(1);
      const seen: string[] = [];
      const result = await rotateKeys(rotated.raw, rotated.cipher!, { batch: 2, onProgress: (p) => seen.push(`${p.model}:${p.done}/${p.total}`) });
      expect(result.failed).toBe(0);
      expect(result.rows).toBeGreaterThan(5);
      expect(seen).toContain('ContactIdentity:1/1');
      expect(Object.values(await staleRows(rotated.raw, rotated.cipher!)).every((n) => n === 0)).toBe(true);
      // Resumable / idempotent: a second run finds nothing to do.
      expect((await rotateKeys(rotated.raw, rotated.cipher!)).rows).toBe(0);
      const stored = await raw.contactIdentity.findUniqueOrThrow({ where: { contactId: ids.contact } });
      expect(stored.name!.startsWith(`${CIPHER_PREFIX}${rotated.cipher!.kid}:`)).toBe(true);
      expect(stored.nameIndex).toBe(rotated.cipher!.nameIndex(SECRET.callerName));
      // Under the new key the data reads as before; the old key alone can no longer open it.
      const identity = await rotated.prisma.contactIdentity.findUniqueOrThrow({ where: { contactId: ids.contact } });
      expect(identity.name).toBe(SECRET.callerName);
      const note = await rotated.prisma.caseNote.findFirstOrThrow({ where: { caseId: ids.case, kind: 'note' } });
      expect(note.text).toBe(SECRET.caseNote);
      await expect(prisma().contactIdentity.findUniqueOrThrow({ where: { contactId: ids.contact } })).rejects.toThrow(/unknown key id/);
      expect(dump().includes(SECRET.callerName)).toBe(false);
    } finally {
      await rotated.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('encryption at rest on PGlite', () => {
  it('seals on write, opens on read, and searches by name and note words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-enc-pglite-'));
    try {
      const db = await openDatabase({ kind: 'pglite', dir }, { appSecret: TEST_APP_SECRET });
      try {
        await applyMigrations(db.adapterFactory);
        const c = await db.prisma.contact.create({
          data: {
            channel: 'voice',
            summary: SECRET.summary,
            identity: { create: { consentAt: new Date(), name: SECRET.callerName, address: SECRET.callerAddress } },
            people: { create: [{ relation: 'grandson', name: SECRET.childName }] },
          },
          include: { identity: true, people: true },
        });
        expect(c.identity!.name).toBe(SECRET.callerName);
        expect(c.people[0]!.name).toBe(SECRET.childName);
        const stored = await db.raw.contact.findUniqueOrThrow({ where: { id: c.id }, include: { identity: true } });
        expect(stored.summary.startsWith(CIPHER_PREFIX)).toBe(true);
        expect(stored.identity!.address!.startsWith(CIPHER_PREFIX)).toBe(true);
        const { contactsSearch } = await import('../../server/src/modules/contacts/contacts.search.js');
        const search = contactsSearch(db.prisma);
        const sup = { userId: '00000000-0000-4000-8000-000000000001', label: 'test', roles: ['supervisor' as const] };
        const base = { sort: 'newest' as const, page: 1, pageSize: 25, count: false };
        expect((await search.search({ ...base, name: SECRET.childName.toUpperCase() }, sup)).items.map((i) => i.id)).toEqual([c.id]);
        const byWord = await search.search({ ...base, q: 'голодал' }, sup);
        expect(byWord.items.map((i) => [i.id, i.excerpt])).toEqual([[c.id, SECRET.summary]]);
        // Rows from before encryption (plaintext) are read as they are and sealed by the rotation.
        await db.raw.caseNote.deleteMany();
        await db.raw.$executeRawUnsafe(`UPDATE "ContactIdentity" SET name = 'Старое Имя', "nameIndex" = NULL`);
        expect((await db.prisma.contactIdentity.findFirstOrThrow()).name).toBe('Старое Имя');
        expect((await rotateKeys(db.raw, db.cipher!)).rows).toBe(1);
        expect((await db.raw.contactIdentity.findFirstOrThrow()).name!.startsWith(CIPHER_PREFIX)).toBe(true);
        expect((await search.search({ ...base, name: 'старое имя' }, sup)).items.map((i) => i.id)).toEqual([c.id]);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
