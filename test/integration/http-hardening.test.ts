// What every response carries and every request is held to: security headers, a body size
// limit answered with a JSON error, and the OpenAPI documentation generated from the schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });
});
afterAll(async () => {
  await server?.close();
});

describe('security headers', () => {
  it.each(['/healthz', '/api/auth/me', '/'])('are on %s', async (path) => {
    const res = await fetch(server.url + path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('request size limit', () => {
  it('answers a body over BODY_LIMIT_BYTES with 413 and a JSON error, and does not sign in', async () => {
    const res = await new Client(server.url).post('/api/auth/login', { username: 'someone', password: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: expect.any(String) });
  });

  it('answers a signed-in change over the limit with 413 too, and changes nothing', async () => {
    const { client } = await signedIn(server.url, server.services, ['admin']);
    const before = await server.services.infra.db.prisma.user.count();
    const res = await client.post('/api/users', { username: 'too-big', displayName: 'x'.repeat(4096), password: 'long enough password', roles: ['operator'] });
    expect(res.status).toBe(413);
    expect(await server.services.infra.db.prisma.user.count()).toBe(before);
  });

  it('answers malformed JSON with a 400 JSON error', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI UI at /api/docs', async () => {
    const res = await fetch(`${server.url}/api/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });

  it('lists the routes with their schemas, such as the sign-in body, at /api/docs/json', async () => {
    const res = await fetch(`${server.url}/api/docs/json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const login = doc.paths['/api/auth/login'].post;
    const body = login.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['password', 'username']);
    expect(Object.keys(body.properties).sort()).toEqual(['password', 'username']);
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['200', '401', '429']));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/audit', '/healthz', '/readyz']));
  });
});
