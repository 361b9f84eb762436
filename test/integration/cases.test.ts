import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, calendarOf, isWorkingDay, isoDateIn, addDays } from '@trustline/shared';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, nextEvent } from '../helpers/socket.js';

let server: TestServer;
let operator: Client;
let curator: Client;
let curatorId: string;
let otherCurator: Client;
let supervisor: Client;
let admin: Client;

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  operator = (await signedIn(server.url, server.services, ['operator'])).client;
  const c = await signedIn(server.url, server.services, ['curator']);
  curator = c.client;
  curatorId = c.user.id;
  otherCurator = (await signedIn(server.url, server.services, ['curator'])).client;
  supervisor = (await signedIn(server.url, server.services, ['supervisor'])).client;
  admin = (await signedIn(server.url, server.services, ['admin'])).client;
});
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const auditOf = (action: string, entityId?: string) => prisma().auditLog.findMany({ where: { action, entityId } });

async function makeContact(phone = '+7 913 555 12 34') {
  return prisma().contact.create({ data: { channel: 'voice', phoneHash: server.services.phones.hash(phone) } });
}

const family = {
  kind: 'family',
  name: 'Семья Ивановых',
  phone: '+7 913 555 12 34',
  address: 'ул. Ленина, 1',
  district: 'Кировский',
  members: [
    { name: 'Анна', relation: 'mother', isChild: false, age: 34 },
    { name: 'Петя', relation: 'son', isChild: true, age: 7 },
    { name: 'Маша', relation: 'daughter', isChild: true, age: 4 },
  ],
};

describe('escalating to a case', () => {
  it('an operator opens a case from a contact; the curator and supervisors can read it, the operator only glimpses it', async () => {
    const contact = await makeContact();
    const res = await operator.post('/api/cases', { contactIds: [contact.id], subject: family, consent: { given: true } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ stage: 'signal', origin: 'contact', curator: null, contactIds: [contact.id] });
    expect(res.body.subject.phoneLabel).toMatch(/^K-[A-Z]{5}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/1234/);
    expect(JSON.stringify(res.body)).not.toContain('555 12');
    const id = res.body.id;
    const row = await prisma().case.findUniqueOrThrow({ where: { id } });
    expect(row.phoneSealed).not.toContain('913');
    expect(row.phoneHash).toBe(server.services.phones.hash('+79135551234'));

    // The operator may not read its content…
    expect((await operator.get(`/api/cases/${id}`)).status).toBe(403);
    expect((await operator.get(`/api/cases/${id}/timeline`)).status).toBe(403);
    // …but sees, for a new contact from the same caller, that a case exists and who holds it.
    const again = await makeContact('+79135551234');
    const glimpse = await operator.get(`/api/cases/glimpse?contactId=${again.id}`);
    expect(glimpse.status).toBe(200);
    expect(glimpse.body).toEqual([{ id, number: res.body.number, open: true, curator: null }]);
    expect(Object.keys(glimpse.body[0])).toEqual(['id', 'number', 'open', 'curator']);
    expect((await auditOf('case.glimpse', again.id)).length).toBe(1);
    // …and links the new contact to it.
    const link = await operator.post(`/api/cases/${id}/contacts`, { contactId: again.id });
    expect(link.status).toBe(200);
    expect(link.body).toEqual({ id, number: res.body.number, open: true, curator: null });

    // Urgent help dispatched from a linked contact appears on the case's timeline with its steps.
    const dispatch = await prisma().dispatch.create({
      data: { contactId: again.id, kind: 'food', district: 'Кировский', urgency: 'today', state: 'accepted' },
    });
    await prisma().dispatchEvent.createMany({
      data: [
        { dispatchId: dispatch.id, type: 'requested', at: new Date(Date.now() + 1000) },
        { dispatchId: dispatch.id, type: 'accepted', at: new Date(Date.now() + 2000) },
      ],
    });
    const timeline = await supervisor.get(`/api/cases/${id}/timeline`);
    expect(timeline.status).toBe(200);
    const kinds = timeline.body.map((e: { kind: string; title: string }) => `${e.kind}:${e.title}`);
    expect([...kinds].sort()).toEqual(['contact:contact', 'contact:contact', 'dispatch:dispatch', 'dispatch_step:accepted', 'stage:signal']);
    const ats = timeline.body.map((e: { at: string }) => e.at);
    expect([...ats].sort()).toEqual(ats);
    expect(kinds.indexOf('dispatch:dispatch')).toBeLessThan(kinds.indexOf('dispatch_step:accepted'));
    expect(kinds.filter((k: string) => k === 'contact:contact').length).toBe(2);
    expect((await auditOf('case.timeline', id)).length).toBe(1);

    // The contacts' own timelines say they were escalated to / linked with the case.
    const contactEvents = await prisma().contactEvent.findMany({ where: { kind: 'case-linked', contactId: { in: [contact.id, again.id] } } });
    expect(contactEvents.map((e) => e.detail)).toEqual([{ caseId: id }, { caseId: id }]);

    // A curator reads it; the read is audited.
    const read = await curator.get(`/api/cases/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.contactIds.sort()).toEqual([contact.id, again.id].sort());
    expect((await auditOf('case.read', id)).length).toBe(1);
    expect((await auditOf('case.create', id))[0]!.detail).toMatchObject({ consent: true, members: 3 });
  });

  it('refuses a case without recorded consent, naming the field, and creates nothing', async () => {
    const before = await prisma().case.count();
    const res = await operator.post('/api/cases', { signal: { from: 'School 5', summary: 'bruises' }, subject: family, consent: { given: false } });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe('body.consent.given');
    const noSource = await operator.post('/api/cases', { subject: family, consent: { given: true } });
    expect(noSource.status).toBe(400);
    expect(noSource.body.fields[0].path).toBe('body.contactIds');
    const badChild = await operator.post('/api/cases', {
      signal: { from: 'School 5', summary: 'x' },
      subject: { ...family, members: [{ name: 'X', relation: 'son', isChild: true }] },
      consent: { given: true },
    });
    expect(badChild.status).toBe(400);
    expect(badChild.body.fields[0].path).toBe('body.subject.members.0.age');
    expect(await prisma().case.count()).toBe(before);
  });
});

describe('the case-work cycle', () => {
  it('takes a case through check, assessment, plan, monitoring and closing; refuses a wrong move and a plan with no task', async () => {
    const created = await curator.post('/api/cases', {
      signal: { from: 'Hospital 2', summary: 'neglect suspected' },
      subject: family,
      consent: { given: true },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.curator).toEqual({ id: curatorId, displayName: expect.any(String) });

    const move = (body: object, as: Client = curator) => as.post(`/api/cases/${id}/transition`, body);
    const skip = await move({ to: 'opened' });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe('TRANSITION_NOT_ALLOWED');
    expect((await move({ to: 'check' }, otherCurator)).status).toBe(403);
    expect((await move({ to: 'check' })).status).toBe(200);
    const noResult = await move({ to: 'risk_assessment' });
    expect(noResult.status).toBe(400);
    expect(noResult.body.fields[0].path).toBe('checkResult');
    expect((await move({ to: 'risk_assessment', checkResult: { confirmed: true, summary: 'visited; confirmed' } })).status).toBe(200);
    const opened = await move({ to: 'opened', assessment: { level: 'high', safetyFactors: ['grandmother nearby'], riskFactors: ['no food at home'] } });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ stage: 'opened', assessment: { level: 'high' } });
    expect(opened.body.openedAt).not.toBeNull();
    expect((await move({ to: 'plan' })).status).toBe(200);
    const empty = await move({ to: 'monitoring' });
    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe('PLAN_EMPTY');

    const goal = await curator.post(`/api/cases/${id}/goals`, { part: 'safety', text: 'Food for the children every day' });
    const goalId = goal.body.plan[0].id;
    const task = await curator.post(`/api/cases/${id}/tasks`, { goalId, text: 'Arrange a food set', ownerId: curatorId, dueDate: '2026-12-01' });
    expect(task.status).toBe(200);
    expect(task.body.plan[0].tasks[0]).toMatchObject({ text: 'Arrange a food set', dueDate: '2026-12-01', doneAt: null });
    expect((await move({ to: 'monitoring' })).status).toBe(200);
    expect((await curator.post(`/api/cases/${id}/notes`, { kind: 'monitoring', text: 'Visited, fridge full' })).status).toBe(200);
    const done = await curator.patch(`/api/cases/${id}/tasks/${task.body.plan[0].tasks[0].id}`, { done: true });
    expect(done.body.plan[0].tasks[0].doneAt).not.toBeNull();

    const noReason = await move({ to: 'closed', close: { reason: 'other' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields[0].path).toBe('close.text');
    const closed = await move({ to: 'closed', close: { reason: 'situation_improved' } });
    expect(closed.status).toBe(200);
    expect(closed.body.close.reason).toBe('situation_improved');
    expect((await move({ to: 'risk_assessment' })).status).toBe(400);
    const reopened = await move({ to: 'risk_assessment', reopenReason: 'new signal from school' });
    expect(reopened.body).toMatchObject({ stage: 'risk_assessment', close: { reason: null } });
    expect((await move({ to: 'closed', close: { reason: 'situation_improved' } })).status).toBe(200);

    const timeline = await curator.get(`/api/cases/${id}/timeline`);
    const kinds = timeline.body.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'stage').length).toBe(9);
    expect(kinds).toEqual(expect.arrayContaining(['task', 'task_done', 'note']));
    const ats = timeline.body.map((e: { at: string }) => e.at);
    expect([...ats].sort()).toEqual(ats);

    const today = isoDateIn(server.config.timezone);
    const results = await supervisor.get(`/api/cases/results?from=${addDays(today, -1)}&to=${addDays(today, 1)}`);
    expect(results.status).toBe(200);
    expect(results.body.opened).toBeGreaterThanOrEqual(1);
    expect(results.body.closedByReason.situation_improved).toBeGreaterThanOrEqual(2);
    expect(results.body.improvedShare).toBeGreaterThan(0);
    const csv = await supervisor.get(`/api/cases/results.csv?from=${today}&to=${today}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const raw = new Uint8Array(
      await (await fetch(`${server.url}/api/cases/results.csv?from=${today}&to=${today}`, { headers: { cookie: supervisor.cookieHeader } })).arrayBuffer(),
    );
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain('share_closed_situation_improved');
  });

  it('lets only a supervisor reassign, and a curator take an unassigned case', async () => {
    const created = await operator.post('/api/cases', { signal: { from: 'Police', summary: 'domestic conflict' }, subject: family, consent: { given: true } });
    const id = created.body.id;
    const others = await signedIn(server.url, server.services, ['curator']);
    expect((await curator.post(`/api/cases/${id}/curator`, { curatorId: others.user.id })).status).toBe(403);
    expect((await curator.post(`/api/cases/${id}/curator`, { curatorId })).status).toBe(200);
    expect((await otherCurator.post(`/api/cases/${id}/curator`, { curatorId: others.user.id })).status).toBe(403);
    const re = await supervisor.post(`/api/cases/${id}/curator`, { curatorId: others.user.id });
    expect(re.body.curator.id).toBe(others.user.id);
    expect((await auditOf('case.assign', id))[0]!.detail).toEqual({ from: curatorId, to: others.user.id });
    const notCurator = await supervisor.post(`/api/cases/${id}/curator`, { curatorId: (await signedIn(server.url, server.services, ['operator'])).user.id });
    expect(notCurator.status).toBe(400);
    const mine = await others.client.get('/api/cases/mine');
    expect(mine.body.map((c: { id: string }) => c.id)).toContain(id);
    expect((await operator.get('/api/cases')).status).toBe(403);
  });
});

describe('statutory deadlines in working days, through real BullMQ', () => {
  it('reminds the curator before the due date and alerts the curator and supervisors when one is overdue', async () => {
    const cal = calendarOf((await prisma().calendarDay.findMany()).map((d) => ({ date: d.date.toISOString().slice(0, 10), working: d.working })));
    const today = isoDateIn(server.config.timezone);
    let target = today;
    while (!isWorkingDay(cal, target)) target = addDays(target, 1);

    const supSocket = await connectSocket(server.url, supervisor.cookieHeader);
    const curSocket = await connectSocket(server.url, curator.cookieHeader);

    // Due today (or the next working day): the reminder time has passed, so it fires at once.
    const dueSoonApp = addWorkingDays(cal, target, -5);
    const reminder = nextEvent(curSocket, 'case:deadline-due', (a) => a.kind === 'need_decision', 10_000);
    const soon = await curator.post('/api/cases', {
      signal: { from: 'School 1', summary: 'x' },
      subject: family,
      consent: { given: true },
      applicationDate: dueSoonApp,
    });
    expect(soon.status).toBe(201);
    const need = soon.body.deadlines.find((d: { kind: string }) => d.kind === 'need_decision');
    expect(need).toMatchObject({ dueDate: target, workingDays: 5 });
    expect((await reminder).caseId).toBe(soon.body.id);

    // Due long ago: overdue alerts reach the supervisors and the curator.
    const lateApp = addWorkingDays(cal, target, -20);
    const supAlert = nextEvent(supSocket, 'case:deadline-overdue', (a) => a.kind === 'individual_programme', 10_000);
    const curAlert = nextEvent(curSocket, 'case:deadline-overdue', (a) => a.kind === 'individual_programme', 10_000);
    const late = await curator.post('/api/cases', {
      signal: { from: 'School 2', summary: 'y' },
      subject: family,
      consent: { given: true },
      applicationDate: lateApp,
    });
    const alert = await supAlert;
    expect(alert).toMatchObject({ caseId: late.body.id, curatorId, dueDate: addWorkingDays(cal, lateApp, 10) });
    expect((await curAlert).caseId).toBe(late.body.id);
    const row = await prisma().caseDeadline.findFirstOrThrow({ where: { caseId: late.body.id, kind: 'individual_programme' } });
    expect(row.overdueAlertedAt).not.toBeNull();

    const view = await curator.get(`/api/cases/${late.body.id}`);
    expect(view.body.deadlines.every((d: { status: string }) => d.status === 'overdue')).toBe(true);
    expect(view.body.deadlines[0].workingDaysLeft).toBeLessThan(0);
    const overdue = await supervisor.get('/api/cases/deadlines/overdue');
    expect(overdue.body.map((d: { caseId: string }) => d.caseId)).toContain(late.body.id);
    const filtered = await supervisor.get('/api/cases?overdue=true');
    expect(filtered.body.map((c: { id: string }) => c.id)).toContain(late.body.id);

    // Meeting a deadline records it; the results count it as missed (met after the due date).
    const dl = view.body.deadlines[0];
    const met = await curator.post(`/api/cases/${late.body.id}/deadlines/${dl.id}/met`, { metOn: today });
    expect(met.body.deadlines.find((d: { id: string }) => d.id === dl.id).status).toBe('missed');
  });

  it('admins edit the calendar; open deadlines are recounted', async () => {
    const created = await curator.post('/api/cases', {
      signal: { from: 'School 3', summary: 'z' },
      subject: family,
      consent: { given: true },
      applicationDate: '2027-03-01',
    });
    const before = created.body.deadlines.find((d: { kind: string }) => d.kind === 'need_decision');
    expect(before.dueDate).toBe('2027-03-09'); // 8 Mar is a holiday
    expect((await curator.request('PUT', '/api/calendar/days', { date: '2027-03-05', kind: 'day_off', name: 'x', source: 'y' })).status).toBe(403);
    const set = await admin.request('PUT', '/api/calendar/days', {
      date: '2027-03-05',
      kind: 'day_off',
      name: 'Перенос',
      confirmed: true,
      source: 'test decree',
    });
    expect(set.status).toBe(200);
    const after = await curator.get(`/api/cases/${created.body.id}`);
    expect(after.body.deadlines.find((d: { kind: string }) => d.kind === 'need_decision').dueDate).toBe('2027-03-10');
    const bad = await admin.request('PUT', '/api/calendar/days', { date: '2027-03-03', kind: 'working_day', name: 'x', source: 'y' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe('body.kind');
    const year = await operator.get('/api/calendar/2026');
    expect(year.body.find((d: { date: string }) => d.date === '2026-01-09')).toMatchObject({ working: false, kind: 'day_off', confirmed: true });
    expect((await auditOf('calendar.set-day', '2027-03-05')).length).toBe(1);
  });
});

describe('realtime', () => {
  it('tells supervisors of a new case, not operators; operators glimpse over the socket', async () => {
    const supSocket = await connectSocket(server.url, supervisor.cookieHeader);
    const opSocket = await connectSocket(server.url, operator.cookieHeader);
    let operatorHeard = false;
    opSocket.on('case:created', () => (operatorHeard = true));
    const contact = await makeContact('+7 900 111 22 33');
    const heard = nextEvent(supSocket, 'case:created');
    const res = await operator.post('/api/cases', { contactIds: [contact.id], subject: family, consent: { given: true } });
    expect(await heard).toEqual({ caseId: res.body.id, number: res.body.number, stage: 'signal', curatorId: null });
    const ack = await opSocket.emitWithAck('cases:glimpse', { contactId: contact.id });
    expect(ack).toEqual({ ok: true, data: [{ id: res.body.id, number: res.body.number, open: true, curator: null }] });
    const bad = await opSocket.emitWithAck('cases:glimpse', { contactId: 'nope' } as never);
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(operatorHeard).toBe(false);
  });
});

describe('plan task due dates, through real BullMQ', () => {
  it('alerts the task owner and the curator when a task passes its due date undone; none once done', async () => {
    const owner = await signedIn(server.url, server.services, ['operator']);
    const created = await curator.post('/api/cases', { signal: { from: 'School 9', summary: 'q' }, subject: family, consent: { given: true } });
    const id = created.body.id;
    const move = (body: object) => curator.post(`/api/cases/${id}/transition`, body);
    await move({ to: 'check' });
    await move({ to: 'risk_assessment', checkResult: { confirmed: true, summary: 's' } });
    await move({ to: 'opened', assessment: { level: 'low', safetyFactors: ['x'], riskFactors: [] } });
    const goal = await curator.post(`/api/cases/${id}/goals`, { part: 'rehabilitation', text: 'Therapy' });
    const goalId = goal.body.plan[0].id;

    const ownerSocket = await connectSocket(server.url, owner.client.cookieHeader);
    const curSocket = await connectSocket(server.url, curator.cookieHeader);
    const yesterday = addDays(isoDateIn(server.config.timezone), -3);
    const toOwner = nextEvent(ownerSocket, 'case:task-overdue', (a) => a.caseId === id, 10_000);
    const toCurator = nextEvent(curSocket, 'case:task-overdue', (a) => a.caseId === id, 10_000);
    const res = await curator.post(`/api/cases/${id}/tasks`, { goalId, text: 'Book the psychologist', ownerId: owner.user.id, dueDate: yesterday });
    const taskId = res.body.plan[0].tasks[0].id;
    expect(await toOwner).toMatchObject({ taskId, dueDate: yesterday, ownerId: owner.user.id, curatorId });
    expect((await toCurator).taskId).toBe(taskId);
    const row = await prisma().caseTask.findUniqueOrThrow({ where: { id: taskId } });
    expect(row.overdueAlertedAt).not.toBeNull();
    // The job that runs again (at least once) does not alert twice.
    expect(await server.services.cases.deadlines.checkTask(taskId)).toBe('waiting');
    await curator.patch(`/api/cases/${id}/tasks/${taskId}`, { done: true });
    expect(await server.services.cases.deadlines.checkTask(taskId)).toBe('done');
  });
});
