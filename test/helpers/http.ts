// A tiny cookie-keeping HTTP client for integration tests, speaking to a real listening server.
import type { Role } from '@trustline/shared';
import type { Services } from '../../server/src/services.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';

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

  async login(username: string, password: string) {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }
}

let seq = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates a user directly through the service (audited as the test system). */
export async function makeUser(services: Services, roles: Role[], username = `user${Date.now().toString(36)}${seq++}`) {
  const user = await services.users.create(
    { username, displayName: `Test ${username}`, password: TEST_PASSWORD, roles },
    systemActor('test'),
  );
  return { ...user, password: TEST_PASSWORD };
}

export async function signedIn(base: string, services: Services, roles: Role[]) {
  const user = await makeUser(services, roles);
  const client = new Client(base);
  const res = await client.login(user.username, user.password);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { client, user };
}
