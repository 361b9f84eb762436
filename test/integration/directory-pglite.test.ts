// The directory and dispatch SQL on embedded PGlite, in the shape `npm start` runs it: a fresh
// DATA_DIR migrated and seeded by the very connection that then serves the app. Array filters
// (`urgentKinds: { has: kind }`, `roles: { has: 'admin' }`, `= ANY($1::uuid[])`) used to fail
// there with "malformed array literal" (a 500 on suggest and on every new dispatch) until the
// process restarted; database.ts migrationSafe refreshes PGlite's array types after each migration.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { createRuntime, type Runtime } from '../../server/src/bootstrap.js';
import { loadConfig } from '../../server/src/config.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { signedIn, type Client } from '../helpers/http.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from '../helpers/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tl-pglite-directory-'));
const prefix = `t${randomBytes(5).toString('hex')}`;
let runtime: Runtime;
let app: FastifyInstance;
let coordinator: Client;
let url: string;
// A district no demo service names, so the service made here is the one that fits.
const DISTRICT = `Тестовый район ${prefix}`;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // No DATABASE_URL: the embedded database in DATA_DIR/pglite, as on a first `npm start`.
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    APP_SECRET: TEST_APP_SECRET,
  });
  expect(config.database.kind).toBe('pglite');
  expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
  runtime = await createRuntime(config, pino({ level: 'silent' }), { migrate: true });
  app = await buildApp({ services: runtime.services });
  await app.listen({ port, host: '127.0.0.1' });
  coordinator = (await signedIn(url, runtime.services, ['coordinator', 'admin'])).client;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe('directory and dispatch on a PGlite DATA_DIR migrated by the same process', () => {
  let serviceId: string;
  let organizationId: string;

  it('adds a provider with urgent kinds, hours, an SMS number and capacity, and lists it', async () => {
    const org = await coordinator.post('/api/directory/organizations', { name: 'Пункт питания (PGlite)' });
    expect(org.status).toBe(200);
    organizationId = org.body.id;
    const svc = await coordinator.post('/api/directory/services', {
      organizationId,
      name: 'Продуктовые наборы',
      urgentKinds: ['food', 'clothing'],
      areas: [DISTRICT],
      schedules: [{ days: [], opensAt: '00:00', closesAt: '24:00' }],
      smsPhones: ['+7 900 111 22 33'],
    });
    expect(svc.status).toBe(200);
    serviceId = svc.body.id;
    const units = await coordinator.get('/api/directory/units');
    expect(units.status).toBe(200);
    const unit = units.body.find((u: { name: string }) => u.name === 'food sets');
    expect(unit).toBeDefined();
    const cap = await coordinator.request('PUT', `/api/directory/services/${serviceId}/capacity`, { unitId: unit.id, available: 5, maximum: 10 });
    expect(cap.status).toBe(200);

    const list = await coordinator.get('/api/directory');
    expect(list.status).toBe(200);
    const mine = list.body.find((o: { id: string }) => o.id === organizationId);
    expect(mine.services[0]).toMatchObject({
      id: serviceId,
      urgentKinds: ['food', 'clothing'],
      areas: [DISTRICT],
      capacities: [expect.objectContaining({ available: 5 })],
    });
    // The demo directory came with the seeders on the same connection.
    expect(list.body.some((o: { isExample: boolean }) => o.isExample)).toBe(true);

    const exported = await coordinator.get('/api/directory/export?format=json');
    expect(exported.status).toBe(200);
    expect(exported.body.resources.find((r: { name: string }) => r.name === 'services').data.some((s: { id: string }) => s.id === serviceId)).toBe(true);
  });

  it('suggests it for food in its district (200), with its reasons', async () => {
    const res = await coordinator.get(`/api/dispatches/suggest?kind=food&district=${encodeURIComponent(DISTRICT)}&urgency=today`);
    expect(res.status, res.text).toBe(200);
    expect(res.body[0]).toMatchObject({ serviceId, eligible: true });
    expect(res.body[0].reasons.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['open_now', 'serves_area', 'free_capacity']));
    // And not for a kind it does not give.
    const legal = await coordinator.get(`/api/dispatches/suggest?kind=legal&district=${encodeURIComponent(DISTRICT)}`);
    expect(legal.status, legal.text).toBe(200);
    expect(legal.body.map((r: { serviceId: string }) => r.serviceId)).not.toContain(serviceId);
  });

  it('creates a dispatch (201) offered to it, and shows it on the board', async () => {
    const res = await coordinator.post('/api/dispatches', { referral: 'школа № 5', kind: 'food', district: DISTRICT, urgency: 'today', quantity: 2 });
    expect(res.status, res.text).toBe(201);
    const detail = await coordinator.get(`/api/dispatches/${res.body.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body.state).toBe('offered');
    expect(detail.body.offers).toHaveLength(1);
    expect(detail.body.offers[0]).toMatchObject({ serviceId, state: 'pending' });

    const board = await coordinator.get('/api/dispatches/board?kind=food');
    expect(board.status, board.text).toBe(200);
    expect(board.body.some((c: { id: string }) => c.id === res.body.id)).toBe(true);
    // Suggestions for the open dispatch run the acceptance statistics (`= ANY($1::uuid[])`).
    const again = await coordinator.get(`/api/dispatches/${res.body.id}/suggest`);
    expect(again.status, again.text).toBe(200);
  });

  it('reports the dispatch for the period, as JSON and CSV', async () => {
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
    const report = await coordinator.get(`/api/reports?from=${today}&to=${today}`);
    expect(report.status, report.text).toBe(200);
    expect(report.body.missing).toEqual([]);
    expect(report.body.dispatches.groups).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'food', district: DISTRICT })]));
    const csv = await coordinator.get(`/api/reports/dispatches.csv?from=${today}&to=${today}&lang=en`);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain(DISTRICT);
  });

  it('refuses to take the admin role from the last administrator (roles: { has: "admin" })', async () => {
    const me = await coordinator.get('/api/auth/me');
    expect(me.status, me.text).toBe(200);
    const res = await coordinator.patch(`/api/users/${me.body.user.id}`, { roles: ['coordinator'] });
    expect(res.status, res.text).toBe(409);
    expect(res.body.code).toBe('LAST_ADMIN');
  });
});
