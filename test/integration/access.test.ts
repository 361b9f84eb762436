// Deny by default: every users and audit route refuses the wrong role (403) and anyone signed
// out (401), and a route or socket command without an access declaration stops start-up.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@trustline/shared';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingAccessError } from '../../server/src/errors.js';
import { defineCommand, type CommandDefinition } from '../../server/src/realtime/commands.js';
import { Client, signedIn, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const someId = randomUUID();
const ROUTES: { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown; allowed: Role[] }[] = [
  { method: 'GET', path: '/api/users', allowed: ['admin'] },
  { method: 'POST', path: '/api/users', body: { username: 'never-made', displayName: 'N', password: TEST_PASSWORD, roles: ['operator'] }, allowed: ['admin'] },
  { method: 'PATCH', path: `/api/users/${someId}`, body: { roles: ['admin'] }, allowed: ['admin'] },
  { method: 'POST', path: `/api/users/${someId}/password`, body: { password: TEST_PASSWORD }, allowed: ['admin'] },
  { method: 'GET', path: '/api/audit', allowed: ['supervisor', 'admin'] },
];
const ALL_ROLES: Role[] = ['operator', 'coordinator', 'supervisor', 'admin'];

describe('route access', () => {
  for (const route of ROUTES) {
    const refused = ALL_ROLES.filter((r) => !route.allowed.includes(r)).join(', ');
    it(`${route.method} ${route.path.replace(someId, ':id')}: 401 signed out, 403 for ${refused}`, async () => {
      const usersBefore = await server.services.infra.db.prisma.user.findMany({ orderBy: { id: 'asc' } });
      const anonymous = new Client(server.url);
      const res = await anonymous.request(route.method, route.path, route.body);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');

      for (const role of ALL_ROLES.filter((r) => !route.allowed.includes(r))) {
        const { client } = await signedIn(server.url, server.services, [role]);
        const denied = await client.request(route.method, route.path, route.body);
        expect(denied.status, role).toBe(403);
        expect(denied.body.code, role).toBe('FORBIDDEN');
      }
      // Nothing the refused requests asked for happened.
      // (the users the refused roles signed in as are the only new rows).
      const usersAfter = await server.services.infra.db.prisma.user.findMany({ where: { id: { in: usersBefore.map((u) => u.id) } }, orderBy: { id: 'asc' } });
      expect(usersAfter).toEqual(usersBefore);
      if (route.path === '/api/users' && route.method === 'POST')
        expect(await server.services.infra.db.prisma.user.count({ where: { username: 'never-made' } })).toBe(0);
      for (const role of route.allowed) {
        const { client } = await signedIn(server.url, server.services, [role]);
        const allowed = await client.request(route.method, route.path, route.body);
        // Allowed through the access check: a success, or the route's own answer (404 for an unknown id).
        expect([200, 201, 204, 404], role).toContain(allowed.status);
      }
    });
  }

  it('lets a user holding several roles through on any one of them', async () => {
    const { client } = await signedIn(server.url, server.services, ['operator', 'supervisor']);
    expect((await client.get('/api/audit')).status).toBe(200);
    expect((await client.get('/api/users')).status).toBe(403);
  });
});

describe('access declarations at start-up', () => {
  it('refuses to start with a route that declares no access (MissingAccessError)', async () => {
    const undeclared = async (app: FastifyInstance) => {
      app.get('/api/forgotten', async () => ({ secret: true }));
    };
    const start = startTestServer({ extraRoutes: [undeclared] });
    await expect(start).rejects.toBeInstanceOf(MissingAccessError);
    await expect(start).rejects.toThrow(/GET \/api\/forgotten/);
  });

  it('starts with the same route once it declares access', async () => {
    const declared = async (app: FastifyInstance) => {
      app.get('/api/remembered', { config: { access: ['admin'] } }, async () => ({ ok: true }));
    };
    const other = await startTestServer({ extraRoutes: [declared] });
    try {
      expect((await new Client(other.url).get('/api/remembered')).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses to start with a socket command that declares no access', async () => {
    const command = defineCommand({
      name: 'presence:list',
      access: undefined as never,
      schema: z.object({}).strict(),
      handler: async () => [],
    }) as unknown as CommandDefinition;
    const start = startTestServer({ extraCommands: [command] });
    await expect(start).rejects.toMatchObject({ name: 'MissingAccessError' });
    await expect(start).rejects.toThrow(/socket commands without an access declaration: presence:list/);
  });
});
