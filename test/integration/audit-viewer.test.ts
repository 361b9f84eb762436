// The audit viewer's API: readable names (who, what, which record, why), filters, paging, and
// the CSV export of the filtered view, which only supervisors and admins get and which is
// itself audited. Real PostgreSQL; entries are written through the same `audit.record` the
// features use.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine } from '../helpers/telephony.js';
import { systemActor, type Actor } from '../../server/src/modules/audit/audit.service.js';

let server: TestServer;
let sup: Client;
let supActor: Actor;
let admin: Client;
let operator: Client;
let subject: Awaited<ReturnType<typeof makeUser>>;
const contactId = randomUUID();
const run = Date.now().toString(36);
let startedAt: string;

beforeAll(async () => {
  server = await startTestServer();
  startedAt = new Date(Date.now() - 1000).toISOString();
  const s = await signedIn(server.url, server.services, ['supervisor']);
  sup = s.client;
  supActor = { userId: s.user.id, label: s.user.username };
  admin = (await signedIn(server.url, server.services, ['admin'])).client;
  operator = (await signedIn(server.url, server.services, ['operator'])).client;
  subject = await makeUser(server.services, ['operator']);
  const { audit } = server.services;
  await audit.record(supActor, 'wallboard.operator-state', { entity: 'User', entityId: subject.id, detail: { state: 'break' } });
  await audit.record(supActor, 'contact.identity.read', { entity: 'Contact', entityId: contactId, detail: { view: 'full', reason: 'Court request 12/2026' } });
  await audit.record(supActor, 'case.assign', { entity: 'Case', entityId: randomUUID(), detail: { from: null, to: subject.id } });
  // A reason typed as a formula: the CSV must write it as text.
  await audit.record(supActor, 'telephony.conversation.close', {
    entity: 'Conversation',
    entityId: randomUUID(),
    detail: { reason: '=HYPERLINK("http://x","y")' },
  });
  for (let i = 0; i < 7; i++) await audit.record(systemActor('cli'), 'report.view', { entity: 'report', entityId: `page-${run}-${i}` });
});
afterAll(async () => {
  await server?.close();
});

const list = async (c: Client, query: string) => {
  const res = await c.get(`/api/audit?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Array<Record<string, any>>;
};

describe('audit viewer', () => {
  it('names who did what to which record, and why, without raw ids or JSON', async () => {
    const rows = await list(sup, `actorId=${supActor.userId}&from=${startedAt}`);
    const state = rows.find((r) => r.action === 'wallboard.operator-state')!;
    expect(state.actor).toEqual({ displayName: `Test ${supActor.label}`, username: supActor.label });
    expect(state.reference).toBe(`Test ${subject.username} (${subject.username})`);
    const read = rows.find((r) => r.action === 'contact.identity.read')!;
    expect(read.reason).toBe('Court request 12/2026');
    // A contact no table knows any more is named by its short id, never by a caller.
    expect(read.reference).toBe(contactId.slice(0, 8));
    const assign = rows.find((r) => r.action === 'case.assign')!;
    expect(assign.refs[subject.id]).toEqual({ entity: 'User', text: `Test ${subject.username} (${subject.username})` });

    const cli = await list(sup, `q=page-${run}-3`);
    expect(cli).toHaveLength(1);
    expect(cli[0]).toMatchObject({ actor: null, actorLabel: 'system:cli', reference: `page-${run}-3`, reason: null });
  });

  it('filters by action exactly, by action group, by record kind and id, and by date range', async () => {
    const exact = await list(sup, `action=auth.login&from=${startedAt}`);
    expect(exact.length).toBeGreaterThan(0);
    expect(new Set(exact.map((r) => r.action))).toEqual(new Set(['auth.login']));
    const group = await list(sup, `group=user&from=${startedAt}`);
    expect(group.map((r) => r.action)).toContain('user.create');
    expect(group.every((r) => r.action.startsWith('user.'))).toBe(true);
    const byRecord = await list(sup, `entity=Contact&entityId=${contactId}`);
    expect(byRecord.map((r) => r.action)).toEqual(['contact.identity.read']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await list(sup, `from=${future}`)).toEqual([]);
  });

  it('finds entries by the text of their reference: a username, a line name, a short id', async () => {
    const byUser = await list(sup, `q=${subject.username}`);
    expect(byUser.map((r) => r.action)).toEqual(expect.arrayContaining(['user.create', 'wallboard.operator-state']));
    expect(byUser.every((r) => r.entity === 'User' && r.entityId === subject.id)).toBe(true);
    const line = await makeLine(server, `+7495${run.slice(-7).replace(/\D/g, '7').padStart(7, '1')}`);
    const byLine = await list(sup, `q=${encodeURIComponent(line.name)}`);
    expect(byLine.map((r) => r.action)).toContain('telephony.line.create');
    expect(byLine.find((r) => r.action === 'telephony.line.create')!.reference).toBe(line.name);
    expect((await list(sup, `q=${contactId.slice(0, 8)}`)).map((r) => r.entityId)).toEqual([contactId]);
  });

  it('pages newest first with the before cursor, without overlap or gaps', async () => {
    const seen: string[] = [];
    let before = '';
    for (;;) {
      const page = await list(sup, `q=page-${run}&limit=3${before ? `&before=${before}` : ''}`);
      seen.push(...page.map((r) => r.entityId));
      if (page.length < 3) break;
      before = page.at(-1)!.id;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `page-${run}-${i}`));
  });

  it('refuses bad filters with 400 naming the field, and changes nothing', async () => {
    const before = await server.services.infra.db.prisma.auditLog.count();
    for (const [query, field] of [
      ['group=nope', 'querystring.group'],
      ['action=DROP%20TABLE', 'querystring.action'],
      ['from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z', 'querystring.to'],
      ['actorId=someone', 'querystring.actorId'],
      ['q=%20%20', 'querystring.q'],
    ] as const) {
      for (const path of ['/api/audit', '/api/audit/export.csv']) {
        const res = await sup.get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(
          res.body.fields.map((f: { path: string }) => f.path),
          query,
        ).toContain(field);
      }
    }
    expect(await server.services.infra.db.prisma.auditLog.count()).toBe(before);
  });
});

describe('audit CSV export', () => {
  it('writes the filtered view in English: BOM, labels, readable details, formula-safe cells', async () => {
    const res = await sup.get(`/api/audit/export.csv?actorId=${supActor.userId}&from=${startedAt}&lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit_\d{4}-\d{2}-\d{2}\.csv"$/);
    // fetch's text() drops a BOM, so the bytes are read.
    const raw = new Uint8Array(
      await (await fetch(`${server.url}/api/audit/export.csv?lang=en&q=page-${run}`, { headers: { cookie: sup.cookieHeader } })).arrayBuffer(),
    );
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('When (Europe/Moscow),Who,Action,Action code,Record type,Record,Record id,Reason,Details,IP address');
    expect(lines).toHaveLength(7); // the four above and the supervisor's own sign-in (password accepted, then signed in with the code)
    const who = `Test ${supActor.label} (${supActor.label})`;
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,${who.replace(/[()]/g, '\\$&')},Viewed identity details of a contact,` +
            `contact.identity.read,Contact,${contactId.slice(0, 8)},${contactId},Court request 12/2026,view: full,`,
        ),
      ),
    );
    const assign = lines.find((l) => l.includes('case.assign'))!;
    expect(assign).toContain(`to: Test ${subject.username} (${subject.username})`);
    expect(assign).toContain('from: —');
    // The formula is text: quoted and led by an apostrophe.
    expect(lines.find((l) => l.includes('telephony.conversation.close'))).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(res.text).not.toMatch(/[{}]/);
  });

  it('writes Russian column names, labels and ; for a Russian reader', async () => {
    const res = await admin.get(`/api/audit/export.csv?q=page-${run}&lang=ru`);
    expect(res.status).toBe(200);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Когда (Europe/Moscow);Кто;Действие;Код действия;Тип записи;Запись;Идентификатор записи;Причина;Подробности;IP-адрес');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(new RegExp(`;Система: cli;Просмотрен отчёт;report\\.view;Отчёт;page-${run}-6;page-${run}-6;;;$`));
  });

  it('is audited: who exported, with which filters and how many rows, never the search text', async () => {
    await sup.get(`/api/audit/export.csv?q=page-${run}&group=report&lang=en`);
    const entry = await server.services.infra.db.prisma.auditLog.findFirst({
      where: { action: 'audit.export', actorId: supActor.userId },
      orderBy: { id: 'desc' },
    });
    expect(entry).toMatchObject({ entity: 'AuditLog', detail: { rows: 7, lang: 'en', filters: { group: 'report', text: true } } });
    expect(JSON.stringify(entry!.detail)).not.toContain(`page-${run}`);
    const shown = await list(sup, `action=audit.export&actorId=${supActor.userId}`);
    expect(shown[0]).toMatchObject({ action: 'audit.export', actor: { username: supActor.label } });
  });

  it('is for supervisors and admins only', async () => {
    expect((await operator.get('/api/audit/export.csv?lang=en')).status).toBe(403);
    expect((await new Client(server.url).get('/api/audit/export.csv?lang=en')).status).toBe(401);
    const exports = await server.services.infra.db.prisma.auditLog.count({ where: { action: 'audit.export', actorId: { not: supActor.userId } } });
    expect(exports).toBe(1); // the admin's Russian export above, none for the refused calls
  });
});
