// A tiny cookie-keeping HTTP client for integration tests, speaking to a real listening server.
import type { Role } from '@trustline/shared';
import type { Services } from '../../server/src/services.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { totpCode } from '../../server/src/modules/auth/totp.js';

// Two-factor sign-in is on for admins and supervisors in tests as everywhere. Every secret a test
// enrols through the real API is kept here by username, so that signing in again computes the
// code (otplib) as the person's authenticator app would. A code's 30-second step is accepted once
// only (no replay): each sign-in takes the next unused step of the three the server accepts
// (now-1, now, now+1), waiting for a fresh one when a test signs the same person in more often.
export const totpSecrets = new Map<string, string>();
const lastStep = new Map<string, number>();

export async function nextTotpCode(username: string, secret = totpSecrets.get(username.toLowerCase())) {
  if (!secret) throw new Error(`no TOTP secret known for ${username}`);
  const key = username.toLowerCase();
  for (;;) {
    const nowStep = Math.floor(Date.now() / 30_000);
    const step = Math.max(nowStep - 1, (lastStep.get(key) ?? -Infinity) + 1);
    if (step <= nowStep + 1) {
      lastStep.set(key, step);
      return totpCode(secret, step * 30_000 + 15_000);
    }
    await new Promise((r) => setTimeout(r, (nowStep + 1) * 30_000 - Date.now() + 50));
  }
}

export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookies.size ? { cookie: this.cookieHeader } : {}),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(k!.trim());
      else this.cookies.set(k!.trim(), value);
    }
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, body ?? {}, headers);
  patch = (path: string, body?: unknown) => this.request('PATCH', path, body ?? {});

  /** Signs in as a person would: password, then the code from the authenticator (or, for a role
   * that requires two-factor and has none yet, setting it up through the real API and keeping the
   * secret). Answers the final response: `{ user, csrfToken }` once signed in; `{ next }` only when
   * a code is due whose secret this test does not know. `raw` stops after the password. */
  async login(username: string, password: string, opts: { raw?: boolean } = {}) {
    let res = await this.post('/api/auth/login', { username, password });
    if (res.status === 200 && res.body?.next && !opts.raw) res = await this.secondStep(username, res);
    if (res.status === 200 && res.body?.csrfToken) this.csrf = res.body.csrfToken;
    return res;
  }

  private async secondStep(username: string, res: Awaited<ReturnType<Client['request']>>) {
    const key = username.toLowerCase();
    if (res.body.next === 'totp') {
      if (!totpSecrets.has(key)) return res;
      return this.post('/api/auth/login/totp', { code: await nextTotpCode(key) });
    }
    const enrol = await this.post('/api/auth/login/enrol');
    if (enrol.status !== 200) return enrol;
    totpSecrets.set(key, enrol.body.secret);
    return this.post('/api/auth/login/enrol/confirm', { code: await nextTotpCode(key) });
  }
}

let seq = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates a user directly through the service (audited as the test system). A role that
 * requires two-factor gets it set up at once, through the same service calls as the security
 * page (the secret is kept in `totpSecrets`), so that `login` and `signInAs` can type the code. */
export async function makeUser(services: Services, roles: Role[], username = `user${Date.now().toString(36)}${seq++}`) {
  const user = await services.users.create({ username, displayName: `Test ${username}`, password: TEST_PASSWORD, roles }, systemActor('test'));
  if (services.auth.requiresTotp(user.roles)) {
    const { secret } = await services.auth.startEnrolment(user.id);
    totpSecrets.set(user.username, secret);
    await services.auth.confirmEnrolment(user.id, await nextTotpCode(user.username), systemActor('test'));
    return { ...user, totpEnabled: true, password: TEST_PASSWORD, totpSecret: secret };
  }
  return { ...user, password: TEST_PASSWORD, totpSecret: null as string | null };
}

export async function signedIn(base: string, services: Services, roles: Role[]) {
  const user = await makeUser(services, roles);
  const client = new Client(base);
  const res = await client.login(user.username, user.password);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { client, user };
}
