// The personal-data breach register through the HTTP API on real PostgreSQL: an admin records a
// suspected leak, updates what is known, closes and reopens it, and records the notices sent; the
// 24 h and 72 h deadlines are counted from the discovery (pending, overdue, met, late) as of the
// server's clock, which the answer carries. Notices are kept. Admin only; audited; bad input is a
// 400 naming the field and changes nothing.
import { breachDeadlines } from '@trustline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let admin: Client;
let adminId: string;
let others: Client[];
const H = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * H).toISOString();
const after = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * H).toISOString();

beforeAll(async () => {
  // Staff sign in with a password alone here; TOTP sign-in has its own tests.
  server = await startTestServer({ env: { AUTH_TOTP_REQUIRED_ROLES: '' } });
  const a = await signedIn(server.url, server.services, ['admin']);
  admin = a.client;
  adminId = a.user.id;
  others = [];
  for (const r of ['supervisor', 'operator', 'curator', 'coordinator'] as const) others.push((await signedIn(server.url, server.services, [r])).client);
});
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const auditOf = (action: string, entityId?: string) => prisma().auditLog.findMany({ where: { action, ...(entityId ? { entityId } : {}) } });
type Breach = {
  id: string;
  number: number;
  asOf: string;
  discoveredAt: string;
  closedAt: string | null;
  deadlines: { kind: string; state: string; msLeft: number; dueAt: string; sentAt: string | null }[];
  notices: Record<string, any>[];
};
const deadline = (b: Breach, kind: 'initial' | 'results') => b.deadlines.find((d) => d.kind === kind)!;

async function create(body: Record<string, unknown>) {
  const res = await admin.post('/api/privacy/breaches', { summary: 'Ноутбук с выгрузкой обращений оставлен в такси', ...body });
  expect(res.status, res.text).toBe(201);
  return res.body as Breach;
}
async function notice(id: string, body: Record<string, unknown>) {
  const res = await admin.post(`/api/privacy/breaches/${id}/notices`, {
    recipient: 'Роскомнадзор',
    content: 'Уведомление через портал pd.rkn.gov.ru, № 123',
    ...body,
  });
  expect(res.status, res.text).toBe(201);
  return res.body as Breach;
}

describe('recording a breach', () => {
  it('keeps what leaked and counts both deadlines from the discovery, as of the server’s clock', async () => {
    const discoveredAt = ago(2);
    const b = await create({ discoveredAt, occurredAt: ago(30), peopleAffected: 12, dataKinds: ['names', 'phones', 'names'], measures: 'Пароли сменены' });
    expect(b).toMatchObject({
      summary: 'Ноутбук с выгрузкой обращений оставлен в такси',
      peopleAffected: 12,
      dataKinds: ['names', 'phones'],
      measures: 'Пароли сменены',
      closedAt: null,
      notices: [],
      recordedBy: { id: adminId },
    });
    expect(b.number).toBeGreaterThan(0);
    const asOf = new Date(b.asOf).getTime();
    expect(Math.abs(asOf - Date.now())).toBeLessThan(10_000);
    const initial = deadline(b, 'initial');
    expect(initial).toMatchObject({ state: 'pending', dueAt: after(discoveredAt, 24), sentAt: null });
    expect(initial.msLeft).toBe(new Date(initial.dueAt).getTime() - asOf);
    expect(initial.msLeft).toBeGreaterThan(21.9 * H);
    expect(deadline(b, 'results')).toMatchObject({ state: 'pending', dueAt: after(discoveredAt, 72) });
    const [created] = await auditOf('breach.create', b.id);
    expect(created).toMatchObject({ actorId: adminId, entity: 'DataBreach', detail: { number: b.number, peopleAffected: 12 } });
    expect(JSON.stringify(created!.detail)).not.toContain('такси');
  });

  it('shows a notice past due as overdue, and both once 72 h have gone', async () => {
    const b = await create({ discoveredAt: ago(30) });
    expect(deadline(b, 'initial').state).toBe('overdue');
    expect(deadline(b, 'initial').msLeft).toBeLessThan(-5.9 * H);
    expect(deadline(b, 'results').state).toBe('pending');
    const old = await create({ discoveredAt: ago(80) });
    expect(old.deadlines.map((d) => d.state)).toEqual(['overdue', 'overdue']);
  });

  it('lists the register latest discovery first and reads one, both audited', async () => {
    const a = await create({ discoveredAt: ago(5) });
    const b = await create({ discoveredAt: ago(1) });
    const list = await admin.get('/api/privacy/breaches');
    expect(list.status).toBe(200);
    const ids = (list.body as Breach[]).map((x) => x.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect((list.body as Breach[]).every((x) => x.asOf && x.deadlines.length === 2)).toBe(true);
    expect((await auditOf('breach.list')).length).toBeGreaterThan(0);
    const one = await admin.get(`/api/privacy/breaches/${a.id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(a.id);
    expect(await auditOf('breach.read', a.id)).toHaveLength(1);
  });
});

describe('notices', () => {
  it('a notice sent in time meets its deadline, one sent after is late, and every notice is kept', async () => {
    const b = await create({ discoveredAt: ago(100) });
    const first = await notice(b.id, { kind: 'initial', sentAt: after(b.discoveredAt, 20) });
    expect(deadline(first, 'initial')).toMatchObject({ state: 'met', sentAt: after(b.discoveredAt, 20) });
    expect(deadline(first, 'results').state).toBe('overdue');
    const late = await notice(b.id, {
      kind: 'results',
      sentAt: after(b.discoveredAt, 80),
      recipient: 'Роскомнадзор, Управление по СФО',
      content: 'Результаты расследования',
    });
    expect(deadline(late, 'results')).toMatchObject({ state: 'late', sentAt: after(b.discoveredAt, 80) });
    // A correction sent later is another notice; the deadline follows the first one.
    const more = await notice(b.id, { kind: 'initial', sentAt: after(b.discoveredAt, 30), content: 'Дополнение' });
    expect(deadline(more, 'initial')).toMatchObject({ state: 'met', sentAt: after(b.discoveredAt, 20) });
    expect(more.notices.map((n) => [n.kind, n.sentAt])).toEqual([
      ['initial', after(b.discoveredAt, 20)],
      ['initial', after(b.discoveredAt, 30)],
      ['results', after(b.discoveredAt, 80)],
    ]);
    expect(more.notices[2]).toMatchObject({ recipient: 'Роскомнадзор, Управление по СФО', content: 'Результаты расследования', recordedBy: { id: adminId } });
    expect(await prisma().breachNotice.count({ where: { breachId: b.id } })).toBe(3);
    expect(await auditOf('breach.notice', b.id)).toHaveLength(3);
  });

  it('a notice sent exactly at the deadline meets it (the shared rule the console uses too)', () => {
    const found = new Date('2026-12-01T10:00:00Z');
    const [initial, results] = breachDeadlines(found, [{ kind: 'initial', sentAt: new Date('2026-12-02T10:00:00Z') }], new Date('2026-12-04T10:00:00.001Z'));
    expect(initial).toMatchObject({ state: 'met' });
    expect(results).toMatchObject({ state: 'overdue', msLeft: -1 });
  });
});

describe('updating, closing and reopening', () => {
  it('changes what is known, closes once (the first close time stays) and reopens', async () => {
    const b = await create({ discoveredAt: ago(3) });
    const res = await admin.patch(`/api/privacy/breaches/${b.id}`, {
      summary: 'Выгрузка на флешке, найдена',
      peopleAffected: 40,
      dataKinds: ['names', 'addresses'],
      measures: 'Флешка уничтожена',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      summary: 'Выгрузка на флешке, найдена',
      peopleAffected: 40,
      dataKinds: ['names', 'addresses'],
      measures: 'Флешка уничтожена',
      closedAt: null,
    });
    const closed = await admin.patch(`/api/privacy/breaches/${b.id}`, { closed: true });
    expect(closed.body.closedAt).not.toBeNull();
    const again = await admin.patch(`/api/privacy/breaches/${b.id}`, { closed: true });
    expect(again.body.closedAt).toBe(closed.body.closedAt);
    const reopened = await admin.patch(`/api/privacy/breaches/${b.id}`, { closed: false });
    expect(reopened.body.closedAt).toBeNull();
    const updates = await auditOf('breach.update', b.id);
    expect(updates.map((u) => (u.detail as { fields: string[] }).fields)).toEqual([
      ['summary', 'peopleAffected', 'dataKinds', 'measures'],
      ['closed'],
      ['closed'],
      ['closed'],
    ]);
  });

  it('answers 404 for a breach that does not exist', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    expect((await admin.get(`/api/privacy/breaches/${none}`)).status).toBe(404);
    expect((await admin.patch(`/api/privacy/breaches/${none}`, { closed: true })).status).toBe(404);
    expect((await admin.post(`/api/privacy/breaches/${none}/notices`, { kind: 'initial', sentAt: ago(0), recipient: 'РКН', content: 'x' })).status).toBe(404);
  });
});

describe('access', () => {
  it('is for admins only', async () => {
    const b = await create({ discoveredAt: ago(1) });
    for (const c of others) {
      expect((await c.get('/api/privacy/breaches')).status).toBe(403);
      expect((await c.get(`/api/privacy/breaches/${b.id}`)).status).toBe(403);
      expect((await c.post('/api/privacy/breaches', { summary: 'x', discoveredAt: ago(1) })).status).toBe(403);
      expect((await c.patch(`/api/privacy/breaches/${b.id}`, { closed: true })).status).toBe(403);
      expect((await c.post(`/api/privacy/breaches/${b.id}/notices`, { kind: 'initial', sentAt: ago(0), recipient: 'РКН', content: 'x' })).status).toBe(403);
    }
    expect((await prisma().dataBreach.findUnique({ where: { id: b.id } }))!.closedAt).toBeNull();
    expect(await prisma().breachNotice.count({ where: { breachId: b.id } })).toBe(0);
  });
});

describe('bad input', () => {
  it('is a 400 naming the field, and changes nothing', async () => {
    const b = await create({ discoveredAt: ago(2) });
    const counts = async () => [await prisma().dataBreach.count(), await prisma().breachNotice.count(), await prisma().auditLog.count()];
    const before = await counts();
    const future = new Date(Date.now() + 24 * H).toISOString();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/privacy/breaches', { summary: '  ', discoveredAt: ago(1) }, 'body.summary'],
      ['POST', '/api/privacy/breaches', { summary: 'x' }, 'body.discoveredAt'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: 'yesterday' }, 'body.discoveredAt'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: future }, 'body.discoveredAt'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: ago(2), occurredAt: ago(1) }, 'body.occurredAt'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: ago(1), dataKinds: ['souls'] }, 'body.dataKinds.0'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: ago(1), peopleAffected: -1 }, 'body.peopleAffected'],
      ['POST', '/api/privacy/breaches', { summary: 'x', discoveredAt: ago(1), peopleAffected: 1.5 }, 'body.peopleAffected'],
      ['PATCH', `/api/privacy/breaches/${b.id}`, {}, 'body'],
      ['PATCH', `/api/privacy/breaches/${b.id}`, { closed: 'yes' }, 'body.closed'],
      ['PATCH', `/api/privacy/breaches/${b.id}`, { occurredAt: ago(0) }, 'body.occurredAt'],
      ['PATCH', '/api/privacy/breaches/42', { closed: true }, 'params.id'],
      ['POST', `/api/privacy/breaches/${b.id}/notices`, { kind: 'final', sentAt: ago(0), recipient: 'РКН', content: 'x' }, 'body.kind'],
      ['POST', `/api/privacy/breaches/${b.id}/notices`, { kind: 'initial', sentAt: ago(3), recipient: 'РКН', content: 'x' }, 'body.sentAt'],
      ['POST', `/api/privacy/breaches/${b.id}/notices`, { kind: 'initial', sentAt: future, recipient: 'РКН', content: 'x' }, 'body.sentAt'],
      ['POST', `/api/privacy/breaches/${b.id}/notices`, { kind: 'initial', sentAt: ago(0), recipient: '', content: 'x' }, 'body.recipient'],
      ['POST', `/api/privacy/breaches/${b.id}/notices`, { kind: 'initial', sentAt: ago(0), recipient: 'РКН' }, 'body.content'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await admin.request(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(
        res.body.fields.map((f: { path: string }) => f.path),
        `${method} ${path} ${JSON.stringify(body)}`,
      ).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });
});
