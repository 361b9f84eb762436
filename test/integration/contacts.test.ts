// Contacts end to end through the real server: drafts that survive a dropped connection,
// optimistic versioning, risk triage with R4 alerts and the checklist, R3 requirements,
// identified data behind consent with audit entries, repeat callers, follow-up reminders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, nextEvent } from '../helpers/socket.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';

let server: TestServer;
let op: { client: Client; user: { id: string } };
let sup: { client: Client; user: { id: string } };
let cats: { id: string; code: string; retired: boolean }[];

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  op = await signedIn(server.url, server.services, ['operator']);
  sup = await signedIn(server.url, server.services, ['supervisor']);
  cats = (await op.client.get('/api/contact-categories')).body;
});
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const cat = (code: string) => cats.find((c) => c.code === code)!.id;
async function offline(client = op.client) {
  const res = await client.post('/api/contacts', { channel: 'walk-in' });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
}

describe('reference data', () => {
  it('seeds the helpline taxonomy in Russian and English and 13 example areas', async () => {
    expect(cats.length).toBeGreaterThanOrEqual(35);
    const sh = cats.find((c) => c.code === 'mental-health.self-harm') as unknown as { labelRu: string; labelEn: string };
    expect(sh).toMatchObject({ labelRu: 'Самоповреждение', labelEn: 'Self-harm' });
    const areas = (await op.client.get('/api/areas')).body as { kind: string; example: boolean }[];
    expect(areas.filter((a) => a.kind === 'city-district')).toHaveLength(2);
    expect(areas.filter((a) => a.kind === 'settlement')).toHaveLength(11);
    expect(areas.every((a) => a.example)).toBe(true);
  });
});

describe('drafts and autosave', () => {
  it('creates an offline draft at once and saves every change with a new version', async () => {
    const c = await offline();
    expect(c).toMatchObject({ status: 'draft', version: 1, channel: 'walk-in', riskLevel: 'R0', identified: false });
    const saved = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, summary: 'Мама спрашивает о пособиях', categoryIds: [cat('legal.benefits')] });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.categories.map((x: { code: string }) => x.code)).toEqual(['legal.benefits']);
  });

  it('catches a stale version: 409 CONTACT_VERSION_CONFLICT with the server copy, nothing changed', async () => {
    const c = await offline();
    expect((await op.client.patch(`/api/contacts/${c.id}`, { version: 1, summary: 'first tab' })).status).toBe(200);
    const stale = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, summary: 'second tab' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONTACT_VERSION_CONFLICT');
    expect(stale.body.current).toMatchObject({ id: c.id, version: 2, summary: 'first tab' });
    expect((await prisma().contact.findUnique({ where: { id: c.id } }))!.summary).toBe('first tab');
  });

  it('keeps a draft through a dropped socket: saved before the drop, intact after reconnecting', async () => {
    const c = await offline();
    const s1 = await connectSocket(server.url, op.client.cookieHeader);
    const ack = await s1.emitWithAck('contact:save', { id: c.id, patch: { version: 1, summary: 'Подросток, травля в школе', ageGroup: '14-17' } });
    expect(ack).toMatchObject({ ok: true });
    // A change sent and the connection dropped before its answer.
    s1.emit('contact:save', { id: c.id, patch: { version: 2, actionsTaken: 'выслушали' } }, () => {});
    s1.disconnect();
    const s2 = await connectSocket(server.url, op.client.cookieHeader);
    const got = await s2.emitWithAck('contact:get', { id: c.id });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.data.summary).toBe('Подросток, травля в школе');
    expect(got.data.hasMinor).toBe(true);
    // Either the in-flight save landed whole (version 3) or not at all (version 2): never half.
    if (got.data.version === 3) expect(got.data.actionsTaken).toBe('выслушали');
    else expect(got.data).toMatchObject({ version: 2, actionsTaken: '' });
    const again = await s2.emitWithAck('contact:save', { id: c.id, patch: { version: got.data.version, outcome: 'information-given' } });
    expect(again).toMatchObject({ ok: true, data: { outcome: 'information-given' } });
    s2.disconnect();
  });

  it('names the bad field and changes nothing', async () => {
    const c = await offline();
    const bad = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, screener: { suicidePlan: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toContain('screener');
    const unknownCat = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, categoryIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownCat.status).toBe(400);
    expect(unknownCat.body.fields[0].path).toBe('body.categoryIds');
    expect((await prisma().contact.findUnique({ where: { id: c.id } }))!.version).toBe(1);
  });

  it('opens a draft for a call once, for the operator who took it, and tells their console', async () => {
    const callId = crypto.randomUUID();
    const sock = await connectSocket(server.url, op.client.cookieHeader);
    const opened = nextEvent(sock, 'contact:opened', (p) => p.callId === callId);
    const a = await server.services.contacts.openDraftFor({ source: 'call', callId, operatorId: op.user.id });
    const b = await server.services.contacts.openDraftFor({ source: 'call', callId, operatorId: op.user.id });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.contact.id).toBe(a.contact.id);
    expect((await opened).contactId).toBe(a.contact.id);
    expect(await prisma().contact.count({ where: { callId } })).toBe(1);
    sock.disconnect();
  });
});

describe('risk triage', () => {
  it('R4: alerts every supervisor at once, blocks finalising until the checklist is complete', async () => {
    const supSock = await connectSocket(server.url, sup.client.cookieHeader);
    const c = await offline();
    const alert = nextEvent(supSock, 'contact:alert-raised', (p) => p.contactId === c.id);
    const r4 = await op.client.patch(`/api/contacts/${c.id}`, {
      version: 1,
      screener: { suicideThoughtsNow: 'yes', suicideIntent: 'yes', suicidePlan: 'yes' },
      categoryIds: [cat('mental-health.suicidal-thoughts')],
    });
    expect(r4.body).toMatchObject({ computedRisk: 'R4', riskLevel: 'R4' });
    expect(r4.body.riskRules).toEqual(expect.arrayContaining(['S2', 'S3', 'S4', 'S6']));
    expect(await alert).toMatchObject({ contactId: c.id, riskLevel: 'R4', operatorId: op.user.id });

    const high = await sup.client.get('/api/contacts/high-risk');
    expect(high.body.find((h: { id: string }) => h.id === c.id)).toMatchObject({ riskLevel: 'R4', alertAckedAt: null });

    let v = r4.body.version;
    const blocked = await op.client.post(`/api/contacts/${c.id}/finalise`, { version: v });
    expect(blocked.status).toBe(422);
    expect(blocked.body.code).toBe('CONTACT_R4_CHECKLIST_INCOMPLETE');
    expect(blocked.body.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        'safetyChecklist.locationConfirmed',
        'safetyChecklist.emergencyCalled',
        'safetyChecklist.stayedOnLine',
        'safetyChecklist.supervisorJoined',
      ]),
    );

    const acked = nextEvent(supSock, 'contact:alert-acknowledged', (p) => p.contactId === c.id);
    expect((await sup.client.post(`/api/contacts/${c.id}/alert/ack`)).status).toBe(200);
    expect((await acked).by).toBe(sup.user.id);

    const due = new Date(Date.now() + 86_400_000).toISOString();
    let res = await op.client.patch(`/api/contacts/${c.id}`, {
      version: v,
      safetyChecklist: { locationConfirmed: true, emergencyCalled: true, stayedOnLine: true },
      safetyPlan: 'Останется с соседкой; утром звонок',
      followUpAt: due,
      followUpAssigneeId: op.user.id,
    });
    v = res.body.version;
    expect((await op.client.post(`/api/contacts/${c.id}/finalise`, { version: v })).body.fields).toEqual([
      { path: 'safetyChecklist.supervisorJoined', message: 'required for R4' },
    ]);
    res = await op.client.patch(`/api/contacts/${c.id}`, { version: v, safetyChecklist: { supervisorJoined: true } });
    const done = await op.client.post(`/api/contacts/${c.id}/finalise`, { version: res.body.version });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('finalised');
    supSock.disconnect();
  });

  it('R4 can be finalised without the checklist only after a supervisor signs off with a reason', async () => {
    const c = await offline();
    let res = await op.client.patch(`/api/contacts/${c.id}`, {
      version: 1,
      screener: { childWithDangerousPerson: 'yes' },
      safetyPlan: 'police informed',
      followUpAt: new Date(Date.now() + 3_600_000).toISOString(),
      followUpAssigneeId: op.user.id,
    });
    expect(res.body.riskLevel).toBe('R4');
    expect((await op.client.post(`/api/contacts/${c.id}/r4-sign-off`, { reason: 'call dropped' })).status).toBe(403);
    expect((await sup.client.post(`/api/contacts/${c.id}/r4-sign-off`, { reason: 'caller hung up before location' })).status).toBe(200);
    res = await op.client.get(`/api/contacts/${c.id}`);
    expect((await op.client.post(`/api/contacts/${c.id}/finalise`, { version: res.body.version })).status).toBe(200);
  });

  it('R3 needs a safety plan and a follow-up before finalising', async () => {
    const c = await offline();
    const res = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, screener: { needsSafePlaceTonight: 'no' } });
    expect(res.body.riskLevel).toBe('R3');
    const blocked = await op.client.post(`/api/contacts/${c.id}/finalise`, { version: res.body.version });
    expect(blocked.status).toBe(422);
    expect(blocked.body.fields.map((f: { path: string }) => f.path).sort()).toEqual(['followUpAssigneeId', 'followUpAt', 'safetyPlan']);
  });

  it('an operator may raise the level with a reason but not lower it; a supervisor may', async () => {
    const c = await offline();
    let res = await op.client.patch(`/api/contacts/${c.id}`, { version: 1, riskOverride: { level: 'R2', reason: 'voice sounded distressed' } });
    expect(res.body).toMatchObject({ computedRisk: 'R0', riskLevel: 'R2' });
    res = await op.client.patch(`/api/contacts/${c.id}`, { version: res.body.version, screener: { violenceHurtingNow: 'yes' } });
    expect(res.body).toMatchObject({ computedRisk: 'R3', riskLevel: 'R3' });
    const lower = await op.client.patch(`/api/contacts/${c.id}`, { version: res.body.version, riskOverride: { level: 'R1', reason: 'it was a film plot' } });
    expect(lower.status).toBe(403);
    expect(lower.body.code).toBe('RISK_LOWER_NEEDS_SUPERVISOR');
    const bySup = await sup.client.patch(`/api/contacts/${c.id}`, { version: res.body.version, riskOverride: { level: 'R1', reason: 'it was a film plot' } });
    expect(bySup.body).toMatchObject({ computedRisk: 'R3', riskLevel: 'R1' });
    const audit = await prisma().auditLog.findMany({ where: { action: 'contact.risk-override', entityId: c.id } });
    expect(audit).toHaveLength(2);
  });

  it('only a supervisor reopens a finalised contact', async () => {
    const c = await offline();
    expect((await op.client.post(`/api/contacts/${c.id}/finalise`, { version: 1 })).status).toBe(200);
    expect((await op.client.patch(`/api/contacts/${c.id}`, { version: 2, summary: 'late edit' })).body.code).toBe('CONTACT_FINALISED');
    expect((await op.client.post(`/api/contacts/${c.id}/reopen`, { reason: 'more to add' })).status).toBe(403);
    const re = await sup.client.post(`/api/contacts/${c.id}/reopen`, { reason: 'more to add' });
    expect(re.body.status).toBe('reopened');
    expect((await op.client.patch(`/api/contacts/${c.id}`, { version: re.body.version, summary: 'late edit' })).status).toBe(200);
  });
});

describe('identified data', () => {
  it('stores identity only with consent, masks the call-back number, audits change and read', async () => {
    const c = await offline();
    const res = await op.client.patch(`/api/contacts/${c.id}`, {
      version: 1,
      identity: { consent: true, name: 'Анна', age: 34, address: 'ул. Ленина, 1', callbackPhone: '+7 913 555-12-34', people: [{ relation: 'child', age: 6 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.identified).toBe(true);
    expect(res.body.hasMinor).toBe(true);
    expect(res.body.identity.callbackPhoneLabel).toMatch(/^K-[A-Z]{5}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/1234/);
    expect(JSON.stringify(res.body)).not.toContain('555-12');
    const row = await prisma().contactIdentity.findUnique({ where: { contactId: c.id } });
    expect(row!.phoneSealed).not.toContain('555');
    expect(row!.consentAt).toBeInstanceOf(Date);
    await op.client.get(`/api/contacts/${c.id}`);
    const actions = (await prisma().auditLog.findMany({ where: { entityId: c.id } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.identity.update', 'contact.identity.read']));
    // Withdrawn consent removes the identified part.
    const off = await op.client.patch(`/api/contacts/${c.id}`, { version: res.body.version, identity: { consent: false } });
    expect(off.body).toMatchObject({ identified: false, identity: null });
    expect(await prisma().contactPerson.count({ where: { contactId: c.id } })).toBe(0);
  });

  it('links repeat contacts by the phone hash and shows N earlier contacts without the number', async () => {
    const hash = server.services.phones.hash('+79990001122');
    const first = await server.services.contacts.openDraftFor({ source: 'call', callId: crypto.randomUUID(), operatorId: op.user.id, phoneHash: hash });
    await prisma().contactCategory.create({ data: { contactId: first.contact.id, categoryId: cat('family.conflict') } });
    await new Promise((r) => setTimeout(r, 5));
    const second = await server.services.contacts.openDraftFor({
      source: 'conversation',
      conversationId: crypto.randomUUID(),
      channel: 'sms',
      operatorId: op.user.id,
      phoneHash: hash,
    });
    const h = await op.client.get(`/api/contacts/${second.contact.id}/history`);
    expect(h.status).toBe(200);
    expect(h.body.count).toBe(1);
    expect(h.body.items[0]).toMatchObject({ id: first.contact.id, channel: 'voice', riskLevel: 'R0' });
    expect(h.body.items[0].categories[0].code).toBe('family.conflict');
    expect(JSON.stringify(h.body)).not.toMatch(/7999|0001122/);
    // Caller flags are set by supervisors only, with a reason and an expiry.
    const flag = { kind: 'frequent-caller', reason: 'calls nightly', expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() };
    expect((await op.client.post(`/api/contacts/${second.contact.id}/caller-flags`, flag)).status).toBe(403);
    expect((await sup.client.post(`/api/contacts/${second.contact.id}/caller-flags`, flag)).status).toBe(201);
    const view = await op.client.get(`/api/contacts/${first.contact.id}`);
    expect(view.body.callerFlags).toEqual([expect.objectContaining({ kind: 'frequent-caller', reason: 'calls nightly' })]);
  });
});

describe('follow-ups and timeline', () => {
  it('reminds the assignee when a follow-up comes due and tells supervisors when it is overdue (delayed jobs)', async () => {
    const c = await offline();
    const opSock = await connectSocket(server.url, op.client.cookieHeader);
    const supSock = await connectSocket(server.url, sup.client.cookieHeader);
    const due = nextEvent(opSock, 'contact:follow-up-due', (p) => p.contactId === c.id, 10_000);
    // FOLLOW_UP_OVERDUE_MINUTES defaults to 60: the overdue job is checked through the queue.
    const at = new Date(Date.now() + 1_000).toISOString();
    await op.client.patch(`/api/contacts/${c.id}`, { version: 1, followUpAt: at, followUpAssigneeId: op.user.id });
    expect((await due).followUpAt).toBe(at);
    const job = await server.services.infra.queues.contacts.getJob(`followup-overdue-${c.id}-${Date.parse(at)}`);
    expect(job?.name).toBe('contacts.follow-up-overdue');
    const overdue = nextEvent(supSock, 'contact:follow-up-overdue', (p) => p.contactId === c.id, 10_000);
    await job!.changeDelay(0);
    expect((await overdue).assigneeId).toBe(op.user.id);
    opSock.disconnect();
    supSock.disconnect();
  });

  it('runs retention as a BullMQ job scheduler, not a timer', async () => {
    // One retention for every kind, on its own queue (modules/retention/retention.jobs.ts).
    const scheduler = await server.services.infra.queues.retention.getJobScheduler('retention');
    expect(scheduler).toMatchObject({ name: 'retention.run', every: 6 * 3_600_000 });
  });

  it('lets other features append to the timeline', async () => {
    const c = await offline();
    await server.services.contacts.appendEvent(c.id, 'dispatch.started', { dispatchId: 'd-1' }, null);
    const t = await op.client.get(`/api/contacts/${c.id}/events`);
    expect(t.body.map((e: { kind: string }) => e.kind)).toEqual(['created', 'dispatch.started']);
    void systemActor;
  });
});
