// Consent as a record, through the HTTP API on real PostgreSQL: written with a contact's identity
// and a case's opening (purpose, method, who, when), recorded and withdrawn by hand, and a
// withdrawal that keeps the record and takes the identity with it. Access follows the subject's
// own feature (contacts: the handling operator or a supervisor; cases: curators and supervisors
// read, the case's curator or a supervisor change). Every read and change is audited; bad input is
// a 400 naming the field and changes nothing.
import type { Role } from '@trustline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
type Who = { client: Client; user: { id: string; username: string; displayName: string } };
let op: Who;
let otherOp: Who;
let sup: Who;
let curator: Who;
let otherCurator: Who;
let admin: Who;
let coordinator: Who;

beforeAll(async () => {
  // Staff sign in with a password alone here; TOTP sign-in has its own tests.
  server = await startTestServer({ env: { AUTH_TOTP_REQUIRED_ROLES: '' } });
  const as = (role: Role) => signedIn(server.url, server.services, [role]);
  // One at a time: seven password hashes and transactions at once outwait the pool on a busy machine.
  op = await as('operator');
  otherOp = await as('operator');
  sup = await as('supervisor');
  curator = await as('curator');
  otherCurator = await as('curator');
  admin = await as('admin');
  coordinator = await as('coordinator');
});
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const auditOf = (action: string, where: Record<string, unknown> = {}) => prisma().auditLog.findMany({ where: { action, ...where }, orderBy: { at: 'asc' } });

async function walkIn(client = op.client) {
  const res = await client.post('/api/contacts', { channel: 'walk-in' });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; version: number };
}
async function identify(id: string, version: number, identity: Record<string, unknown>, client = op.client) {
  const res = await client.patch(`/api/contacts/${id}`, { version, identity: { consent: true, ...identity } });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: string; version: number; identified: boolean };
}
async function consentsOf(query: string, client = op.client) {
  const res = await client.get(`/api/privacy/consents?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Array<Record<string, any>>;
}

const family = {
  kind: 'family',
  name: 'Семья Соколовых',
  address: 'ул. Мира, 3',
  district: 'Кировский',
  members: [{ name: 'Оля', relation: 'daughter', isChild: true, age: 6 }],
};
async function openCase(client: Client, method?: string) {
  const res = await client.post('/api/cases', {
    signal: { from: 'School 7', summary: 'signal' },
    subject: family,
    consent: { given: true, ...(method ? { method } : {}) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string };
}

describe('consent written with the identity', () => {
  it('records purpose, method, who and when once, however often the identity is saved', async () => {
    const before = Date.now();
    const c = await walkIn();
    const saved = await identify(c.id, c.version, { name: 'Мария Петрова', consentMethod: 'written' });
    await identify(c.id, saved.version, { address: 'ул. Садовая, 5' });
    const rows = await consentsOf(`contactId=${c.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      contactId: c.id,
      caseId: null,
      purpose: 'identified_contact',
      method: 'written',
      reference: null,
      recordedBy: { id: op.user.id, displayName: op.user.displayName },
      withdrawal: null,
    });
    expect(new Date(rows[0]!.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(rows[0]!.recordedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // The list is a read of the contact's record: audited, with no name in it.
    const [listed] = await auditOf('consent.list', { entityId: c.id });
    expect(listed).toMatchObject({ actorId: op.user.id, entity: 'Contact', detail: { count: 1 } });
    expect(JSON.stringify(listed!.detail)).not.toContain('Мария');
  });

  it('takes the method from the channel when the form does not say', async () => {
    const c = await walkIn();
    await identify(c.id, c.version, { name: 'Анна' });
    expect((await consentsOf(`contactId=${c.id}`))[0]).toMatchObject({ method: 'spoken' });
  });
});

describe('withdrawal', () => {
  it('keeps the record with who, when and how, and removes the identity at once', async () => {
    const c = await walkIn();
    const saved = await identify(c.id, c.version, { name: 'Ирина Ким', address: 'пр. Ленина, 10', callbackPhone: '+7 913 222 33 44' });
    expect((await prisma().contact.findUnique({ where: { id: c.id } }))!.phoneHash).not.toBeNull();
    const [consent] = await consentsOf(`contactId=${c.id}`);
    const res = await op.client.post(`/api/privacy/consents/${consent!.id}/withdraw`, { method: 'sms', reference: 'SMS 2026-12-03' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: consent!.id, withdrawal: { by: { id: op.user.id }, method: 'sms', reference: 'SMS 2026-12-03' } });

    const row = await prisma().consent.findUnique({ where: { id: consent!.id } });
    expect(row).toMatchObject({ purpose: 'identified_contact', withdrawnById: op.user.id, withdrawalMethod: 'sms' });
    expect(row!.withdrawnAt).toBeInstanceOf(Date);
    const contact = await prisma().contact.findUnique({ where: { id: c.id } });
    expect(contact).toMatchObject({ identified: false, version: saved.version + 1 });
    // The hash came only from the call-back number given with consent: it goes too.
    expect(contact!.phoneHash).toBeNull();
    expect(await prisma().contactIdentity.count({ where: { contactId: c.id } })).toBe(0);
    const full = await op.client.get(`/api/contacts/${c.id}`);
    expect(full.body.identity ?? null).toBeNull();
    const events = (await op.client.get(`/api/contacts/${c.id}/events`)).body as { kind: string }[];
    expect(events.map((e) => e.kind)).toContain('identity-removed');
    expect(await auditOf('consent.withdraw', { entityId: consent!.id })).toEqual([
      expect.objectContaining({ actorId: op.user.id, detail: expect.objectContaining({ purpose: 'identified_contact', method: 'sms' }) }),
    ]);
    expect(await auditOf('contact.identity.remove', { entityId: c.id })).toHaveLength(1);

    // A console still holding the old identity cannot write it back.
    const stale = await op.client.patch(`/api/contacts/${c.id}`, { version: saved.version, identity: { consent: true, name: 'Ирина Ким' } });
    expect(stale.status).toBe(409);
    expect(await prisma().contactIdentity.count({ where: { contactId: c.id } })).toBe(0);
    // Twice is refused; the first withdrawal stays as it was.
    const again = await op.client.post(`/api/privacy/consents/${consent!.id}/withdraw`, { method: 'spoken' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONSENT_ALREADY_WITHDRAWN');
    expect((await prisma().consent.findUnique({ where: { id: consent!.id } }))!.withdrawalMethod).toBe('sms');

    // Consent given again is a new record; the withdrawn one is kept below it.
    await identify(c.id, contact!.version, { name: 'Ирина Ким' });
    const rows = await consentsOf(`contactId=${c.id}`);
    expect(rows.map((r) => [r.purpose, r.withdrawal === null])).toEqual([
      ['identified_contact', true],
      ['identified_contact', false],
    ]);
  });

  it('the form’s "no consent" withdraws the record too, and keeps it', async () => {
    const c = await walkIn();
    const saved = await identify(c.id, c.version, { name: 'Пётр' });
    const res = await op.client.patch(`/api/contacts/${c.id}`, { version: saved.version, identity: { consent: false, consentMethod: 'spoken' } });
    expect(res.status, res.text).toBe(200);
    const rows = await consentsOf(`contactId=${c.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.withdrawal).toMatchObject({ by: { id: op.user.id }, method: 'spoken' });
  });
});

describe('consents recorded by hand', () => {
  it('records a consent for another purpose once; a second active one is a conflict', async () => {
    const c = await walkIn();
    const res = await op.client.post('/api/privacy/consents', { contactId: c.id, purpose: 'follow_up_callback', method: 'spoken', reference: 'call 14:05' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      contactId: c.id,
      purpose: 'follow_up_callback',
      method: 'spoken',
      reference: 'call 14:05',
      recordedBy: { id: op.user.id },
    });
    expect(await auditOf('consent.record', { entityId: res.body.id })).toHaveLength(1);
    const twice = await op.client.post('/api/privacy/consents', { contactId: c.id, purpose: 'follow_up_callback', method: 'sms' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('CONSENT_ALREADY_ACTIVE');
    // Withdrawing it leaves the contact as it was (only the identified record's consent erases).
    const w = await op.client.post(`/api/privacy/consents/${res.body.id}/withdraw`, { method: 'written' });
    expect(w.status).toBe(200);
    expect(await auditOf('contact.identity.remove', { entityId: c.id })).toHaveLength(0);
  });

  it('two people recording the same purpose at once: one is recorded, the other is told it is in force', async () => {
    const c = await walkIn();
    const body = { contactId: c.id, purpose: 'provider_sharing', method: 'spoken' };
    const [a, b] = await Promise.all([op.client.post('/api/privacy/consents', body), sup.client.post('/api/privacy/consents', body)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await prisma().consent.count({ where: { contactId: c.id, purpose: 'provider_sharing', withdrawnAt: null } })).toBe(1);
  });

  it('a case opens with its consent to case work; its curator or a supervisor change its consents', async () => {
    const k = await openCase(curator.client, 'written');
    const rows = await consentsOf(`caseId=${k.id}`, curator.client);
    expect(rows).toEqual([
      expect.objectContaining({
        caseId: k.id,
        contactId: null,
        purpose: 'case_work',
        method: 'written',
        recordedBy: { id: curator.user.id, displayName: curator.user.displayName },
        withdrawal: null,
      }),
    ]);
    // Curators and supervisors read any case's consents; only its curator or a supervisor change them.
    expect(await consentsOf(`caseId=${k.id}`, otherCurator.client)).toHaveLength(1);
    expect(await consentsOf(`caseId=${k.id}`, sup.client)).toHaveLength(1);
    const foreign = await otherCurator.client.post('/api/privacy/consents', { caseId: k.id, purpose: 'provider_sharing', method: 'written' });
    expect(foreign.status).toBe(403);
    const foreignWithdraw = await otherCurator.client.post(`/api/privacy/consents/${rows[0]!.id}/withdraw`, { method: 'written' });
    expect(foreignWithdraw.status).toBe(403);
    const own = await curator.client.post('/api/privacy/consents', { caseId: k.id, purpose: 'provider_sharing', method: 'written', reference: 'form 12/7' });
    expect(own.status, own.text).toBe(201);
    const bySup = await sup.client.post(`/api/privacy/consents/${own.body.id}/withdraw`, { method: 'spoken' });
    expect(bySup.status, bySup.text).toBe(200);
    expect(bySup.body.withdrawal).toMatchObject({ by: { id: sup.user.id }, method: 'spoken' });
    expect((await auditOf('consent.list', { entityId: k.id })).map((a) => a.actorId)).toEqual([curator.user.id, otherCurator.user.id, sup.user.id]);
    // A case opened without saying how: spoken.
    const k2 = await openCase(curator.client);
    expect((await consentsOf(`caseId=${k2.id}`, curator.client))[0]).toMatchObject({ method: 'spoken' });
  });
});

describe('who may see and change consents', () => {
  it('a contact’s: its operator and supervisors; not another operator, a curator, an admin or a coordinator', async () => {
    const c = await walkIn();
    await identify(c.id, c.version, { name: 'Сергей' });
    const [consent] = await consentsOf(`contactId=${c.id}`);
    expect(await consentsOf(`contactId=${c.id}`, sup.client)).toHaveLength(1);
    for (const who of [otherOp, curator, admin, coordinator]) {
      expect((await who.client.get(`/api/privacy/consents?contactId=${c.id}`)).status, who.user.username).toBe(403);
      expect((await who.client.post('/api/privacy/consents', { contactId: c.id, purpose: 'provider_sharing', method: 'spoken' })).status).toBe(403);
      expect((await who.client.post(`/api/privacy/consents/${consent!.id}/withdraw`, { method: 'spoken' })).status).toBe(403);
    }
    expect((await prisma().consent.findUnique({ where: { id: consent!.id } }))!.withdrawnAt).toBeNull();
    expect(await prisma().consent.count({ where: { contactId: c.id } })).toBe(1);
    // A supervisor may withdraw it.
    expect((await sup.client.post(`/api/privacy/consents/${consent!.id}/withdraw`, { method: 'written' })).status).toBe(200);
  });

  it('a case’s: not operators, admins or coordinators', async () => {
    const k = await openCase(curator.client);
    for (const who of [op, admin, coordinator]) expect((await who.client.get(`/api/privacy/consents?caseId=${k.id}`)).status).toBe(403);
  });

  it('answers 404 for a contact, a case or a consent that does not exist', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    expect((await sup.client.get(`/api/privacy/consents?contactId=${none}`)).status).toBe(404);
    expect((await sup.client.get(`/api/privacy/consents?caseId=${none}`)).status).toBe(404);
    expect((await sup.client.post(`/api/privacy/consents/${none}/withdraw`, { method: 'spoken' })).status).toBe(404);
    expect((await sup.client.post('/api/privacy/consents', { contactId: none, purpose: 'provider_sharing', method: 'spoken' })).status).toBe(404);
  });
});

describe('bad input', () => {
  it('is a 400 naming the field, and changes nothing', async () => {
    const c = await walkIn();
    const k = await openCase(curator.client);
    const [consent] = await consentsOf(`caseId=${k.id}`, curator.client);
    const counts = async () => [await prisma().consent.count(), await prisma().auditLog.count()];
    const before = await counts();
    const cases: [Client, string, string, unknown, string][] = [
      [op.client, 'GET', '/api/privacy/consents', undefined, 'querystring.contactId'],
      [op.client, 'GET', `/api/privacy/consents?contactId=${c.id}&caseId=${k.id}`, undefined, 'querystring.contactId'],
      [op.client, 'GET', '/api/privacy/consents?contactId=nope', undefined, 'querystring.contactId'],
      [op.client, 'POST', '/api/privacy/consents', { contactId: c.id, purpose: 'marketing', method: 'spoken' }, 'body.purpose'],
      [op.client, 'POST', '/api/privacy/consents', { contactId: c.id, purpose: 'provider_sharing', method: 'email' }, 'body.method'],
      [op.client, 'POST', '/api/privacy/consents', { purpose: 'provider_sharing', method: 'spoken' }, 'body.contactId'],
      [
        op.client,
        'POST',
        '/api/privacy/consents',
        { contactId: c.id, purpose: 'provider_sharing', method: 'spoken', reference: 'x'.repeat(201) },
        'body.reference',
      ],
      [op.client, 'POST', '/api/privacy/consents', { contactId: c.id, purpose: 'case_work', method: 'spoken' }, 'body.purpose'],
      [curator.client, 'POST', '/api/privacy/consents', { caseId: k.id, purpose: 'identified_contact', method: 'spoken' }, 'body.purpose'],
      [curator.client, 'POST', `/api/privacy/consents/${consent!.id}/withdraw`, { method: 'fax' }, 'body.method'],
      [curator.client, 'POST', `/api/privacy/consents/${consent!.id}/withdraw`, {}, 'body.method'],
      [curator.client, 'POST', '/api/privacy/consents/not-an-id/withdraw', { method: 'spoken' }, 'params.id'],
    ];
    for (const [client, method, path, body, field] of cases) {
      const res = await client.request(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(
        res.body.fields.map((f: { path: string }) => f.path),
        `${method} ${path}`,
      ).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });
});
