// Retention on real PostgreSQL and Redis: a person seeded across every table retention reaches,
// with dates past every period, is emptied from each table listed in personal-data.ts; a fresh
// person and people held by active work (an open case, a pending follow-up, a dispatch under way)
// are untouched; each kind that touched rows writes one destruction record, audited; a second
// run writes nothing; two runs at once do the work once. Then the admin API: list with filters
// and pages, one record, run now (audited, 409 while another runs), admin only, bad input 400.
// The same run on embedded PGlite closes the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_KINDS } from '@trustline/shared';
import { phoneCrypto } from '../../server/src/crypto/phone.js';
import { openDatabase } from '../../server/src/db/database.js';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { transactor } from '../../server/src/db/tx.js';
import { auditRepository } from '../../server/src/modules/audit/audit.repository.js';
import { auditService } from '../../server/src/modules/audit/audit.service.js';
import { PERSONAL_DATA } from '../../server/src/modules/retention/personal-data.js';
import { retentionRepository } from '../../server/src/modules/retention/retention.repository.js';
import { redisRunLock, retentionService } from '../../server/src/modules/retention/retention.service.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { signedIn, type Client } from '../helpers/http.js';
import { seedPerson, tableDump, type SeededPerson } from '../helpers/retention.js';
import { startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';

const DAYS = 30;
const env = Object.fromEntries(
  ['CONTACT_RETENTION_DAYS', ...RETENTION_KINDS.filter((k) => k !== 'contacts').map((k) => `RETENTION_${k.toUpperCase()}_DAYS`)].map((k) => [k, String(DAYS)]),
);
const old = () => new Date(Date.now() - 2 * DAYS * 86_400_000);
const fresh = () => new Date(Date.now() - 86_400_000);
const TABLES = Object.keys(PERSONAL_DATA).filter((t) => t !== 'OptOut');

let server: TestServer;
let admin: Client;
let adminId: string;
let operator: Client;
let expired: SeededPerson;
let recent: SeededPerson;
let held: SeededPerson[];
const prisma = () => server.services.infra.db.prisma;

beforeAll(async () => {
  server = await startTestServer({ env: { ...env, AUTH_TOTP_REQUIRED_ROLES: '' } });
  const a = await signedIn(server.url, server.services, ['admin']);
  admin = a.client;
  adminId = a.user.id;
  operator = (await signedIn(server.url, server.services, ['operator'])).client;
  const p = prisma();
  expired = await seedPerson(p, server.services.phones, old());
  recent = await seedPerson(p, server.services.phones, fresh());
  held = [
    await seedPerson(p, server.services.phones, old(), 'open-case'),
    await seedPerson(p, server.services.phones, old(), 'follow-up'),
    await seedPerson(p, server.services.phones, old(), 'active-dispatch'),
  ];
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** Tables whose rows still hold the person's tag (every text seeded) or one of their sealed numbers. */
const holding = (dump: Record<string, string>, who: SeededPerson) =>
  Object.entries(dump)
    .filter(([, rows]) => [who.tag, ...who.sealed].some((x) => rows.includes(x)))
    .map(([t]) => t)
    .sort();

describe('retention run', () => {
  it('empties every listed table of an expired person and writes one audited record per kind', async () => {
    const out = (await server.services.retention.run())!;
    const dump = await tableDump(prisma(), TABLES);
    expect(holding(dump, expired)).toEqual([]);
    const p = prisma();
    expect(await p.contactIdentity.count({ where: { contactId: { in: [expired.contactId, expired.draftId] } } })).toBe(0);
    expect(await p.contactPerson.count({ where: { contactId: { in: [expired.contactId, expired.draftId] } } })).toBe(0);
    expect(await p.caseMember.count({ where: { caseId: expired.caseId } })).toBe(0);
    expect(await p.callbackRequest.count({ where: { id: expired.callbackId } })).toBe(0);
    // The blind indexes and note tokens of encryption at rest go with the fields they index.
    expect(await p.case.findUniqueOrThrow({ where: { id: expired.caseId } })).toMatchObject({ subjectNameIndex: null });
    expect(await p.dispatch.findUniqueOrThrow({ where: { id: expired.dispatchId } })).toMatchObject({ recipientNameIndex: null });
    expect(await p.contact.findUniqueOrThrow({ where: { id: expired.contactId } })).toMatchObject({ summaryTokens: [], actionsTokens: [], planTokens: [] });
    expect((await p.case.findUniqueOrThrow({ where: { id: recent.caseId } })).subjectNameIndex).toBeTruthy();
    // The anonymous record stays for statistics: the contact, its risk and outcome, the case's stage and dates.
    expect(await p.contact.findUniqueOrThrow({ where: { id: expired.contactId } })).toMatchObject({ identified: false, status: 'finalised' });
    expect(await p.case.findUniqueOrThrow({ where: { id: expired.caseId } })).toMatchObject({ stage: 'closed', closeReason: 'situation_improved' });

    const kinds = out.records.map((r) => r.kind).sort();
    expect(kinds).toEqual([...RETENTION_KINDS].sort());
    const records = await p.destructionRecord.findMany({ where: { runId: out.runId } });
    expect(records).toHaveLength(RETENTION_KINDS.length);
    for (const r of records) {
      const tables = r.tables as Record<string, number>;
      expect(r).toMatchObject({ basis: 'retention', periodDays: DAYS, actorLabel: 'system:retention', actorId: null, reference: null });
      expect(r.rows).toBe(Object.values(tables).reduce((a, b) => a + b, 0));
      expect(r.method).toBe(r.kind === 'callbacks' ? 'deleted' : 'anonymised');
    }
    const by = Object.fromEntries(records.map((r) => [r.kind, r]));
    // Every expired flag goes, the held people's too: a flag past its expiry holds nothing.
    expect(by.contacts!.tables).toEqual({ Contact: 1, ContactIdentity: 1, ContactPerson: 1, CallerFlag: 4 });
    expect(by.contacts!.categories).toEqual(expect.arrayContaining(['name', 'age', 'address', 'phone', 'family', 'notes']));
    expect(by.drafts!.tables).toEqual({ Contact: 4, ContactIdentity: 4, ContactPerson: 4 });
    expect(by.calls!.tables).toEqual({ Call: 1 });
    expect(by.messages!.tables).toEqual({ Message: 1, Conversation: 1 });
    expect(by.messages!.categories).toEqual(['message_media', 'message_text', 'phone']);
    expect(by.callbacks!.tables).toEqual({ CallbackRequest: 1 });
    expect(by.callbacks!.categories).toEqual(['phone', 'voicemail']);
    expect(by.dispatches!.tables).toEqual({ Dispatch: 1, DispatchEvent: 1 });
    expect(by.cases!.tables).toEqual({ Case: 1, CaseMember: 1, CaseNote: 1, CaseGoal: 1, CaseTask: 1, CaseTransition: 1 });
    expect(by.cases!.categories).toEqual(expect.arrayContaining(['name', 'address', 'family', 'notes', 'case_plan']));
    const audits = await p.auditLog.findMany({ where: { action: 'retention.destroy' } });
    expect(audits.map((a) => a.entityId).sort()).toEqual(records.map((r) => r.id).sort());
    expect(await p.auditLog.count({ where: { action: 'contact.identity.anonymise', entityId: expired.contactId } })).toBe(1);
    expect(out.kept.contacts).toBe(3);
  });

  it('leaves a fresh person and everyone active work holds untouched (their drafts, never linked, go)', async () => {
    const dump = await tableDump(prisma(), TABLES);
    const all = TABLES.filter((t) => t !== 'CallerFlag');
    expect(holding(dump, recent)).toEqual([...all, 'CallerFlag'].sort());
    for (const h of held) {
      // The open case's own rows are open; the others' closed case is held by its held contact.
      expect(holding(dump, h), h.tag).toEqual([...all].sort());
      expect(await prisma().contactIdentity.count({ where: { contactId: h.contactId } })).toBe(1);
      expect(await prisma().contactIdentity.count({ where: { contactId: h.draftId } })).toBe(0);
    }
  });

  it('writes nothing more when run again, and two runs at once do the work once', async () => {
    const before = await prisma().destructionRecord.count();
    const again = (await server.services.retention.run())!;
    expect(again.records).toEqual([]);
    const more = await seedPerson(prisma(), server.services.phones, old());
    const both = await Promise.all([server.services.retention.run(), server.services.retention.run()]);
    const ran = both.filter((x) => x !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]!.records.map((r) => r.kind).sort()).toEqual([...RETENTION_KINDS].sort());
    expect(holding(await tableDump(prisma(), TABLES), more)).toEqual([]);
    expect(await prisma().destructionRecord.count()).toBe(before + RETENTION_KINDS.length);
  });
});

describe('destruction records API', () => {
  it('lists records newest first by kind and date range, in pages, and reads one', async () => {
    const all = await admin.get('/api/privacy/destruction-records?limit=200');
    expect(all.status, all.text).toBe(200);
    expect(all.body.items.length).toBe(2 * RETENTION_KINDS.length);
    const numbers = all.body.items.map((r: { number: number }) => r.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    const cases = await admin.get('/api/privacy/destruction-records?kind=cases');
    expect(cases.body.items.map((r: { kind: string }) => r.kind)).toEqual(['cases', 'cases']);
    expect(cases.body.items[0]).toMatchObject({
      method: 'anonymised',
      basis: 'retention',
      periodDays: DAYS,
      subjects: ['case_subjects', 'family_members'],
      actor: { id: null, label: 'system:retention' },
    });
    const p1 = await admin.get('/api/privacy/destruction-records?limit=5');
    expect(p1.body.items).toHaveLength(5);
    const p2 = await admin.get(`/api/privacy/destruction-records?limit=5&before=${p1.body.next}`);
    expect(p2.body.items[0].number).toBe(p1.body.items[4].number - 1);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await admin.get(`/api/privacy/destruction-records?from=${tomorrow}`)).body.items).toEqual([]);
    expect((await admin.get(`/api/privacy/destruction-records?to=${tomorrow}`)).body.items.length).toBe(2 * RETENTION_KINDS.length);
    const one = await admin.get(`/api/privacy/destruction-records/${cases.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(cases.body.items[0]);
  });

  it('answers bad input with a 400 naming the field, an unknown record with 404, and others with 403', async () => {
    const bad = await admin.get('/api/privacy/destruction-records?kind=people');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('kind');
    const range = await admin.get('/api/privacy/destruction-records?from=2026-03-02&to=2026-03-01');
    expect(range.status).toBe(400);
    expect(range.text).toContain('to must be later than from');
    expect((await admin.get('/api/privacy/destruction-records?from=yesterday')).status).toBe(400);
    expect((await admin.get('/api/privacy/destruction-records/not-an-id')).status).toBe(400);
    expect((await admin.get('/api/privacy/destruction-records/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await operator.get('/api/privacy/destruction-records')).status).toBe(403);
    expect((await operator.post('/api/privacy/retention/run', {})).status).toBe(403);
    const kinds = await admin.post('/api/privacy/retention/run', { kinds: ['everything'] });
    expect(kinds.status).toBe(400);
    expect(kinds.text).toContain('kinds');
  });

  it('runs retention now for an admin, audited with who asked; 409 while another run holds the lock', async () => {
    const more = await seedPerson(prisma(), server.services.phones, old());
    const res = await admin.post('/api/privacy/retention/run', { kinds: ['messages', 'callbacks'] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.records.map((r: { kind: string }) => r.kind)).toEqual(['messages', 'callbacks']);
    expect(res.body.records[0].actor).toMatchObject({ id: adminId });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: more.messageId } })).toMatchObject({ body: '' });
    expect(await prisma().auditLog.count({ where: { action: 'retention.run', actorId: adminId, entityId: res.body.runId } })).toBe(1);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.set(`${server.config.redisPrefix}:retention:lock`, 'someone-else', 'PX', 10_000);
      const busy = await admin.post('/api/privacy/retention/run', {});
      expect(busy.status).toBe(409);
      expect(busy.body.code).toBe('RETENTION_RUNNING');
    } finally {
      await redis.del(`${server.config.redisPrefix}:retention:lock`);
      redis.disconnect();
    }
  });
});

describe('retention on embedded PGlite', () => {
  it('runs the same policies and writes the same records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-pglite-retention-'));
    const db = await openDatabase({ kind: 'pglite', dir });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await applyMigrations(db.adapterFactory);
      const p = db.prisma;
      const periods = { contacts: DAYS, drafts: DAYS, calls: DAYS, messages: DAYS, callbacks: DAYS, dispatches: DAYS, cases: DAYS };
      const svc = retentionService({
        repo: retentionRepository(p),
        transaction: transactor(p),
        audit: auditService(auditRepository(p)),
        lock: redisRunLock(redis, `pglite-retention-${Date.now()}`),
        periods,
      });
      const phones = phoneCrypto(TEST_APP_SECRET);
      const gone = await seedPerson(p, phones, old());
      const kept = await seedPerson(p, phones, old(), 'open-case');
      const out = (await svc.run())!;
      expect(out.records.map((r) => r.kind).sort()).toEqual([...RETENTION_KINDS].sort());
      const dump = await tableDump(p, TABLES);
      expect(holding(dump, gone)).toEqual([]);
      expect(holding(dump, kept)).toEqual(TABLES.filter((t) => t !== 'CallerFlag').sort());
      expect((await svc.run())!.records).toEqual([]);
    } finally {
      redis.disconnect();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
