// Who may call each route, written once per route below and checked against the running app: the
// declaration in app.routeTable must equal the table (a change of access shows up as a diff here,
// a new route without a row fails), and every route answers as declared: 401 signed out on a
// protected route, 403 to a signed-in role it does not allow, and neither to a role it allows.
// HEAD twins of GET routes share their GET route's row; the built console's files (one route each,
// named by build hash) share the CONSOLE_FILES row. Covers what access.test.ts checks per
// route (401/403/allowed for users and audit), for every route and every role.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Access, type Role } from '@trustline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret } from '../../server/src/crypto/tokens.js';
import { SESSION_COOKIE } from '../../server/src/plugins/session.js';
import { send } from '../helpers/fuzz.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

/** 'public': no sign-in; 'authenticated': any signed-in role; else the roles allowed. */
const EXPECTED: Record<string, Access> = {
  'GET /api/docs': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/directory': ['operator', 'coordinator', 'supervisor', 'admin'],
  'GET /api/directory/units': ['operator', 'coordinator', 'supervisor', 'admin'],
  'POST /api/directory/import': ['coordinator', 'admin'],
  'GET /api/directory/export': ['coordinator', 'admin'],
  'POST /api/directory/organizations': ['coordinator', 'admin'],
  'POST /api/directory/services': ['coordinator', 'admin'],
  'DELETE /api/directory/services/:id': ['coordinator', 'admin'],
  'PUT /api/directory/services/:id/capacity': ['coordinator', 'admin'],
  'POST /api/dispatches': ['operator', 'coordinator', 'supervisor', 'admin'],
  'GET /api/dispatches/board': ['coordinator', 'supervisor', 'admin'],
  'GET /api/dispatches/suggest': ['operator', 'coordinator', 'supervisor', 'admin'],
  'GET /api/dispatches/by-contact/:contactId': ['operator', 'coordinator', 'supervisor', 'admin'],
  'GET /api/dispatches/:id': ['operator', 'coordinator', 'supervisor', 'admin'],
  'GET /api/dispatches/:id/suggest': ['coordinator', 'supervisor', 'admin'],
  'POST /api/dispatches/:id/offer': ['coordinator', 'supervisor', 'admin'],
  'POST /api/dispatches/:id/cancel': ['coordinator', 'supervisor', 'admin'],
  'POST /api/dispatches/:id/fail': ['coordinator', 'supervisor', 'admin'],
  'POST /api/dispatches/:id/delivered': ['coordinator', 'supervisor', 'admin'],
  'GET /p/offer/:token': 'public',
  'POST /p/offer/:token': 'public',
  'GET /metrics': 'public',
  'GET /admin/queues': ['admin'],
  'GET /admin/queues/metrics-history': ['admin'],
  'GET /admin/queues/job-schedulers': ['admin'],
  'GET /admin/queues/queue/:queueName': ['admin'],
  'GET /admin/queues/queue/:queueName/:jobId': ['admin'],
  'GET /admin/queues/api/redis/stats': ['admin'],
  'GET /admin/queues/api/queues': ['admin'],
  'GET /admin/queues/api/job-schedulers': ['admin'],
  'GET /admin/queues/api/queues/:queueName/metrics': ['admin'],
  'GET /admin/queues/api/queues/:queueName/default-job-options': ['admin'],
  'GET /admin/queues/api/queues/:queueName/workers': ['admin'],
  'GET /admin/queues/api/queues/:queueName/rate-limit': ['admin'],
  'GET /admin/queues/api/queues/:queueName/job-data-schema': ['admin'],
  'PUT /admin/queues/api/queues/pause': ['admin'],
  'PUT /admin/queues/api/queues/resume': ['admin'],
  'GET /admin/queues/api/queues/:queueName/:jobId/logs': ['admin'],
  'GET /admin/queues/api/queues/:queueName/:jobId/flow': ['admin'],
  'GET /admin/queues/api/queues/:queueName/:jobId': ['admin'],
  'POST /admin/queues/api/queues/:queueName/add': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/retry/:queueStatus': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/promote': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/clean/:queueStatus': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/pause': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/resume': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/concurrency': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/rate-limit': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/rate-limit/release': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/empty': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/obliterate': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId/remove': ['admin'],
  'PATCH /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId/run': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/:jobId/retry': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/:jobId/clean': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/:jobId/promote': ['admin'],
  'PATCH /admin/queues/api/queues/:queueName/:jobId/update-data': ['admin'],
  'PATCH /admin/queues/api/queues/:queueName/:jobId/delay': ['admin'],
  'PATCH /admin/queues/api/queues/:queueName/:jobId/priority': ['admin'],
  'PUT /admin/queues/api/queues/:queueName/:jobId/remove-unprocessed-children': ['admin'],
  'GET /admin/queues/static/*': ['admin'],
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'POST /api/auth/login/totp': 'public',
  'POST /api/auth/login/enrol': 'public',
  'POST /api/auth/login/enrol/confirm': 'public',
  'GET /api/auth/security': 'authenticated',
  'POST /api/auth/totp/enrol': 'authenticated',
  'POST /api/auth/totp/confirm': 'authenticated',
  'POST /api/auth/totp/disable': 'authenticated',
  'GET /api/auth/sessions': 'authenticated',
  'POST /api/auth/sessions/:sessionId/end': 'authenticated',
  'POST /api/auth/logout-everywhere': 'authenticated',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'GET /api/users': ['admin'],
  'GET /api/users/directory': 'authenticated',
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'POST /api/users/:id/password': ['admin'],
  'GET /api/users/:id/sessions': ['admin'],
  'POST /api/users/:id/sessions/:sessionId/end': ['admin'],
  'POST /api/users/:id/sessions/end-all': ['admin'],
  'POST /api/users/:id/totp/reset': ['admin'],
  'GET /api/audit': ['supervisor', 'admin'],
  'GET /api/audit/export.csv': ['supervisor', 'admin'],
  // Consents: every role that handles some subject; the service checks the contact's or case's own access.
  'GET /api/privacy/consents': ['operator', 'supervisor', 'curator'],
  'POST /api/privacy/consents': ['operator', 'supervisor', 'curator'],
  'POST /api/privacy/consents/:id/withdraw': ['operator', 'supervisor', 'curator'],
  'GET /api/privacy/breaches': ['admin'],
  'POST /api/privacy/breaches': ['admin'],
  'GET /api/privacy/breaches/:id': ['admin'],
  'PATCH /api/privacy/breaches/:id': ['admin'],
  'POST /api/privacy/breaches/:id/notices': ['admin'],
  'GET /api/privacy/destruction-records': ['admin'],
  'GET /api/privacy/destruction-records/:id': ['admin'],
  'POST /api/privacy/retention/run': ['admin'],
  'POST /api/data-requests/search': ['admin'],
  'GET /api/data-requests/export': ['admin'],
  'POST /api/data-requests/erase': ['admin'],
  'POST /api/wallboard/kiosk/sign-in': 'public',
  'GET /api/wallboard/kiosks': ['admin'],
  'POST /api/wallboard/kiosks': ['admin'],
  'POST /api/wallboard/kiosks/:id/revoke': ['admin'],
  'GET /api/wallboard': ['supervisor', 'admin', 'wallboard'],
  'POST /api/wallboard/reconcile': ['supervisor', 'admin'],
  'POST /api/wallboard/assign': ['supervisor', 'admin'],
  'POST /api/wallboard/operator-state': ['supervisor', 'admin'],
  'POST /api/wallboard/alerts/ack': ['supervisor', 'admin'],
  'POST /api/wallboard/messages': ['supervisor', 'admin'],
  'GET /api/reports': ['supervisor', 'admin'],
  'GET /api/reports/:table.csv': ['supervisor', 'admin'],
  'POST /twilio/voice': 'public',
  'POST /twilio/voice/ivr': 'public',
  'POST /twilio/voice/no-answer': 'public',
  'POST /twilio/voice/no-answer/choice': 'public',
  'POST /twilio/voice/rejoin': 'public',
  'POST /twilio/voice/voicemail': 'public',
  'POST /twilio/voice/after-dial': 'public',
  'POST /twilio/voice/status': 'public',
  'POST /twilio/voice/conference': 'public',
  'POST /twilio/voice/callback-status': 'public',
  'POST /twilio/sms': 'public',
  'POST /twilio/sms/status': 'public',
  'GET /api/telephony/token': ['operator', 'supervisor'],
  'GET /api/telephony/messages/stuck': ['supervisor', 'admin'],
  'GET /api/telephony/lines': ['operator', 'supervisor', 'admin'],
  'POST /api/telephony/lines': ['admin'],
  'PATCH /api/telephony/lines/:id': ['admin'],
  'GET /api/telephony/callbacks': ['operator', 'supervisor'],
  'POST /api/telephony/callbacks/:id/dial': ['operator', 'supervisor'],
  'POST /api/telephony/callbacks/:id/close': ['operator', 'supervisor'],
  'POST /api/telephony/callbacks/:id/reveal-number': ['operator', 'supervisor'],
  'POST /api/telephony/calls/:id/reveal-number': ['operator', 'supervisor'],
  'POST /api/telephony/conversations/:id/reveal-number': ['operator', 'supervisor'],
  'GET /api/telephony/reveals': ['supervisor'],
  'POST /api/telephony/simulator/call': ['admin'],
  'POST /api/telephony/simulator/digits': ['admin'],
  'POST /api/telephony/simulator/record': ['admin'],
  'POST /api/telephony/simulator/hangup': ['admin'],
  'POST /api/telephony/simulator/sms': ['admin'],
  'GET /api/telephony/simulator/calls': ['admin'],
  'POST /api/contacts': ['operator', 'supervisor'],
  'GET /api/contacts': ['operator', 'supervisor'],
  'GET /api/contacts/high-risk': ['supervisor'],
  'GET /api/contacts/:id': ['operator', 'supervisor', 'coordinator', 'curator'],
  'PATCH /api/contacts/:id': ['operator', 'supervisor'],
  'POST /api/contacts/:id/finalise': ['operator', 'supervisor'],
  'POST /api/contacts/:id/reopen': ['supervisor'],
  'POST /api/contacts/:id/r4-sign-off': ['supervisor'],
  'POST /api/contacts/:id/alert/ack': ['supervisor'],
  'POST /api/contacts/:id/follow-up/done': ['operator', 'supervisor'],
  'GET /api/contacts/:id/history': ['operator', 'supervisor'],
  'GET /api/contacts/:id/events': ['operator', 'coordinator', 'supervisor'],
  'POST /api/contacts/:id/caller-flags': ['supervisor'],
  'GET /api/contact-categories': ['operator', 'coordinator', 'supervisor', 'admin', 'curator'],
  'POST /api/contact-categories': ['admin'],
  'PATCH /api/contact-categories/:id': ['admin'],
  'GET /api/areas': ['operator', 'coordinator', 'supervisor', 'admin', 'curator'],
  'POST /api/areas': ['admin'],
  'PATCH /api/areas/:id': ['admin'],
  'POST /api/cases': ['operator', 'coordinator', 'curator', 'supervisor'],
  'GET /api/cases': ['curator', 'supervisor'],
  'GET /api/cases/mine': ['curator'],
  'GET /api/cases/glimpse': ['operator', 'coordinator', 'curator', 'supervisor'],
  'GET /api/cases/deadlines/overdue': ['supervisor', 'curator'],
  'GET /api/cases/results': ['supervisor', 'curator', 'admin'],
  'GET /api/cases/results.csv': ['supervisor', 'curator', 'admin'],
  'GET /api/cases/:id': ['curator', 'supervisor'],
  'GET /api/cases/:id/timeline': ['curator', 'supervisor'],
  'POST /api/cases/:id/contacts': ['operator', 'coordinator', 'curator', 'supervisor'],
  'POST /api/cases/:id/curator': ['curator', 'supervisor'],
  'POST /api/cases/:id/transition': ['curator', 'supervisor'],
  'POST /api/cases/:id/application': ['curator', 'supervisor'],
  'POST /api/cases/:id/deadlines/:itemId/met': ['curator', 'supervisor'],
  'POST /api/cases/:id/goals': ['curator', 'supervisor'],
  'DELETE /api/cases/:id/goals/:itemId': ['curator', 'supervisor'],
  'POST /api/cases/:id/tasks': ['curator', 'supervisor'],
  'PATCH /api/cases/:id/tasks/:itemId': ['curator', 'supervisor'],
  'POST /api/cases/:id/notes': ['curator', 'supervisor'],
  'GET /api/calendar/:year': 'authenticated',
  'PUT /api/calendar/days': ['admin'],
  'DELETE /api/calendar/days/:date': ['admin'],
  'GET /': 'public',
};
/** Routes declared public that let in only some callers themselves (the declaration above still
 * says public): the answer follows this row. /metrics: an admin's session, or Prometheus with the
 * METRICS_TOKEN bearer token. HEAD twins follow their GET row here too. */
const OWN_GATES: Record<string, Access> = {
  'GET /metrics': ['admin'],
};
/** Every file of the console build (present when `npm run build` has run). */
const CONSOLE_FILES: Access = 'public';

let server: TestServer;
let base: URL;
const sessions = new Map<Role, { cookie: string; csrf: string }>();

async function newSession(role: Role) {
  const prisma = server.services.infra.db.prisma;
  const user = await prisma.user.create({
    data: { username: `matrix-${role}-${randomUUID().slice(0, 8)}`, displayName: `Matrix ${role}`, passwordHash: 'not-used', roles: [role] },
  });
  const { secret, id } = newSecret();
  await prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  const cookie = `${SESSION_COOKIE}=${secret}`;
  const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  const csrfCookie = me.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  sessions.set(role, { cookie: `${cookie}; ${csrfCookie}`, csrf: csrfToken });
}

beforeAll(async () => {
  server = await startTestServer();
  base = new URL(server.url);
  for (const role of ROLES) await newSession(role);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const sorted = (a: Access) => (typeof a === 'string' ? a : [...a].sort());
/** The row for a route: its own, or its GET route's for a HEAD twin. */
const isConsoleFile = (url: string) => {
  const file = join(server.config.consoleDist, url);
  return url !== '/' && existsSync(file) && statSync(file).isFile();
};
const rowOf = (r: { method: string; url: string }) =>
  EXPECTED[key(r)] ??
  (r.method === 'HEAD' ? EXPECTED[`GET ${r.url}`] : undefined) ??
  (['GET', 'HEAD'].includes(r.method) && isConsoleFile(r.url) ? CONSOLE_FILES : undefined);
const allows = (access: Access, role: Role) => access === 'public' || access === 'authenticated' || access.includes(role);

/** A concrete path for a route pattern: any value matches the route, and access is decided on
 * the matched route before the parameters are validated. */
const pathOf = (url: string) =>
  url
    .replace(/:table\.csv/, 'calls.csv')
    .replace(/:\w+/g, randomUUID())
    .replace(/\*$/, 'x');

async function call(route: { method: string; url: string }, role: Role | null) {
  const s = role ? sessions.get(role)! : undefined;
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  const headers: Record<string, string> = { origin: server.url, ...(hasBody ? { 'content-type': 'application/json' } : {}) };
  if (s) Object.assign(headers, { cookie: s.cookie, 'x-csrf-token': s.csrf });
  // An empty object: the body schema refuses it before a handler could change anything.
  const res = await send(base, route.method, pathOf(route.url), headers, hasBody ? '{}' : undefined);
  // Signing out ends the session the next rows would use.
  if (role && ['/api/auth/logout', '/api/auth/logout-everywhere'].includes(route.url) && res.status < 300) await newSession(role);
  let code: string | undefined;
  try {
    code = JSON.parse(res.text).code;
  } catch {
    code = undefined;
  }
  // A HEAD answer has no body: the status alone must say it.
  return { status: res.status, code: route.method === 'HEAD' ? (res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : undefined) : code };
}

describe('the route table', () => {
  it('has exactly one expected-access row per route, and every declaration matches its row', () => {
    const routes = server.app.routeTable;
    const missing = routes.filter((r) => rowOf(r) === undefined).map(key);
    expect(missing, 'routes without a row in EXPECTED').toEqual([]);
    const stale = Object.keys(EXPECTED).filter((k) => !routes.some((r) => key(r) === k));
    expect(stale, 'rows in EXPECTED for routes that no longer exist').toEqual([]);
    const changed = routes
      .filter((r) => JSON.stringify(sorted(r.access)) !== JSON.stringify(sorted(rowOf(r)!)))
      .map((r) => `${key(r)}: declared ${JSON.stringify(r.access)}`);
    expect(changed, 'declarations that differ from EXPECTED').toEqual([]);
  });
});

describe('every route answers as its row says', () => {
  it('for every role and signed out', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    for (const route of server.app.routeTable) {
      const declared = rowOf(route);
      if (declared === undefined) continue; // reported by the table test above
      const access = OWN_GATES[key(route)] ?? (route.method === 'HEAD' ? OWN_GATES[`GET ${route.url}`] : undefined) ?? declared;
      const anonymous = await call(route, null);
      if (access === 'public') {
        // No access check runs: any answer but 401 (a 403 is the route's own, e.g. a bad token).
        if (anonymous.status === 401) wrong.push(`${key(route)} signed out: 401 on a public route`);
        for (const role of ROLES) if ((await call(route, role)).status === 401) wrong.push(`${key(route)} as ${role}: 401 on a public route`);
        continue;
      }
      if (anonymous.status !== 401 || anonymous.code !== 'UNAUTHENTICATED') wrong.push(`${key(route)} signed out: ${anonymous.status} (want 401)`);
      for (const role of ROLES) {
        const res = await call(route, role);
        if (allows(access, role)) {
          // Allowed through: the route's own answer (success, 400 for the empty body, 404 for the
          // made-up id); a 403 here may only be the route's own rule, never the access check's.
          if (res.status === 401 || (res.status === 403 && res.code === 'FORBIDDEN'))
            wrong.push(`${key(route)} as ${role}: ${res.status} ${res.code} (allowed)`);
        } else if (res.status !== 403 || res.code !== 'FORBIDDEN') wrong.push(`${key(route)} as ${role}: ${res.status} ${res.code} (want 403)`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
