import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: { METRICS_TOKEN: TOKEN },
    // A stand-in webhook route: the latency hook applies to every /twilio/* route of the app.
    extraRoutes: [
      async (app) => {
        app.post('/twilio/test-hook', { config: { access: 'public' } }, async () => ({ ok: true }));
      },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

describe('/metrics', () => {
  it('refuses people signed out (401) and non-admins (403)', async () => {
    expect((await new Client(server.url).get('/metrics')).status).toBe(401);
    for (const role of ['operator', 'supervisor', 'coordinator'] as const) {
      const { client } = await signedIn(server.url, server.services, [role]);
      expect((await client.get('/metrics')).status).toBe(403);
    }
  });

  it('refuses a wrong bearer token', async () => {
    const res = await new Client(server.url).get('/metrics', { authorization: 'Bearer not-the-token-0123456789' });
    expect(res.status).toBe(401);
  });

  it('serves Prometheus text to the bearer token, with webhook latency, queues, sockets and calls waiting', async () => {
    expect((await fetch(`${server.url}/twilio/test-hook`, { method: 'POST' })).status).toBe(200);
    const res = await new Client(server.url).get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    for (const name of [
      'trustline_webhook_duration_seconds_bucket',
      'trustline_queue_jobs{queue="maintenance",state="waiting"}',
      'trustline_queue_failed_jobs{queue="maintenance"}',
      'trustline_sockets_connected',
      'trustline_calls_waiting',
      'trustline_process_resident_memory_bytes',
      'trustline_nodejs_eventloop_lag_seconds',
    ]) {
      expect(res.text).toContain(name);
    }
    expect(res.text).toMatch(/trustline_webhook_duration_seconds_count\{route="\/twilio\/test-hook",method="POST",status="200"\} 1/);
  });

  it('serves an admin signed in', async () => {
    const { client } = await signedIn(server.url, server.services, ['admin']);
    const res = await client.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('trustline_calls_waiting 0');
  });
});

describe('/admin/queues (bull-board)', () => {
  it('refuses people signed out and non-admins, pages and API alike', async () => {
    const anonymous = new Client(server.url);
    expect((await anonymous.get('/admin/queues')).status).toBe(401);
    expect((await anonymous.get('/admin/queues/api/queues')).status).toBe(401);
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    expect((await client.get('/admin/queues')).status).toBe(403);
    expect((await client.get('/admin/queues/api/queues')).status).toBe(403);
  });

  it('shows admins the board and its queues', async () => {
    const { client } = await signedIn(server.url, server.services, ['admin']);
    const page = await client.get('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const api = await client.get('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toContain('maintenance');
  });

  it('refuses a change from a foreign origin even to an admin', async () => {
    const { client } = await signedIn(server.url, server.services, ['admin']);
    const res = await client.request('PUT', '/admin/queues/api/queues/maintenance/pause', undefined, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});
