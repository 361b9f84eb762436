// The console's HTTP client against a scripted fetch: CSRF on changes only, error bodies turned
// into ApiFailure with per-field messages and Retry-After, a stale CSRF token refreshed once,
// a 401 reported as the end of the session.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiFailure, fieldName, onUnauthenticated, request, setCsrfRefresher, setCsrfToken } from '../../console/src/lib/api/client.js';

type Call = { url: string; init: RequestInit };
function script(...responses: Response[]) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new TypeError('fetch failed');
    return next;
  });
  return calls;
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken('');
});

describe('request', () => {
  it('sends the CSRF token on changes but not on reads, and validates the answer', async () => {
    setCsrfToken('tok');
    const calls = script(json(200, { n: 1 }), json(200, { n: 2 }));
    expect(await request('GET', '/api/x', { schema: z.object({ n: z.number() }), query: { a: 'b', empty: '', none: undefined } })).toEqual({ n: 1 });
    await request('POST', '/api/x', { body: {}, schema: z.object({ n: z.number() }) });
    expect(calls[0]!.url).toBe('/api/x?a=b');
    expect(header(calls[0]!, 'x-csrf-token')).toBeUndefined();
    expect(header(calls[1]!, 'x-csrf-token')).toBe('tok');
    expect(calls[1]!.init.credentials).toBe('same-origin');
  });

  it('turns an error body into ApiFailure with fields by form name', async () => {
    script(
      json(400, {
        code: 'VALIDATION_FAILED',
        message: 'bad',
        fields: [
          { path: 'body.password', message: 'too short' },
          { path: 'body.roles.0', message: 'invalid' },
        ],
      }),
    );
    const err = await request('POST', '/api/users', { body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: { password: 'too short', roles: 'invalid' } });
  });

  it('reads Retry-After of a throttled sign-in', async () => {
    script(json(429, { code: 'LOGIN_THROTTLED', message: 'wait' }, { 'retry-after': '42' }));
    const err = await request('POST', '/api/auth/login', { body: {} }).catch((e) => e);
    expect(err).toMatchObject({ code: 'LOGIN_THROTTLED', retryAfter: 42 });
  });

  it('says NETWORK when the server cannot be reached', async () => {
    script();
    await expect(request('GET', '/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('refreshes a stale CSRF token once and repeats the change', async () => {
    setCsrfToken('old');
    setCsrfRefresher(async () => setCsrfToken('new'));
    const calls = script(json(403, { code: 'FST_CSRF_INVALID_TOKEN', message: 'Invalid csrf token' }), new Response(null, { status: 204 }));
    await request('POST', '/api/x', { body: {} });
    expect(calls.map((c) => header(c, 'x-csrf-token'))).toEqual(['old', 'new']);
  });

  it('reports a 401 outside /api/auth as the end of the session', async () => {
    const ended = vi.fn();
    const off = onUnauthenticated(ended);
    script(json(401, { code: 'UNAUTHENTICATED', message: 'sign in first' }), json(401, { code: 'LOGIN_FAILED', message: 'wrong' }));
    await request('GET', '/api/users').catch(() => {});
    await request('POST', '/api/auth/login', { body: {} }).catch(() => {});
    off();
    expect(ended).toHaveBeenCalledTimes(1);
  });
});

describe('fieldName', () => {
  it.each([
    ['body.username', 'username'],
    ['body.roles.0', 'roles'],
    ['querystring.before', 'before'],
    ['username', 'username'],
    ['body', '(form)'],
  ])('%s → %s', (path, name) => {
    expect(fieldName(path)).toBe(name);
  });
});
