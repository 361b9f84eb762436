// The contacts permission matrix (shared/src/contact-permissions.ts, docs/contacts.md),
// route by route and role by role, on a contact the caller did handle ("own") and one they did
// not ("other"). Every read of identified data leaves an audit entry; roles that may not see it
// get none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@trustline/shared';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
/** Staff roles that work with contacts (the read-only wall-screen role never does). */
type Staff = Exclude<Role, 'wallboard'>;
const users = {} as Record<Staff, { client: Client; user: { id: string } }>;
const ROLES: Staff[] = ['operator', 'coordinator', 'supervisor', 'admin', 'curator'];

beforeAll(async () => {
  server = await startTestServer();
  for (const r of ROLES) users[r] = await signedIn(server.url, server.services, [r]);
});
afterAll(async () => {
  await server?.close();
});

/** A contact handled by `operatorId`, identified, with notes. */
async function contactOf(operatorId: string | null) {
  const c = await server.services.infra.db.prisma.contact.create({
    data: { channel: 'voice', operatorId, summary: 'Notes about the family', identified: true, phoneHash: server.services.phones.hash('+70000000001') },
  });
  await server.services.infra.db.prisma.contactIdentity.create({ data: { contactId: c.id, consentAt: new Date(), name: 'Иван', address: 'Tomsk' } });
  return c.id;
}

type Expect = number | 'view:full' | 'view:dispatch' | 'view:summary';
/** role -> [expected on own contact, expected on someone else's]. Own only applies to operators. */
const MATRIX: { route: string; call: (c: Client, id: string) => Promise<{ status: number; body: any }>; expect: Record<Staff, [Expect, Expect]> }[] = [
  {
    route: 'GET /api/contacts/:id',
    call: (c, id) => c.get(`/api/contacts/${id}`),
    expect: {
      operator: ['view:full', 'view:summary'],
      coordinator: ['view:dispatch', 'view:dispatch'],
      supervisor: ['view:full', 'view:full'],
      admin: [403, 403],
      curator: ['view:summary', 'view:summary'],
    },
  },
  {
    route: 'PATCH /api/contacts/:id',
    call: (c, id) => c.patch(`/api/contacts/${id}`, { version: 999, summary: 'x' }),
    // 409: allowed, stopped only by the stale version (nothing changes).
    expect: { operator: [409, 403], coordinator: [403, 403], supervisor: [409, 409], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'POST /api/contacts/:id/finalise',
    call: (c, id) => c.post(`/api/contacts/${id}/finalise`, { version: 999 }),
    expect: { operator: [409, 403], coordinator: [403, 403], supervisor: [409, 409], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'POST /api/contacts/:id/reopen',
    call: (c, id) => c.post(`/api/contacts/${id}/reopen`, { reason: 'check' }),
    // 409: allowed, but the contact is not finalised.
    expect: { operator: [403, 403], coordinator: [403, 403], supervisor: [409, 409], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'GET /api/contacts/:id/history',
    call: (c, id) => c.get(`/api/contacts/${id}/history`),
    expect: { operator: [200, 403], coordinator: [403, 403], supervisor: [200, 200], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'GET /api/contacts/:id/events',
    call: (c, id) => c.get(`/api/contacts/${id}/events`),
    expect: { operator: [200, 403], coordinator: [200, 200], supervisor: [200, 200], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'POST /api/contacts/:id/alert/ack',
    call: (c, id) => c.post(`/api/contacts/${id}/alert/ack`),
    expect: { operator: [403, 403], coordinator: [403, 403], supervisor: [409, 409], admin: [403, 403], curator: [403, 403] },
  },
  {
    route: 'POST /api/contacts/:id/caller-flags',
    call: (c, id) =>
      c.post(`/api/contacts/${id}/caller-flags`, { kind: 'abusive', reason: 'insults staff', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
    expect: { operator: [403, 403], coordinator: [403, 403], supervisor: [201, 201], admin: [403, 403], curator: [403, 403] },
  },
];

const LIST_ROUTES: { route: string; call: (c: Client) => Promise<{ status: number }>; allowed: readonly Staff[] }[] = [
  { route: 'POST /api/contacts', call: (c) => c.post('/api/contacts', { channel: 'referral', sourceOrgType: 'school' }), allowed: ['operator', 'supervisor'] },
  { route: 'GET /api/contacts', call: (c) => c.get('/api/contacts'), allowed: ['operator', 'supervisor'] },
  { route: 'GET /api/contacts?q=', call: (c) => c.get('/api/contacts?q=family'), allowed: ['operator', 'supervisor'] },
  { route: 'GET /api/contacts/high-risk', call: (c) => c.get('/api/contacts/high-risk'), allowed: ['supervisor'] },
  { route: 'GET /api/contact-categories', call: (c) => c.get('/api/contact-categories'), allowed: ROLES },
  { route: 'GET /api/areas', call: (c) => c.get('/api/areas'), allowed: ROLES },
  {
    route: 'POST /api/contact-categories',
    call: (c) => c.post('/api/contact-categories', { code: `x-${crypto.randomUUID().slice(0, 8)}`, labelRu: 'Х', labelEn: 'X' }),
    allowed: ['admin'],
  },
  {
    route: 'POST /api/areas',
    call: (c) => c.post('/api/areas', { code: `a-${crypto.randomUUID().slice(0, 8)}`, kind: 'settlement', nameRu: 'А', nameEn: 'A' }),
    allowed: ['admin'],
  },
];

describe("contact routes, role by role, on own and others' contacts", () => {
  for (const row of MATRIX) {
    for (const role of ROLES) {
      it(`${row.route} as ${role}`, async () => {
        const { client, user } = users[role];
        const [ownExpect, otherExpect] = row.expect[role];
        for (const [whose, expected] of [
          ['own', ownExpect],
          ['other', otherExpect],
        ] as const) {
          const id = await contactOf(whose === 'own' ? user.id : null);
          const res = await row.call(client, id);
          if (typeof expected === 'number') {
            expect(res.status, `${whose}`).toBe(expected);
            continue;
          }
          expect(res.status, `${whose}`).toBe(200);
          const kind = expected.slice(5);
          expect(res.body.view).toBe(kind);
          if (kind === 'summary') {
            expect(res.body).not.toHaveProperty('summary');
            expect(res.body).not.toHaveProperty('identity');
          }
          if (kind === 'dispatch') {
            expect(res.body).not.toHaveProperty('summary');
            expect(res.body.identity).toMatchObject({ name: 'Иван', callbackPhoneLabel: null });
          }
          if (kind === 'full') expect(res.body.summary).toBe('Notes about the family');
          const audited = await server.services.infra.db.prisma.auditLog.count({ where: { entityId: id, action: 'contact.identity.read', actorId: user.id } });
          expect(audited, 'identity read audited').toBe(kind === 'summary' ? 0 : 1);
        }
      });
    }
  }
});

describe('list and configuration routes, role by role', () => {
  for (const row of LIST_ROUTES) {
    for (const role of ROLES) {
      const allowed = row.allowed.includes(role);
      it(`${row.route} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const res = await row.call(users[role].client);
        if (allowed) expect(res.status).toBeLessThan(300);
        else expect(res.status).toBe(403);
      });
    }
  }
});
