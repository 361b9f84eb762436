// CSRF and same-origin checks decide on the matched route, not on the URL text: every changing
// route of the route table, reached as written, percent-encoded, with a doubled slash or in mixed
// case, is refused from a foreign origin and without a CSRF token, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES_UI_PREFIX } from '../../server/src/modules/operations/operations.routes.js';
import { signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let cookie = '';
beforeAll(async () => {
  server = await startTestServer();
  cookie = (await signedIn(server.url, server.services, ['admin', 'supervisor', 'operator', 'coordinator'])).client.cookieHeader;
});
afterAll(async () => {
  await server?.close();
});

const sample = (url: string) => url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000').replace(/\*/g, 'x');
const forms = (path: string) => ({
  plain: path,
  encoded: path.replace(/^\/(\w)/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
  doubleSlash: `/${path}`,
  mixedCase: path.replace(/^\/(\w)/, (_m, c: string) => `/${c.toUpperCase()}`),
});

describe('changing routes refuse foreign origins and missing CSRF tokens in every path form', () => {
  it('refuses POST /%61pi/users from a foreign origin and creates no one', async () => {
    const payload = { username: 'csrf-made', displayName: 'X', password: 'correct horse battery staple', roles: ['admin'] };
    const foreign = await server.app.inject({ method: 'POST', url: '/%61pi/users', payload, headers: { cookie, origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    const noToken = await server.app.inject({ method: 'POST', url: '/%61pi/users', payload, headers: { cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(await server.services.infra.db.prisma.user.count({ where: { username: 'csrf-made' } })).toBe(0);
  });

  it('covers every non-GET route of the route table', async () => {
    const changing = server.app.routeTable.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(changing.length).toBeGreaterThan(50);
    const auditBefore = await server.services.infra.db.prisma.auditLog.count();
    const failures: string[] = [];
    for (const route of changing) {
      for (const [form, url] of Object.entries(forms(sample(route.url)))) {
        const foreign = await server.app.inject({ method: route.method as 'POST', url, payload: {}, headers: { cookie, origin: 'https://evil.example' } });
        // Refused (403), or not a route at all (404: Fastify matches case and slashes exactly).
        if (![403, 404].includes(foreign.statusCode)) failures.push(`${route.method} ${url} (${form}) foreign origin: ${foreign.statusCode}`);
        // bull-board's UI cannot send the token: its routes are same-origin only (csrf: 'origin-only').
        if (route.access === 'public' || route.url.startsWith(QUEUES_UI_PREFIX)) continue;
        const noToken = await server.app.inject({ method: route.method as 'POST', url, payload: {}, headers: { cookie } });
        if (![403, 404].includes(noToken.statusCode)) failures.push(`${route.method} ${url} (${form}) no token: ${noToken.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // The only audit entries are the sign-in's; no refused change left one.
    expect(await server.services.infra.db.prisma.auditLog.count()).toBe(auditBefore);
  });
});

describe('access is checked before the body is validated', () => {
  it('answers an anonymous caller 401 and a wrong role 403, never the validation details', async () => {
    const anon = await server.app.inject({ method: 'POST', url: '/api/users', payload: { nonsense: 1 } });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHENTICATED');
    const { client } = await signedIn(server.url, server.services, ['curator']);
    const wrongRole = await server.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { nonsense: 1 },
      headers: { cookie: client.cookieHeader, 'x-csrf-token': client.csrf },
    });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().code).toBe('FORBIDDEN');
    expect(wrongRole.body).not.toMatch(/username/);
  });
});
