// A person's requests (152-FZ art. 14, 21) against real PostgreSQL: an admin finds everything held
// about person A by number, contact or case; the export holds every one of A's records and
// nothing of B's (same first name, another number, one of B's contacts linked to A's case); the
// erasure leaves none of A's values in any table and B's intact, with a destruction record; every
// step is audited without the number or a name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_REQUEST_KINDS } from '@trustline/shared';
import { everything, seedPeople, type Person } from '../helpers/data-requests.js';
import { Client, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let admin: Client;
let adminId: string;
let otherAdmin: Client;
let operator: Client;
let supervisor: Client;
let a: Person;
let b: Person;
const REF = '№ 12/2026';
const reason = 'Письменный запрос субъекта';

beforeAll(async () => {
  server = await startTestServer();
  const s = await signedIn(server.url, server.services, ['admin']);
  admin = s.client;
  adminId = s.user.id;
  otherAdmin = (await signedIn(server.url, server.services, ['admin'])).client;
  operator = (await signedIn(server.url, server.services, ['operator'])).client;
  supervisor = (await signedIn(server.url, server.services, ['supervisor', 'curator'])).client;
  ({ a, b } = await seedPeople(server.services));
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const search = async (body: Record<string, unknown>, c = admin) => {
  const res = await c.post('/api/data-requests/search', { reference: REF, reason, ...body });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const idsOf = (summary: any) => Object.fromEntries(DATA_REQUEST_KINDS.map((k) => [k, (summary.kinds[k] as { id: string }[]).map((x) => x.id).sort()]));
const expected = (p: Person) => Object.fromEntries(DATA_REQUEST_KINDS.map((k) => [k, [...p.ids[k]].sort()]));
const exportOf = (handle: string, format: 'json' | 'html', lang = 'en') =>
  admin.get(`/api/data-requests/export?handle=${encodeURIComponent(handle)}&format=${format}&lang=${lang}`);

describe('finding everything held about a person', () => {
  it('by phone number, typed in the national form: every record of A, linked by the hash, without echoing the number', async () => {
    const s = await search({ phone: `8 (${a.digits.slice(0, 3)}) ${a.digits.slice(3, 6)}-${a.digits.slice(6, 8)}-${a.digits.slice(8)}` });
    expect(idsOf(s)).toEqual(expected(a));
    expect(s.total).toBe(Object.values(a.ids).reduce((n, x) => n + x.length, 0));
    expect(s.callerLabel).toBe(server.services.phones.label(server.services.phones.hash(a.phone)));
    expect(s.openCases.map((c: { number: number }) => c.number)).toEqual([a.caseNumber]);
    // B's contact linked to A's case came from B's number: left out, counted.
    expect(s.leftOut).toBe(1);
    const text = JSON.stringify(s);
    expect(text).not.toContain(a.digits);
    expect(text).not.toContain(a.digits.slice(-4));
    for (const v of a.values) expect(text).not.toContain(v);
  });

  it('by a contact (the SMS one) and by the case, by id or number: the same records', async () => {
    const byContact = await search({ contactId: a.ids.contacts[1] });
    expect(idsOf(byContact)).toEqual(expected(a));
    const byCase = await search({ caseId: a.ids.cases[0] });
    expect(idsOf(byCase)).toEqual(expected(a));
    const byNumber = await search({ caseNumber: a.caseNumber });
    expect(idsOf(byNumber)).toEqual(expected(a));
  });

  it("finds B's records apart from A's, though B's contact is in A's case", async () => {
    const s = await search({ phone: b.phone });
    expect(idsOf(s)).toEqual(expected(b));
  });

  it('answers bad input with a 400 naming the problem, and unknown records with a 404', async () => {
    const bad = [
      [{ reference: REF, reason }, 'exactly one'],
      [{ reference: REF, reason, phone: a.phone, caseId: a.ids.cases[0] }, 'exactly one'],
      [{ reason, phone: a.phone }, 'reference'],
      [{ reference: REF, phone: a.phone }, 'reason'],
      [{ reference: REF, reason, phone: 'not a phone' }, 'phone'],
      [{ reference: REF, reason, contactId: 'nope' }, 'UUID'],
      [{ reference: '<script>', reason, phone: a.phone }, 'letters'],
    ] as const;
    for (const [body, word] of bad) {
      const res = await admin.post('/api/data-requests/search', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toContain(word);
    }
    const missing = await admin.post('/api/data-requests/search', { reference: REF, reason, contactId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    const badHandle = await admin.get('/api/data-requests/export?handle=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&format=json');
    expect(badHandle.status).toBe(400);
    expect(badHandle.text).toContain('search again');
    const s = await search({ phone: a.phone });
    expect((await admin.get(`/api/data-requests/export?handle=${encodeURIComponent(s.handle)}&format=pdf`)).status).toBe(400);
  });

  it('refuses other roles (403) and a handle made for another admin', async () => {
    for (const c of [operator, supervisor]) {
      expect((await c.post('/api/data-requests/search', { reference: REF, reason, phone: a.phone })).status).toBe(403);
      expect((await c.get('/api/data-requests/export?handle=xxxxxxxxxxxxxxxxxxxxxxxx')).status).toBe(403);
      expect((await c.post('/api/data-requests/erase', {})).status).toBe(403);
    }
    const s = await search({ phone: a.phone });
    const res = await otherAdmin.get(`/api/data-requests/export?handle=${encodeURIComponent(s.handle)}&format=json`);
    expect(res.status).toBe(400);
  });
});

describe('the export', () => {
  it("holds every one of A's records, numbers decrypted, and nothing of B's (JSON)", async () => {
    const s = await search({ phone: a.phone });
    const res = await exportOf(s.handle, 'json');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"/);
    const data = JSON.parse(res.text);
    expect(data.contacts.map((c: { id: string }) => c.id).sort()).toEqual([...a.ids.contacts].sort());
    expect(data.calls.map((c: { id: string }) => c.id)).toEqual(a.ids.calls);
    expect(data.smsConversations.map((c: { id: string }) => c.id)).toEqual(a.ids.conversations);
    expect(data.smsConversations[0].messages.map((m: { id: string }) => m.id).sort()).toEqual([...a.ids.messages].sort());
    expect(data.callBackRequests.map((c: { id: string }) => c.id)).toEqual(a.ids.callbacks);
    expect(data.urgentHelpRequests.map((c: { id: string }) => c.id)).toEqual(a.ids.dispatches);
    expect(data.cases.map((c: { id: string }) => c.id)).toEqual(a.ids.cases);
    expect(data.consents.map((c: { id: string }) => c.id)).toEqual(a.ids.consents);
    expect(data.callerFlags.map((c: { id: string }) => c.id)).toEqual(a.ids.flags);
    expect(data.calls[0].phoneNumber).toBe(a.phone);
    expect(data.request.reference).toBe(REF);
    for (const v of a.values) expect(res.text, v).toContain(v);
    for (const v of b.values) expect(res.text, v).not.toContain(v);
    expect(res.text).not.toContain(b.digits);
    for (const kind of Object.values(b.ids)) for (const id of kind) expect(res.text).not.toContain(id);
  });

  it('as a printable HTML copy in English and in Russian, with labels for codes and nothing of B', async () => {
    const s = await search({ phone: a.phone });
    const en = await exportOf(s.handle, 'html', 'en');
    expect(en.status).toBe(200);
    expect(en.headers.get('content-type')).toContain('text/html');
    expect(en.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.html"/);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Urgent help requests (1)');
    expect(en.text).toContain('Food');
    expect(en.text).toContain(a.phone);
    const ru = await exportOf(s.handle, 'html', 'ru');
    expect(ru.text).toContain('<html lang="ru">');
    expect(ru.text).toContain('Обращения (3)');
    expect(ru.text).toContain('Питание');
    expect(ru.text).toMatch(/\d{1,2} [а-я]+ \d{4}/);
    for (const html of [en.text, ru.text]) {
      for (const v of a.values) expect(html, v).toContain(v);
      for (const v of b.values) expect(html, v).not.toContain(v);
      expect(html).not.toContain(b.digits);
      expect(html).not.toContain('<script');
    }
  });

  it('is audited: who, which request, how many records; no number or name in the audit', async () => {
    const rows = await server.services.infra.db.prisma.auditLog.findMany({
      where: { action: { startsWith: 'data-request.' }, actorId: adminId },
      orderBy: { id: 'asc' },
    });
    const exports = rows.filter((r) => r.action === 'data-request.export');
    expect(exports.length).toBeGreaterThanOrEqual(3);
    expect(exports[0]).toMatchObject({ entity: 'DataRequest', entityId: REF });
    expect((exports[0]!.detail as { records: number }).records).toBe(Object.values(a.ids).reduce((n, x) => n + x.length, 0));
    expect(rows.some((r) => r.action === 'data-request.search' && (r.detail as { reason: string }).reason === reason)).toBe(true);
    // The audit viewer finds the whole request by its number.
    const viewer = await admin.get(`/api/audit?q=${encodeURIComponent(REF)}&group=data-request`);
    expect(viewer.status, viewer.text).toBe(200);
    expect(new Set(viewer.body.map((e: { action: string }) => e.action))).toEqual(new Set(['data-request.search', 'data-request.export']));
    expect(viewer.body[0].reference).toBe(REF);
    const text = JSON.stringify(rows.map(({ id: _id, ...r }) => r));
    for (const p of [a, b]) {
      expect(text).not.toContain(p.digits);
      for (const v of p.values) expect(text).not.toContain(v);
    }
  });
});

describe('the erasure', () => {
  it('is refused while a case is open, naming it, and when the reference or the count differs', async () => {
    const s = await search({ phone: a.phone });
    const open = await admin.post('/api/data-requests/erase', { handle: s.handle, reference: REF, confirm: true, expectedTotal: s.total });
    expect(open.status).toBe(409);
    expect(open.body.message).toContain(`№${a.caseNumber}`);
    expect((await admin.post('/api/data-requests/erase', { handle: s.handle, reference: '№ 13/2026', confirm: true, expectedTotal: s.total })).status).toBe(
      400,
    );
    expect((await admin.post('/api/data-requests/erase', { handle: s.handle, reference: REF, confirm: false, expectedTotal: s.total })).status).toBe(400);
    expect((await admin.post('/api/data-requests/erase', { handle: s.handle, reference: REF, expectedTotal: s.total })).status).toBe(400);
    // Nothing changed.
    const all = await everything(server.services);
    for (const v of a.values) expect(all).toContain(v);
  });

  it("anonymises every one of A's records once the case is closed, keeps B's, and writes the destruction record", async () => {
    const db = server.services.infra.db.prisma;
    // The curator closes the case first.
    await db.case.update({ where: { id: a.ids.cases[0] }, data: { stage: 'closed', closedAt: new Date(), closeReason: 'other' } });
    const s = await search({ phone: a.phone });
    const changed = await admin.post('/api/data-requests/erase', { handle: s.handle, reference: REF, confirm: true, expectedTotal: s.total + 1 });
    expect(changed.status).toBe(409);
    const res = await admin.post('/api/data-requests/erase', { handle: s.handle, reference: REF, confirm: true, expectedTotal: s.total });
    expect(res.status, res.text).toBe(200);
    expect(res.body.rows).toBeGreaterThan(0);
    expect(res.body.tables).toMatchObject({
      Contact: 3,
      ContactIdentity: 1,
      Call: 1,
      Message: 2,
      Conversation: 1,
      CallbackRequest: 1,
      Dispatch: 1,
      Case: 1,
      CaseNote: 1,
      CallerFlag: 1,
    });

    const all = await everything(server.services);
    for (const v of a.values) expect(all, v).not.toContain(v);
    const { phones } = server.services;
    const hashes = [phones.hash(a.phone), phones.hash(`8${a.digits}`)];
    for (const h of hashes) expect(all).not.toContain(h);
    // The anonymous rows stay, their numbers gone.
    const calls = await db.call.findMany({ where: { id: { in: a.ids.calls } } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ callerSealed: '' });
    const contacts = await db.contact.findMany({ where: { id: { in: a.ids.contacts } } });
    expect(contacts.every((c) => c.anonymisedAt && !c.identified && c.phoneHash === null)).toBe(true);
    const dispatch = await db.dispatch.findUniqueOrThrow({ where: { id: a.ids.dispatches[0] } });
    expect(dispatch).toMatchObject({ recipientName: null, recipientPhoneEnc: null, recipientPhoneHash: null, address: null, kind: 'food', state: 'delivered' });
    const k = await db.case.findUniqueOrThrow({ where: { id: a.ids.cases[0] } });
    expect(k).toMatchObject({ phoneSealed: null, phoneHash: null, stage: 'closed' });
    expect(await db.caseMember.count({ where: { caseId: k.id } })).toBe(1);
    // The blind indexes of the names went with them (encryption at rest keeps them beside the names).
    expect(k.subjectNameIndex).toBeNull();
    expect((await db.caseMember.findFirstOrThrow({ where: { caseId: k.id } })).nameIndex).toBeNull();
    expect(dispatch.recipientNameIndex).toBeNull();
    expect(contacts.every((c) => c.summaryTokens.length === 0 && c.actionsTokens.length === 0 && c.planTokens.length === 0)).toBe(true);

    // B intact: every value, and the sealed numbers still open to B's.
    for (const v of b.values) expect(all, v).toContain(v);
    const bCall = await db.call.findUniqueOrThrow({ where: { id: b.ids.calls[0] } });
    expect(phones.decrypt(bCall.callerSealed)).toBe(b.phone);
    expect(await db.contactIdentity.count({ where: { contactId: b.ids.contacts[0] } })).toBe(1);

    const rec = await db.destructionRecord.findUniqueOrThrow({ where: { id: res.body.destructionRecordId } });
    expect(rec).toMatchObject({ basis: 'request', reference: REF, kind: 'request', method: 'anonymised', actorId: adminId, rows: res.body.rows });
    expect(rec.categories).toEqual(expect.arrayContaining(['phone', 'name', 'message_text']));
    expect(JSON.stringify(rec)).not.toContain(a.digits);

    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'data-request.erase', actorId: adminId } });
    expect(audit).toMatchObject({ entity: 'DataRequest', entityId: REF });
    expect((audit.detail as { destructionNumber: number }).destructionNumber).toBe(rec.number);

    // Searched again, the number finds nothing.
    const after = await search({ phone: a.phone });
    expect(after.total).toBe(0);
    const nothing = await admin.post('/api/data-requests/erase', { handle: after.handle, reference: REF, confirm: true, expectedTotal: 0 });
    expect(nothing.status).toBe(409);
    expect(await db.destructionRecord.count({ where: { reference: REF } })).toBe(1);
  });
});
