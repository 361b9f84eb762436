import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, signedIn, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3' } });
});
afterAll(async () => {
  await server?.close();
});

const auditOf = (action: string) => server.services.infra.db.prisma.auditLog.findMany({ where: { action } });

describe('sign-in', () => {
  it('signs in with the right password, sets an HttpOnly SameSite=Strict cookie and audits it', async () => {
    const user = await makeUser(server.services, ['operator']);
    const client = new Client(server.url);
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tl_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = await res.json();
    expect(body.user).toMatchObject({ username: user.username, roles: ['operator'] });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.user).not.toHaveProperty('passwordHash');
    const entries = await auditOf('auth.login');
    expect(entries.some((e) => e.actorId === user.id)).toBe(true);
    await client.login(user.username, TEST_PASSWORD);
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
  });

  it('refuses a wrong password with one message for every cause and audits the failure', async () => {
    const user = await makeUser(server.services, ['operator']);
    const client = new Client(server.url);
    const wrong = await client.login(user.username, 'not the password at all');
    const unknown = await client.login('nobody-here', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    const failed = await auditOf('auth.login.failed');
    expect(failed.find((e) => e.actorId === user.id)?.detail).toEqual({ reason: 'bad-password' });
    // No session was made.
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('throttles repeated failures, even for the right password, and says when to retry', async () => {
    const user = await makeUser(server.services, ['operator']);
    const client = new Client(server.url);
    for (let i = 0; i < 3; i++) expect((await client.login(user.username, 'wrong password here')).status).toBe(401);
    const locked = await client.login(user.username, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('LOGIN_THROTTLED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await auditOf('auth.login.throttled')).length).toBeGreaterThan(0);
  });

  it('names the bad field of a malformed body and changes nothing', async () => {
    const client = new Client(server.url);
    const res = await client.post('/api/auth/login', { username: 'someone' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields[0].path).toBe('body.password');
  });

  it('signs out: the session ends and the cookie no longer works', async () => {
    const { client } = await signedIn(server.url, server.services, ['supervisor']);
    const stolen = client.cookieHeader;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    const res = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: stolen } });
    expect(res.status).toBe(401);
  });

  it('refuses a change without the CSRF token, and one from a foreign origin', async () => {
    const { client } = await signedIn(server.url, server.services, ['admin']);
    const body = { username: 'csrf-victim', displayName: 'X', password: TEST_PASSWORD, roles: ['operator'] };
    const token = client.csrf;
    client.csrf = '';
    expect((await client.post('/api/users', body)).status).toBe(403);
    client.csrf = token;
    expect((await client.post('/api/users', body, { origin: 'https://evil.example' })).status).toBe(403);
    expect(await server.services.infra.db.prisma.user.count({ where: { username: 'csrf-victim' } })).toBe(0);
    expect((await client.post('/api/users', body)).status).toBe(201);
  });
});
