// The privacy routes on embedded PGlite, in the shape `npm start` runs them: a fresh DATA_DIR
// migrated by the process that serves the app. The breach register's row lock (FOR UPDATE), its
// array of data kinds and the consent records with their withdrawal must work there as on
// PostgreSQL.
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
import { TEST_REDIS_URL } from '../helpers/env.js';
import { signedIn, type Client } from '../helpers/http.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from '../helpers/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tl-pglite-privacy-'));
const prefix = `t${randomBytes(5).toString('hex')}`;
let runtime: Runtime;
let app: FastifyInstance;
let admin: Client;
let operator: Client;

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
    AUTH_TOTP_REQUIRED_ROLES: '',
  });
  expect(config.database.kind).toBe('pglite');
  runtime = await createRuntime(config, pino({ level: 'silent' }), { migrate: true });
  app = await buildApp({ services: runtime.services });
  await app.listen({ port, host: '127.0.0.1' });
  admin = (await signedIn(url, runtime.services, ['admin'])).client;
  operator = (await signedIn(url, runtime.services, ['operator'])).client;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe('privacy on a PGlite DATA_DIR', () => {
  it('records a breach, updates and closes it, records a notice and lists the register', async () => {
    const discoveredAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const created = await admin.post('/api/privacy/breaches', {
      summary: 'Письмо с выгрузкой ушло не тому адресату',
      discoveredAt,
      dataKinds: ['names', 'addresses'],
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const updated = await admin.patch(`/api/privacy/breaches/${id}`, { peopleAffected: 3, closed: true });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ peopleAffected: 3, dataKinds: ['names', 'addresses'] });
    expect(updated.body.closedAt).not.toBeNull();
    const noticed = await admin.post(`/api/privacy/breaches/${id}/notices`, {
      kind: 'initial',
      sentAt: new Date().toISOString(),
      recipient: 'Роскомнадзор',
      content: 'pd.rkn.gov.ru № 7',
    });
    expect(noticed.status, noticed.text).toBe(201);
    expect(noticed.body.deadlines.map((d: { state: string }) => d.state)).toEqual(['met', 'pending']);
    const list = await admin.get('/api/privacy/breaches');
    expect(list.status).toBe(200);
    expect(list.body.map((b: { id: string }) => b.id)).toContain(id);
  });

  it('writes a consent with the identity and withdraws it, keeping the record', async () => {
    const contact = await operator.post('/api/contacts', { channel: 'walk-in' });
    expect(contact.status, contact.text).toBe(201);
    const saved = await operator.patch(`/api/contacts/${contact.body.id}`, {
      version: contact.body.version,
      identity: { consent: true, name: 'Вера', consentMethod: 'written' },
    });
    expect(saved.status, saved.text).toBe(200);
    const rows = await operator.get(`/api/privacy/consents?contactId=${contact.body.id}`);
    expect(rows.status, rows.text).toBe(200);
    expect(rows.body).toEqual([expect.objectContaining({ purpose: 'identified_contact', method: 'written', withdrawal: null })]);
    const withdrawn = await operator.post(`/api/privacy/consents/${rows.body[0].id}/withdraw`, { method: 'spoken' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.withdrawal).toMatchObject({ method: 'spoken' });
    const after = await operator.get(`/api/contacts/${contact.body.id}`);
    expect(after.body.identified).toBe(false);
    expect((await operator.get(`/api/privacy/consents?contactId=${contact.body.id}`)).body).toHaveLength(1);
  });
});
