// A person's requests on embedded PGlite, in the shape `npm start` runs: a fresh DATA_DIR migrated
// and seeded by the connection that then serves the app. The search's `in` lists, the array
// columns cleared (media links) and the erasure's one transaction must work there as on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { createRuntime, type Runtime } from '../../server/src/bootstrap.js';
import { loadConfig } from '../../server/src/config.js';
import { everything, seedPeople, type Person } from '../helpers/data-requests.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { signedIn, type Client } from '../helpers/http.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from '../helpers/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tl-pglite-data-requests-'));
const prefix = `t${randomBytes(5).toString('hex')}`;
let runtime: Runtime;
let app: FastifyInstance;
let admin: Client;
let a: Person;
let b: Person;
const REF = '№ 7/2026';

beforeAll(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    APP_SECRET: TEST_APP_SECRET,
  });
  expect(config.database.kind).toBe('pglite');
  runtime = await createRuntime(config, pino({ level: 'silent' }), { migrate: true });
  app = await buildApp({ services: runtime.services });
  await app.listen({ port, host: '127.0.0.1' });
  admin = (await signedIn(url, runtime.services, ['admin'])).client;
  ({ a, b } = await seedPeople(runtime.services));
}, 180_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a person's request on a PGlite DATA_DIR", () => {
  it('finds, exports and erases A, and leaves B', async () => {
    const search = () => admin.post('/api/data-requests/search', { phone: a.phone, reference: REF, reason: 'Запрос субъекта' });
    let s = await search();
    expect(s.status, s.text).toBe(200);
    expect(s.body.kinds.contacts).toHaveLength(3);
    expect(s.body.kinds.messages).toHaveLength(2);
    const json = await admin.get(`/api/data-requests/export?handle=${encodeURIComponent(s.body.handle)}&format=json`);
    expect(json.status).toBe(200);
    for (const v of a.values) expect(json.text).toContain(v);
    for (const v of b.values) expect(json.text).not.toContain(v);

    const refused = await admin.post('/api/data-requests/erase', { handle: s.body.handle, reference: REF, confirm: true, expectedTotal: s.body.total });
    expect(refused.status).toBe(409);
    await runtime.services.infra.db.prisma.case.update({ where: { id: a.ids.cases[0] }, data: { stage: 'closed', closedAt: new Date() } });
    s = await search();
    const erased = await admin.post('/api/data-requests/erase', { handle: s.body.handle, reference: REF, confirm: true, expectedTotal: s.body.total });
    expect(erased.status, erased.text).toBe(200);
    const all = await everything(runtime.services);
    for (const v of a.values) expect(all).not.toContain(v);
    for (const v of b.values) expect(all).toContain(v);
    const rec = await runtime.services.infra.db.prisma.destructionRecord.findUniqueOrThrow({ where: { id: erased.body.destructionRecordId } });
    expect(rec).toMatchObject({ basis: 'request', reference: REF });
  });
});
