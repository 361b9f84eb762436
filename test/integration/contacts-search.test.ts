// Search: filters, Russian and English search of the encrypted notes (stemmed words matched by
// their keyed hashes, server/src/db/encryption.ts), pagination and sorting, and only what the role may see. Retention: identified data
// of finalised contacts older than CONTACT_RETENTION_DAYS is removed unless an open case holds it
// (the contacts policy of modules/retention; test/integration/retention.test.ts covers the rest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let op: { client: Client; user: { id: string } };
let other: { client: Client; user: { id: string } };
let sup: { client: Client; user: { id: string } };
let areaId: string;
let catId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_RETENTION_DAYS: '30' } });
  op = await signedIn(server.url, server.services, ['operator']);
  other = await signedIn(server.url, server.services, ['operator']);
  sup = await signedIn(server.url, server.services, ['supervisor']);
  const p = server.services.infra.db.prisma;
  areaId = (await p.area.findFirstOrThrow({ where: { code: 'bogashevo' } })).id;
  catId = (await p.category.findFirstOrThrow({ where: { code: 'violence.bullying' } })).id;
  const mk = async (key: string, data: Parameters<typeof p.contact.create>[0]['data'], categories: string[] = []) => {
    const c = await p.contact.create({ data });
    for (const categoryId of categories) await p.contactCategory.create({ data: { contactId: c.id, categoryId } });
    ids[key] = c.id;
  };
  const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12));
  await mk(
    'bully',
    {
      channel: 'voice',
      operatorId: op.user.id,
      summary: 'Мальчик жалуется на травлю одноклассников, боится идти в школу',
      createdAt: day(5),
      riskLevel: 'R2',
      areaId,
      outcome: 'referred',
    },
    [catId],
  );
  await mk('housing', {
    channel: 'sms',
    operatorId: op.user.id,
    summary: 'Mother asked about housing benefits for her children',
    createdAt: day(6),
    riskLevel: 'R1',
  });
  await mk('othersNote', {
    channel: 'voice',
    operatorId: other.user.id,
    summary: 'Школа сообщила о травле в классе',
    createdAt: day(7),
    riskLevel: 'R3',
    areaId,
  });
  await mk('walkin', { channel: 'walk-in', operatorId: other.user.id, summary: 'Food parcel needed', createdAt: day(8), riskLevel: 'R0', followUpAt: day(9) });
});
afterAll(async () => {
  await server?.close();
});

const search = (c: Client, q: string) => c.get(`/api/contacts?${q}`);
const found = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

describe('search', () => {
  it('finds Russian notes by another word form (травлю / травле -> травля)', async () => {
    const res = await search(sup.client, `q=${encodeURIComponent('травля')}`);
    expect(res.status).toBe(200);
    expect(found(res).sort()).toEqual([ids.othersNote, ids.bully].sort());
  });

  it('finds English notes by stem (benefit -> benefits)', async () => {
    expect(found(await search(sup.client, 'q=benefit'))).toEqual([ids.housing]);
  });

  it('filters by date, channel, category, risk, operator, district, outcome and follow-up due', async () => {
    const f = async (q: string) =>
      found(await search(sup.client, q))
        .filter((id) => Object.values(ids).includes(id))
        .sort();
    expect(await f('from=2026-01-06T00:00:00Z&to=2026-01-08T00:00:00Z')).toEqual([ids.housing, ids.othersNote].sort());
    expect(await f('channel=walk-in')).toEqual([ids.walkin]);
    expect(await f(`categoryId=${catId}`)).toEqual([ids.bully]);
    expect(await f('risk=R3')).toEqual([ids.othersNote]);
    expect(await f('minRisk=R2&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).toEqual([ids.bully, ids.othersNote].sort());
    expect(await f(`operatorId=${op.user.id}`)).toEqual([ids.bully, ids.housing].sort());
    expect(await f(`areaId=${areaId}&q=${encodeURIComponent('школа')}`)).toEqual([ids.bully, ids.othersNote].sort());
    expect(await f('outcome=referred')).toEqual([ids.bully]);
    expect(await f('followUpDue=true')).toEqual([ids.walkin]);
  });

  it('paginates and sorts', async () => {
    const q = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&pageSize=3&count=true';
    const p1 = await search(sup.client, `${q}&page=1`);
    const p2 = await search(sup.client, `${q}&page=2`);
    expect(p1.body).toMatchObject({ total: 4, hasMore: true });
    expect(p2.body.hasMore).toBe(false);
    expect(found(p1)).toEqual([ids.walkin, ids.othersNote, ids.housing]);
    expect(found(p2)).toEqual([ids.bully]);
    expect(found(await search(sup.client, `${q.replace('pageSize=3', 'pageSize=10')}&sort=risk`))[0]).toBe(ids.othersNote);
  });

  it('gives an operator excerpts only of their own contacts and searches only their own notes', async () => {
    const all = await search(op.client, 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z');
    const byId = new Map(all.body.items.map((i: { id: string; excerpt?: string }) => [i.id, i]));
    expect((byId.get(ids.bully) as { excerpt?: string }).excerpt).toContain('травлю');
    expect(byId.get(ids.othersNote)).not.toHaveProperty('excerpt');
    expect(found(await search(op.client, `q=${encodeURIComponent('травля')}`))).toEqual([ids.bully]);
  });

  it('names a bad filter and answers 400', async () => {
    const res = await search(sup.client, 'risk=R9');
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toContain('risk');
  });
});

describe('retention', () => {
  it('anonymises identified data after the configured days unless an open case holds the contact', async () => {
    const p = server.services.infra.db.prisma;
    const old = new Date(Date.now() - 31 * 86_400_000);
    const mkIdentified = async (finalisedAt: Date) => {
      const c = await p.contact.create({ data: { channel: 'voice', status: 'finalised', finalisedAt, identified: true, summary: 'kept' } });
      await p.contactIdentity.create({
        data: { contactId: c.id, consentAt: finalisedAt, name: 'Мария', phoneSealed: server.services.phones.encrypt('+79991234567') },
      });
      await p.contactPerson.create({ data: { contactId: c.id, relation: 'child', age: 4 } });
      return c.id;
    };
    const expired = await mkIdentified(old);
    const recent = await mkIdentified(new Date());
    const inCase = await mkIdentified(old);
    // The cases feature's open-case link (stage not closed) keeps identified data.
    const kase = await p.case.create({ data: { origin: 'contact', subjectKind: 'family', subjectName: 'Семья', consentAt: old, stage: 'opened' } });
    await p.caseContact.create({ data: { caseId: kase.id, contactId: inCase } });
    // The contacts policy of the one retention (modules/retention/).
    const result = (await server.services.retention.run({ kinds: ['contacts'] }))!;
    expect(result.cleared.contacts).toBe(1);
    expect(await p.contactIdentity.count({ where: { contactId: expired } })).toBe(0);
    expect(await p.contactPerson.count({ where: { contactId: expired } })).toBe(0);
    expect(await p.contactIdentity.count({ where: { contactId: recent } })).toBe(1);
    const row = await p.contact.findUniqueOrThrow({ where: { id: expired } });
    // Free-text notes may name people: they go with the identity; the anonymous record stays.
    expect(row).toMatchObject({ identified: false, summary: '' });
    expect(row.anonymisedAt).toBeInstanceOf(Date);
    const audit = await p.auditLog.findMany({ where: { entityId: expired, action: 'contact.identity.anonymise' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorLabel).toBe('system:retention');
    expect(await p.contactIdentity.count({ where: { contactId: inCase } })).toBe(1);
    expect(result.kept.contacts).toBe(1);
  });
});
