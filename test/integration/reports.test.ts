// Reports against seeded data with known answers: contacts (breakdowns, hour and weekday in the
// centre's zone, repeat contacts, follow-ups), calls (service level, wait percentiles), dispatches
// (median/p90 to accept and deliver, failures), cases (open families and children, closure
// reasons); CSV export with a BOM whose Cyrillic survives a round trip.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let supervisor: Client;
const sql = (q: string, ...v: unknown[]) => server.services.infra.db.prisma.$executeRawUnsafe(q, ...v);
const tag = randomUUID().slice(0, 6);
const areaA = randomUUID();
const areaB = randomUUID();
const catX = randomUUID();
const catY = randomUUID();
const MARCH = '?from=2026-03-01&to=2026-03-31';

async function contact(
  at: string,
  o: { channel?: string; risk?: string; area?: string; cats?: string[]; outcome?: string; phone?: string; followUpAt?: string; doneAt?: string },
) {
  const id = randomUUID();
  await sql(
    `INSERT INTO "Contact" (id, channel, "riskLevel", "areaId", outcome, "phoneHash", "followUpAt", "followUpDoneAt", "createdAt", "updatedAt")
     VALUES ($1::uuid, $2, $3::"RiskLevel", $4::uuid, $5, $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, now())`,
    id,
    o.channel ?? 'voice',
    o.risk ?? 'R0',
    o.area ?? null,
    o.outcome ?? null,
    o.phone ?? null,
    o.followUpAt ?? null,
    o.doneAt ?? null,
    at,
  );
  for (const c of o.cats ?? []) await sql(`INSERT INTO "ContactCategory" ("contactId", "categoryId") VALUES ($1::uuid, $2::uuid)`, id, c);
}

async function call(queuedAt: string, waitS: number, answered: boolean) {
  const q = Date.parse(queuedAt);
  const id = randomUUID();
  await sql(
    `INSERT INTO "Call" (id, "callSid", "callerHash", "callerSealed", status, "queuedAt", "answeredAt", "endedAt", abandoned, "waitMs", "updatedAt")
     VALUES ($1::uuid, $2, 'h', 's', 'ended', $3, $4, $5, $6, $7, now())`,
    id,
    `CA${id}`,
    new Date(q),
    answered ? new Date(q + waitS * 1000) : null,
    new Date(q + waitS * 1000 + 60_000),
    !answered,
    waitS * 1000,
  );
}

async function dispatch(kind: string, district: string, state: string, acceptS: number | null, deliverS: number | null, reason: string | null = null) {
  const created = Date.parse('2026-03-10T09:00:00Z');
  await sql(
    `INSERT INTO "Dispatch" (id, kind, district, urgency, state, "closeReason", "createdAt", "acceptedAt", "deliveredAt", "updatedAt")
     VALUES ($1::uuid, $2::"UrgentKind", $3, 'now', $4::"DispatchState", $5, $6, $7, $8, now())`,
    randomUUID(),
    kind,
    district,
    state,
    reason,
    new Date(created),
    acceptS === null ? null : new Date(created + acceptS * 1000),
    deliverS === null ? null : new Date(created + deliverS * 1000),
  );
}

async function kase(kind: string, openedAt: string, closedAt: string | null, reason: string | null, children = 0) {
  const id = randomUUID();
  await sql(
    `INSERT INTO "Case" (id, origin, "subjectKind", "subjectName", "consentAt", stage, "openedAt", "closedAt", "closeReason", "updatedAt")
     VALUES ($1::uuid, 'contact', $2::"CaseSubjectKind", 'Иванова', now(), $3::"CaseStage", $4::timestamptz, $5::timestamptz, $6::"CaseCloseReason", now())`,
    id,
    kind,
    closedAt ? 'closed' : 'monitoring',
    openedAt,
    closedAt,
    reason,
  );
  await sql(`INSERT INTO "CaseMember" (id, "caseId", name, relation, "isChild") VALUES ($1::uuid, $2::uuid, 'Мать', 'mother', false)`, randomUUID(), id);
  for (let i = 0; i < children; i++)
    await sql(
      `INSERT INTO "CaseMember" (id, "caseId", name, relation, "isChild", age) VALUES ($1::uuid, $2::uuid, 'Ребёнок', 'child', true, 7)`,
      randomUUID(),
      id,
    );
}

beforeAll(async () => {
  server = await startTestServer({ env: { CENTRE_TIMEZONE: 'Europe/Moscow', SERVICE_LEVEL_SECONDS: '20' } });
  supervisor = (await signedIn(server.url, server.services, ['supervisor'])).client;
  await sql(
    `INSERT INTO "Area" (id, code, kind, "nameRu", "nameEn")
     VALUES ($1::uuid, $2, 'district', 'Кировский район', 'Kirovsky'), ($3::uuid, $4, 'district', 'Ленинский район', 'Leninsky')`,
    areaA,
    `kir-${tag}`,
    areaB,
    `len-${tag}`,
  );
  await sql(
    `INSERT INTO "Category" (id, code, "labelRu", "labelEn")
     VALUES ($1::uuid, $2, 'Насилие в семье, «жёсткое»', 'Family violence'), ($3::uuid, $4, 'Детско-родительские отношения', 'Parent–child')`,
    catX,
    `x-${tag}`,
    catY,
    `y-${tag}`,
  );
  // Contacts (times in UTC; Moscow is UTC+3).
  await contact('2026-02-15T09:00:00Z', { phone: 'p2' }); // before the period: makes c3 a repeat
  await contact('2026-03-02T07:15:00Z', {
    risk: 'R4',
    area: areaA,
    cats: [catX],
    outcome: 'referred',
    phone: 'p1',
    followUpAt: '2026-03-05T09:00:00Z',
    doneAt: '2026-03-04T09:00:00Z',
  });
  await contact('2026-03-03T20:30:00Z', {
    channel: 'sms',
    risk: 'R1',
    area: areaB,
    cats: [catX, catY],
    outcome: 'advice',
    phone: 'p1',
    followUpAt: '2026-03-06T09:00:00Z',
    doneAt: '2026-03-07T09:00:00Z',
  });
  await contact('2026-03-31T20:59:00Z', { phone: 'p2', followUpAt: '2026-03-10T09:00:00Z' }); // 23:59 on 31 March in Moscow
  await contact('2026-03-31T21:10:00Z', { phone: 'p3' }); // 00:10 on 1 April in Moscow: outside
  // Calls: answered after 5, 10, 30, 60 s; abandoned after 15 s (within the threshold) and 40 s.
  for (const [w, a] of [
    [5, true],
    [10, true],
    [30, true],
    [60, true],
    [15, false],
    [40, false],
  ] as const)
    await call('2026-03-12T08:00:00Z', w, a);
  await call('2026-04-01T08:00:00Z', 1, true); // outside
  // Dispatches.
  await dispatch('food', 'Кировский', 'delivered', 600, 3600);
  await dispatch('food', 'Кировский', 'failed', null, null, 'no_provider');
  await dispatch('psychological', 'Ленинский', 'delivered', 120, 1200);
  // Cases.
  await kase('family', '2026-03-01T10:00:00Z', null, null, 2);
  await kase('person', '2026-02-01T10:00:00Z', '2026-03-10T10:00:00Z', 'situation_improved');
  await kase('family', '2026-03-05T10:00:00Z', '2026-03-20T10:00:00Z', 'moved_away', 3);
  await kase('person', '2026-03-02T10:00:00Z', '2026-04-05T10:00:00Z', 'other');
});
afterAll(async () => {
  await server?.close();
});

describe('reports', () => {
  it('refuses operators and names a bad period field', async () => {
    const { client: operator } = await signedIn(server.url, server.services, ['operator']);
    expect((await operator.get(`/api/reports${MARCH}`)).status).toBe(403);
    const bad = await supervisor.get('/api/reports?from=2026-03-31&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe('querystring.from');
    expect((await supervisor.get('/api/reports?from=март&to=2026-03-01')).status).toBe(400);
  });

  it('counts contacts by channel, category, risk, outcome, district, hour and weekday in the centre’s zone', async () => {
    const res = await supervisor.get(`/api/reports${MARCH}`);
    expect(res.status).toBe(200);
    const c = res.body.contacts;
    const counts = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
    expect(c.total).toBe(3);
    expect(counts(c.byChannel)).toEqual({ voice: 2, sms: 1 });
    expect(counts(c.byRisk)).toEqual({ R4: 1, R1: 1, R0: 1 });
    expect(counts(c.byCategory)).toEqual({ [`x-${tag}`]: 2, [`y-${tag}`]: 1 });
    expect(c.byCategory[0].labelRu).toBe('Насилие в семье, «жёсткое»');
    expect(counts(c.byOutcome)).toEqual({ referred: 1, advice: 1, '': 1 });
    expect(counts(c.byDistrict)).toEqual({ [`kir-${tag}`]: 1, [`len-${tag}`]: 1, '': 1 });
    expect(c.byHour[10]).toBe(1);
    expect(c.byHour[23]).toBe(2);
    expect(c.byWeekday).toEqual([1, 2, 0, 0, 0, 0, 0]);
    expect(c.repeat).toEqual({ withNumber: 3, repeat: 2, share: 2 / 3 });
    expect(c.followUps).toEqual({ due: 3, onTime: 1, late: 1, notDone: 1, shareOnTime: 1 / 3 });
  });

  it('applies filters', async () => {
    const res = await supervisor.get(`/api/reports${MARCH}&channel=sms&areaId=${areaB}`);
    expect(res.body.contacts.total).toBe(1);
    expect((await supervisor.get(`/api/reports${MARCH}&categoryId=${catY}`)).body.contacts.total).toBe(1);
    expect((await supervisor.get(`/api/reports${MARCH}&risk=R4`)).body.contacts.total).toBe(1);
  });

  it('takes the channels from the data: known ones labelled, a channel not labelled yet counted under its code', async () => {
    await contact('2024-02-10T09:00:00Z', { channel: 'voice' });
    await contact('2024-02-11T09:00:00Z', { channel: 'telegram' });
    const res = await supervisor.get('/api/reports?from=2024-02-01&to=2024-02-29');
    expect(res.status).toBe(200);
    expect(res.body.contacts.byChannel).toEqual([
      { key: 'telegram', labelRu: 'telegram', labelEn: 'telegram', count: 1 },
      { key: 'voice', labelRu: 'Звонок', labelEn: 'Call', count: 1 },
    ]);
  });

  it('gives calls offered, answered, abandoned, service level and wait percentiles', async () => {
    const { calls } = (await supervisor.get(`/api/reports${MARCH}`)).body;
    expect(calls).toMatchObject({ offered: 6, answered: 4, abandoned: 2, abandonedShort: 1, serviceLevelSeconds: 20 });
    expect(calls.serviceLevel).toBeCloseTo(2 / 5);
    expect(calls.averageWaitSeconds).toBeCloseTo(26.25);
    expect(calls.waitP50Seconds).toBeCloseTo(20);
    expect(calls.waitP90Seconds).toBeCloseTo(51);
    expect(calls.byDay).toEqual([{ day: '2026-03-12', offered: 6, answered: 4, abandoned: 2 }]);
  });

  it('gives dispatches by kind and district with median and p90 times, share delivered and failures', async () => {
    const { dispatches } = (await supervisor.get(`/api/reports${MARCH}`)).body;
    expect(dispatches).toMatchObject({ total: 3, delivered: 2 });
    expect(dispatches.shareDelivered).toBeCloseTo(2 / 3);
    expect(dispatches.groups).toEqual([
      {
        kind: 'food',
        district: 'Кировский',
        count: 2,
        delivered: 1,
        shareDelivered: 0.5,
        acceptMedianSeconds: 600,
        acceptP90Seconds: 600,
        deliverMedianSeconds: 3600,
        deliverP90Seconds: 3600,
      },
      {
        kind: 'psychological',
        district: 'Ленинский',
        count: 1,
        delivered: 1,
        shareDelivered: 1,
        acceptMedianSeconds: 120,
        acceptP90Seconds: 120,
        deliverMedianSeconds: 1200,
        deliverP90Seconds: 1200,
      },
    ]);
    expect(dispatches.failureReasons).toEqual([{ reason: 'no_provider', count: 1 }]);
  });

  it('gives open cases, families and children, closures by reason and the share improved', async () => {
    const { cases, missing } = (await supervisor.get(`/api/reports${MARCH}`)).body;
    expect(missing).toEqual([]);
    expect(cases).toEqual({
      openAtEnd: 2,
      openFamilies: 1,
      childrenInOpen: 2,
      openedInPeriod: 3,
      closedInPeriod: 2,
      closedByReason: [
        { reason: 'moved_away', count: 1 },
        { reason: 'situation_improved', count: 1 },
      ],
      shareImproved: 0.5,
    });
  });

  it('exports CSV that starts with a BOM and keeps Cyrillic through a round trip', async () => {
    const res = await fetch(`${server.url}/api/reports/contacts-category.csv${MARCH}&lang=ru`, { headers: { cookie: supervisor.cookieHeader } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('contacts-category_2026-03-01_2026-03-31.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Код;Название;Количество');
    // The label holds a comma and quotes: quoted, and read back intact.
    expect(lines[1]).toBe(`x-${tag};"Насилие в семье, «жёсткое»";2`);
    const en = await fetch(`${server.url}/api/reports/contacts-weekday.csv${MARCH}&lang=en`, { headers: { cookie: supervisor.cookieHeader } });
    expect((await en.text()).split('\r\n').slice(0, 2)).toEqual(['Day of week,Count', 'Monday,1']);
    const unknown = await supervisor.get(`/api/reports/nothing.csv${MARCH}`);
    expect(unknown.status).toBe(400);
  });
});
