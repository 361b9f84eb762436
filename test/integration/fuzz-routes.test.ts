// Every route, as every role and signed out, with bad input generated from the route's own OpenAPI
// schema (test/helpers/fuzz.ts): no answer may be a 5xx, the access and same-origin/CSRF checks
// answer as declared, and /healthz is still 200 at the end. The run is bounded (FUZZ_RUNS cases
// per route for each role allowed on it, a few for the others) and reproducible: the seed is
// printed with the summary; FUZZ_SEED=<n> replays a run.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ROLES, type Access, type Role } from '@trustline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret } from '../../server/src/crypto/tokens.js';
import { SESSION_COOKIE } from '../../server/src/plugins/session.js';
import { signedHeaders } from '../../server/src/modules/telephony/twilio-sim.js';
import { body, knownIds, knownSids, pathValue, query, send, twilioForm, type JsonSchema, type WireBody } from '../helpers/fuzz.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine, webhook } from '../helpers/telephony.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
const REFUSED_RUNS = 1;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** FUZZ_ONLY=<regex> fuzzes only the routes whose "METHOD /url" it matches (to chase one finding). */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
const FOREIGN = 'https://evil.example';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Identity = Role | 'anonymous';
interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}
interface Operation {
  method: string;
  url: string; // Fastify's form: /api/cases/:id
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
  bodySchema?: JsonSchema;
  access: Access;
  csrf?: 'origin-only';
}
interface Case {
  path: string;
  query: string;
  body: WireBody;
  headers: 'same-origin' | 'no-origin' | 'no-csrf' | 'foreign';
  twilio?: { form: Record<string, string>; signed: boolean };
}

let server: TestServer;
let base: URL;
const sessions = new Map<Role, Session>();
const fuzzUsers = new Set<string>();
const byStatus: Record<string, number> = {};
const failures: string[] = [];
const surprises: string[] = [];
/** Refused changes that still left an audit entry by the caller: the refusal changed something. */
const changedOnRefusal: string[] = [];
let tried = 0;
const slowest: [string, number][] = [];
/** FUZZ_DEBUG=1: statuses per route, to see which routes the generated input gets through to. */
const perRoute = new Map<string, Record<number, number>>();
const refusalsPerRoute = new Map<string, Set<string>>();

async function newSession(role: Role): Promise<Session> {
  const prisma = server.services.infra.db.prisma;
  const user = await prisma.user.create({
    data: { username: `fuzz-${role}-${randomUUID().slice(0, 8)}`, displayName: `Fuzz ${role}`, passwordHash: 'not-used', roles: [role] },
  });
  fuzzUsers.add(user.id);
  const { secret, id } = newSecret();
  await prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  const cookie = `${SESSION_COOKIE}=${secret}`;
  const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  const csrfCookie = me.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return { cookie: [cookie, csrfCookie].filter(Boolean).join('; '), csrf: csrfToken, userId: user.id };
}

/** A session ended or changed by a fuzzed request (sign-out, an admin's change) is replaced. */
async function keepSessions() {
  for (const role of ROLES) {
    const s = sessions.get(role);
    const me = s && (await send(base, 'GET', '/api/auth/me', { cookie: s.cookie }));
    const ok = me && me.status === 200 && JSON.stringify(JSON.parse(me.text).user.roles) === JSON.stringify([role]);
    if (!ok) sessions.set(role, await newSession(role));
  }
}

async function refreshIds() {
  const prisma = server.services.infra.db.prisma as unknown as Record<string, { findMany(a: object): Promise<{ id: string }[]> }>;
  const models = [
    'contact',
    'case',
    'caseGoal',
    'caseTask',
    'caseDeadline',
    'dispatch',
    'area',
    'category',
    'dirOrganization',
    'dirService',
    'line',
    'callbackRequest',
    'user',
    'call',
  ];
  const ids: string[] = [];
  for (const m of models) {
    const rows = (await prisma[m]?.findMany({ select: { id: true }, take: 3, orderBy: { id: 'desc' } }).catch(() => [])) ?? [];
    ids.push(...rows.map((r) => r.id).filter((id) => !fuzzUsers.has(id)));
  }
  knownIds.splice(0, knownIds.length, ...ids);
  const db = server.services.infra.db.prisma;
  const sids = [
    ...(await db.call.findMany({ select: { callSid: true }, take: 5, orderBy: { id: 'desc' } })).map((c) => c.callSid),
    ...(await db.message.findMany({ select: { messageSid: true }, take: 5, orderBy: { id: 'desc' } })).map((m) => m.messageSid),
  ].filter((v): v is string => !!v);
  knownSids.splice(0, knownSids.length, ...sids);
}

async function seed() {
  const prisma = server.services.infra.db.prisma;
  await makeLine(server);
  await prisma.contact.create({ data: { channel: 'voice', summary: 'Fuzz seed', identified: false } });
  const c = await prisma.case.create({ data: { origin: 'signal', subjectKind: 'family', subjectName: 'Fuzz family', consentAt: new Date() } });
  const goal = await prisma.caseGoal.create({ data: { caseId: c.id, part: 'safety', text: 'Goal' } }).catch(() => null);
  if (goal) await prisma.caseTask.create({ data: { caseId: c.id, goalId: goal.id, text: 'Task' } });
  await prisma.dispatch.create({ data: { kind: 'food', district: 'Центральный', urgency: 'today' } });
  await prisma.user.create({ data: { username: `victim-${randomUUID().slice(0, 8)}`, displayName: 'Victim', passwordHash: 'x', roles: ['operator'] } });
}

function operations(): Operation[] {
  const doc = server.app.swagger() as { paths: Record<string, Record<string, any>> };
  const table = server.app.routeTable;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const row = table.find((r) => r.method === method.toUpperCase() && r.url === url);
      if (!row) throw new Error(`${method} ${path} is in the OpenAPI document but not in the route table`);
      const params = (op.parameters ?? []) as { in: string; name: string; schema: JsonSchema }[];
      const route = row;
      ops.push({
        method: route.method,
        url,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        access: route.access,
      });
    }
  }
  // Routes the document hides (Twilio's webhooks, the provider page, metrics), fuzzed without a
  // schema; bull-board's own API and the static files (API docs, the console build, which another
  // test may rebuild mid-run) are third-party and left out.
  for (const r of table) {
    if (r.method === 'HEAD' || ops.some((o) => o.method === r.method && o.url === r.url)) continue;
    if (/^\/(admin\/queues|api\/docs)(\/|$)/.test(r.url) || r.url === '/' || existsSync(join(server.config.consoleDist, r.url))) continue;
    const names = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    ops.push({ method: r.method, url: r.url, pathParams: names.map((name) => ({ name, schema: { type: 'string' } })), queryParams: [], access: r.access });
  }
  return ops;
}

const allowed = (access: Access, who: Identity) => access === 'public' || (who !== 'anonymous' && (access === 'authenticated' || access.includes(who)));

const TWILIO_QUERY = ['cb', 'm', 'lineId', 'Digits', 'attempt', 'callId', 'callbackId'].map((name) => ({
  name,
  schema: { type: 'string', format: name.endsWith('d') || name.length < 3 ? 'uuid' : undefined } as JsonSchema,
}));

function caseFor(op: Operation): fc.Arbitrary<Case> {
  // Twilio's webhooks: a form signed as Twilio signs it (most cases), so the fields reach the handlers.
  if (op.url.startsWith('/twilio/')) {
    return fc.record({
      path: fc.constant(op.url),
      query: query(TWILIO_QUERY),
      body: fc.constant({}),
      headers: fc.constantFrom<Case['headers']>('no-origin', 'no-origin', 'foreign'),
      twilio: fc.record({ form: twilioForm(server.config.telephony.accountSid), signed: fc.integer({ min: 0, max: 9 }).map((n) => n < 8) }),
    });
  }
  const segments = fc.tuple(...op.pathParams.map((p) => pathValue(p.schema)));
  return fc.record({
    path: (op.pathParams.length ? segments : fc.constant([] as string[])).map((values) => {
      let i = 0;
      return op.url.replace(/:(\w+)/g, () => values[i++]!);
    }),
    query: query(op.queryParams),
    body: MUTATING.has(op.method) ? body(op.bodySchema) : fc.constant({}),
    headers: MUTATING.has(op.method)
      ? fc.constantFrom<Case['headers']>('same-origin', 'same-origin', 'same-origin', 'same-origin', 'same-origin', 'no-origin', 'no-csrf', 'foreign')
      : fc.constantFrom<Case['headers']>('same-origin', 'no-origin'),
  });
}

/** The refusal the access, same-origin and CSRF checks must give, in the order they run. */
function refusal(op: Operation, who: Identity, c: Case): number | null {
  if (op.access !== 'public' && who === 'anonymous') return 401;
  if (!allowed(op.access, who)) return 403;
  if (!MUTATING.has(op.method)) return null;
  if (c.headers === 'foreign') return 403;
  if (c.headers === 'no-csrf' && op.access !== 'public' && op.csrf !== 'origin-only') return 403;
  return null;
}

function describeCase(op: Operation, who: Identity, c: Case) {
  const clip = (s = '') => (s.length > 200 ? `${s.slice(0, 200)}…(${s.length} chars)` : s);
  const sent = c.twilio
    ? `form${c.twilio.signed ? ' (signed)' : ''}=${clip(JSON.stringify(c.twilio.form))}`
    : `body=${clip(c.body.text)} (${c.body.contentType ?? 'no content-type'})`;
  return `${op.method} ${op.url} as ${who} [${c.headers}] ${clip(c.path)}${c.query ? `?${clip(c.query)}` : ''} ${sent}`;
}

async function run(op: Operation, who: Identity, c: Case) {
  const s = who === 'anonymous' ? undefined : sessions.get(who);
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && c.headers !== 'no-csrf') headers['x-csrf-token'] = s.csrf;
  if (c.headers === 'same-origin' || c.headers === 'no-csrf') headers.origin = server.url;
  if (c.headers === 'foreign') headers.origin = FOREIGN;
  if (c.body.contentType) headers['content-type'] = c.body.contentType;
  const path = c.query ? `${c.path}?${c.query}` : c.path;
  let text = c.body.text;
  if (c.twilio) {
    text = new URLSearchParams(c.twilio.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    if (c.twilio.signed)
      Object.assign(
        headers,
        signedHeaders(
          {
            baseUrl: server.url,
            publicUrl: server.config.publicUrl,
            authToken: server.config.telephony.authToken,
            accountSid: server.config.telephony.accountSid,
          },
          path,
          c.twilio.form,
        ),
      );
  }
  const started = new Date();
  const res = await send(base, op.method, path, headers, text);
  // Every change is audited under its actor: a refused change must leave no entry.
  if (s && MUTATING.has(op.method) && res.status >= 400 && res.status < 500) {
    // A refused sign-in step is recorded as such (a wrong two-factor code, a throttled attempt): that is the record of the refusal, not a change.
    const entries = await server.services.infra.db.prisma.auditLog.findMany({
      where: { actorId: s.userId, at: { gte: started }, action: { notIn: ['auth.totp.failed', 'auth.login.throttled'] } },
      select: { action: true },
    });
    if (entries.length)
      changedOnRefusal.push(`${res.status} [${entries.map((e) => e.action).join(', ')}] ${describeCase(op, who, c)} → ${res.text.slice(0, 160)}`);
  }
  tried++;
  const counts = perRoute.get(`${op.method} ${op.url}`) ?? {};
  counts[res.status] = (counts[res.status] ?? 0) + 1;
  perRoute.set(`${op.method} ${op.url}`, counts);
  if (process.env.FUZZ_DEBUG && res.status === 400) {
    const seen = refusalsPerRoute.get(`${op.method} ${op.url}`) ?? new Set();
    seen.add(res.text.slice(0, 140));
    refusalsPerRoute.set(`${op.method} ${op.url}`, seen);
  }
  const cls = res.status === 0 ? 'reset' : `${Math.floor(res.status / 100)}xx`;
  byStatus[cls] = (byStatus[cls] ?? 0) + 1;
  if (res.status >= 500 || res.status === 0) failures.push(`${res.status} ${describeCase(op, who, c)} → ${res.text.slice(0, 200)}`);
  // Signing out (here or everywhere) ends the session the next cases would use.
  if (who !== 'anonymous' && ['/api/auth/logout', '/api/auth/logout-everywhere'].includes(op.url) && res.status === 204)
    sessions.set(who, await newSession(who));
  const expected = refusal(op, who, c);
  // 414/431, FST_ERR_BAD_URL and 404 (an empty path segment): refused before any route matches.
  const beforeRouting =
    [414, 431].includes(res.status) || (res.status === 400 && res.text.includes('FST_ERR_BAD_URL')) || (res.status === 404 && res.text.includes('no route'));
  if (expected !== null && res.status !== expected && res.status !== 429 && !beforeRouting)
    surprises.push(`${res.status} (expected ${expected}) ${describeCase(op, who, c)} → ${res.text.slice(0, 160)}`);
  return true;
}

beforeAll(async () => {
  server = await startTestServer();
  base = new URL(server.url);
  await seed();
  await keepSessions();
}, 60_000);

afterAll(async () => {
  const classes = Object.entries(byStatus)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(
    `fuzz-routes: seed=${SEED} runs/route/role=${RUNS} cases=${tried} ${classes} failures(5xx or reset)=${failures.length} ` +
      `access-surprises=${surprises.length} changed-on-refusal=${changedOnRefusal.length}`,
  );
  const slow = slowest
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([r, ms]) => `${r} ${ms}ms`)
    .join(', ');
  if (slow) console.log(`  slowest routes: ${slow}`);
  if (process.env.FUZZ_DEBUG) {
    for (const [r, c] of perRoute) {
      console.log(`  ${r} ${JSON.stringify(c)}`);
      for (const m of [...(refusalsPerRoute.get(r) ?? [])].slice(0, 6)) console.log(`      400 ${m}`);
    }
  }
  for (const f of failures.slice(0, 100)) console.log(`  5xx: ${f}`);
  for (const f of surprises.slice(0, 100)) console.log(`  access: ${f}`);
  for (const f of changedOnRefusal.slice(0, 50)) console.log(`  changed: ${f}`);
  await server?.close();
});

describe('every route under bad input', () => {
  // Built lazily: the OpenAPI document exists only once the server is up.
  it('covers every route in the OpenAPI document, as every role and signed out, without a 5xx', { timeout: 600_000 }, async () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(50);
    const ops = ONLY ? all.filter((o) => ONLY.test(`${o.method} ${o.url}`)) : all;
    let i = 0;
    for (const op of ops) {
      const started = Date.now();
      await refreshIds();
      // The identities run side by side: most of a case's time is spent waiting on the database.
      await Promise.all(
        (['anonymous', ...ROLES] as Identity[]).map((who, k) => {
          const numRuns = allowed(op.access, who) ? RUNS : REFUSED_RUNS;
          return fc.assert(
            fc.asyncProperty(caseFor(op), (c) => run(op, who, c)),
            { numRuns, seed: SEED + i * 8 + k, endOnFailure: true },
          );
        }),
      );
      i++;
      await keepSessions();
      slowest.push([`${op.method} ${op.url}`, Date.now() - started]);
    }
    expect((await send(base, 'GET', '/healthz', {})).status).toBe(200);
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
    expect(surprises, surprises.slice(0, 10).join('\n')).toEqual([]);
    expect(changedOnRefusal, changedOnRefusal.slice(0, 10).join('\n')).toEqual([]);
  });
});

describe('inputs the fuzz found', () => {
  const as = async (role: Role, method: string, path: string, json?: unknown) => {
    const s = sessions.get(role)!;
    const text = json === undefined ? undefined : JSON.stringify(json);
    const res = await send(
      base,
      method,
      path,
      { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: server.url, ...(text ? { 'content-type': 'application/json' } : {}) },
      text,
    );
    return { status: res.status, body: JSON.parse(res.text || 'null') };
  };

  it('refuses ?before= larger than any audit entry id with 400 naming querystring.before', async () => {
    const res = await as('supervisor', 'GET', '/api/audit?before=99999999999999999999');
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'querystring.before', message: 'before is larger than any entry id' }]);
  });

  it('refuses a case phone made of punctuation alone with 400, creating no case', async () => {
    const before = await server.services.infra.db.prisma.case.count();
    const res = await as('supervisor', 'POST', '/api/cases', {
      signal: { from: 'School', summary: 'A report' },
      subject: { kind: 'family', name: 'Family', phone: ')(.\u000b-)-..)())(-\n' },
      consent: { given: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'body.subject.phone', message: 'must be a phone number' }]);
    expect(await server.services.infra.db.prisma.case.count()).toBe(before);
  });

  it('refuses a signed SMS status callback whose ErrorCode is no Twilio error code with 400 naming it', async () => {
    const res = await webhook(server, '/twilio/sms/status', {
      AccountSid: server.config.telephony.accountSid,
      MessageSid: `SM${'0'.repeat(32)}`,
      MessageStatus: 'failed',
      ErrorCode: '99999999999999999999',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('ErrorCode');
  });
});
