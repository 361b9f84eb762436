// Two-factor sign-in against the real server: a required role must set it up at its first sign-in
// (QR code, first code, recovery codes once) and cannot skip it; later sign-ins need a current
// code, refuse a wrong or a replayed one (counted by the sign-in throttle), take a recovery code
// once; an optional role turns it on and off itself; an admin resets a lost device (audited); the
// secret is sealed at rest and never answered again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { totpCode } from '../../server/src/modules/auth/totp.js';
import { Client, makeUser, nextTotpCode, signedIn, TEST_PASSWORD, totpSecrets } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '4' } });
});
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const auditOf = (action: string, entityId?: string) => prisma().auditLog.findMany({ where: { action, ...(entityId ? { entityId } : {}) } });

/** A user made without the helper's set-up, as an administrator would make one. */
async function bareUser(roles: ('admin' | 'supervisor' | 'operator')[]) {
  const username = `tf${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  return server.services.users.create({ username, displayName: `Test ${username}`, password: TEST_PASSWORD, roles }, systemActor('test'));
}

describe('two-factor sign-in', () => {
  it('a supervisor must set it up at the first sign-in: QR, first code, recovery codes once, then signed in', async () => {
    const user = await bareUser(['supervisor']);
    const c = new Client(server.url);
    const first = await c.login(user.username, TEST_PASSWORD, { raw: true });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ next: 'enrol' });
    expect(c.cookies.has('tl_session')).toBe(false);
    const pending = first.headers.getSetCookie().find((h) => h.startsWith('tl_pending='))!;
    expect(pending).toMatch(/HttpOnly/i);
    expect(pending).toMatch(/Path=\/api\/auth\/login/i);

    // Cannot skip: no session, the console's routes refuse, the code step is not this one.
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await c.post('/api/auth/login/totp', { code: '123456' })).status).toBe(410);

    const enrol = await c.post('/api/auth/login/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(enrol.body.otpauthUrl).toContain(`otpauth://totp/`);
    expect(enrol.body.otpauthUrl).toContain(encodeURIComponent(user.username));
    expect(enrol.body.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrol.body.qrDataUrl.split(',')[1], 'base64').toString()).toContain('<svg');
    // Asking again gives the same secret until it is confirmed.
    expect((await c.post('/api/auth/login/enrol')).body.secret).toBe(enrol.body.secret);

    const wrong = await c.post('/api/auth/login/enrol/confirm', { code: await totpCode(enrol.body.secret, Date.now() - 5 * 60_000) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TOTP_CODE_WRONG');

    const ok = await c.post('/api/auth/login/enrol/confirm', { code: await totpCode(enrol.body.secret) });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    for (const rc of ok.body.recoveryCodes) expect(rc).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    expect(ok.body.user.username).toBe(user.username);
    c.csrf = ok.body.csrfToken;
    expect((await c.get('/api/auth/me')).status).toBe(200);

    // At rest: sealed secret, hashed recovery codes; neither is in the audit log nor answered again.
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecret).toMatch(/^v1:/);
    expect(row.totpSecret).not.toContain(enrol.body.secret);
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpRecoveryCodes).toHaveLength(10);
    expect(row.totpRecoveryCodes.join(' ')).not.toContain(ok.body.recoveryCodes[0]);
    const audits = JSON.stringify(await prisma().auditLog.findMany({ where: { actorId: user.id }, select: { action: true, detail: true } }));
    expect(audits).not.toContain(enrol.body.secret);
    expect(audits).not.toContain(ok.body.recoveryCodes[0]);
    expect((await auditOf('auth.totp.enable', user.id)).length).toBe(1);
    const security = await c.get('/api/auth/security');
    expect(security.body).toMatchObject({ totpEnabled: true, totpRequired: true, recoveryCodesLeft: 10 });
    expect(JSON.stringify(security.body)).not.toContain(enrol.body.secret);
    expect((await c.post('/api/auth/totp/enrol')).status).toBe(409);
    // Required: cannot be turned off.
    const off = await c.post('/api/auth/totp/disable', { code: await totpCode(enrol.body.secret, Date.now() + 30_000) });
    expect(off.status).toBe(409);
    expect(off.body.code).toBe('TOTP_REQUIRED');
  });

  it('signs in with a current code; refuses a wrong one and a replayed one, and counts both toward the throttle', async () => {
    const user = await makeUser(server.services, ['admin']);
    const secret = totpSecrets.get(user.username)!;
    const a = new Client(server.url);
    expect((await a.login(user.username, TEST_PASSWORD, { raw: true })).body).toEqual({ next: 'totp' });
    const bad = await a.post('/api/auth/login/totp', { code: '000000' === (await totpCode(secret)) ? '111111' : '000000' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('TOTP_CODE_WRONG');
    expect((await auditOf('auth.totp.failed', user.id)).length).toBe(1);
    // The session does not exist until the right code.
    expect(a.cookies.has('tl_session')).toBe(false);

    // Wait for a fresh step that the helper has not used (makeUser confirmed one).
    const code = await nextTotpCode(user.username);
    const good = await a.post('/api/auth/login/totp', { code });
    expect(good.status).toBe(200);
    expect(good.body.user.id).toBe(user.id);
    expect(a.cookies.has('tl_pending')).toBe(false);
    const login = (await auditOf('auth.login')).filter((e) => e.actorId === user.id);
    expect(login.at(-1)!.detail).toEqual({ secondFactor: 'totp' });

    // The same code again, in a second sign-in within its step: a replay.
    const b = new Client(server.url);
    await b.login(user.username, TEST_PASSWORD, { raw: true });
    const replay = await b.post('/api/auth/login/totp', { code });
    expect(replay.status).toBe(401);
    // The pending sign-in is gone after the first success: the first client cannot reuse it either.
    expect((await a.post('/api/auth/login/totp', { code: await nextTotpCode(user.username) })).status).toBe(410);

    // Wrong codes count toward the same throttle as wrong passwords (LOGIN_MAX_FAILURES=4; the
    // success cleared the count, the replay was one).
    for (const wrongCode of ['999999', '777777', '555555']) {
      const r = await b.post('/api/auth/login/totp', { code: wrongCode === (await totpCode(secret)) ? '888888' : wrongCode });
      expect(r.status).toBe(401);
    }
    const locked = await b.post('/api/auth/login/totp', { code: await nextTotpCode(user.username) });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    await server.services.infra.redis.del(`${server.config.redisPrefix}:login-fail:user:${user.username}`);
  });

  it('takes a recovery code once, and a signed-in optional user turns two-factor on and off', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    expect((await client.get('/api/auth/security')).body).toMatchObject({ totpEnabled: false, totpRequired: false, recoveryCodesLeft: 0, idleMinutes: 30 });
    expect((await client.post('/api/auth/totp/confirm', { code: '123456' })).body.code).toBe('TOTP_NOT_STARTED');
    const enrol = await client.post('/api/auth/totp/enrol');
    expect(enrol.status).toBe(200);
    const confirmed = await client.post('/api/auth/totp/confirm', { code: await nextTotpCode(user.username, enrol.body.secret) });
    expect(confirmed.status).toBe(200);
    totpSecrets.set(user.username, enrol.body.secret);
    const [rc1] = confirmed.body.recoveryCodes as string[];

    const c = new Client(server.url);
    expect((await c.login(user.username, TEST_PASSWORD, { raw: true })).body).toEqual({ next: 'totp' });
    const viaRecovery = await c.post('/api/auth/login/totp', { code: rc1!.toUpperCase() });
    expect(viaRecovery.status).toBe(200);
    c.csrf = viaRecovery.body.csrfToken;
    expect((await c.get('/api/auth/security')).body.recoveryCodesLeft).toBe(9);
    const again = new Client(server.url);
    await again.login(user.username, TEST_PASSWORD, { raw: true });
    expect((await again.post('/api/auth/login/totp', { code: rc1 })).status).toBe(401);

    // Off with a current code; then the password alone signs in.
    expect((await c.post('/api/auth/totp/disable', { code: 'abcde-fghij' })).status).toBe(401);
    const off = await c.post('/api/auth/totp/disable', { code: await nextTotpCode(user.username) });
    expect(off.status).toBe(204);
    expect((await auditOf('auth.totp.disable', user.id)).length).toBe(1);
    const plain = await new Client(server.url).login(user.username, TEST_PASSWORD, { raw: true });
    expect(plain.body.user.id).toBe(user.id);
  });

  it('answers bad codes with a 400 naming the problem', async () => {
    const user = await makeUser(server.services, ['admin']);
    const c = new Client(server.url);
    await c.login(user.username, TEST_PASSWORD, { raw: true });
    for (const code of ['12345', '1234567', 'abcdef', '', 42]) {
      const res = await c.post('/api/auth/login/totp', { code });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/code/);
    }
    expect((await c.post('/api/auth/login/totp', {})).status).toBe(400);
  });

  it('an admin resets a lost device: audited, and the user sets it up again at the next sign-in', async () => {
    const admin = await signedIn(server.url, server.services, ['admin']);
    const user = await makeUser(server.services, ['supervisor']);
    const users = await admin.client.get('/api/users');
    expect(users.body.find((u: { id: string }) => u.id === user.id).totpEnabled).toBe(true);

    const supervisorClient = new Client(server.url);
    expect((await supervisorClient.login(user.username, TEST_PASSWORD, { raw: true })).body).toEqual({ next: 'totp' });
    expect((await admin.client.post(`/api/users/${user.id}/totp/reset`)).status).toBe(204);
    const entries = await auditOf('auth.totp.reset', user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorId).toBe(admin.user.id);
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpRecoveryCodes: [] });
    // The old secret's codes no longer sign in; the pending sign-in started before the reset fails.
    expect((await supervisorClient.post('/api/auth/login/totp', { code: await nextTotpCode(user.username) })).status).toBe(401);
    totpSecrets.delete(user.username);
    const c = new Client(server.url);
    expect((await c.login(user.username, TEST_PASSWORD, { raw: true })).body).toEqual({ next: 'enrol' });
    expect((await admin.client.post(`/api/users/00000000-0000-4000-8000-000000000000/totp/reset`)).status).toBe(404);
    // An operator may not reset anyone.
    const op = await signedIn(server.url, server.services, ['operator']);
    expect((await op.client.post(`/api/users/${user.id}/totp/reset`)).status).toBe(403);
  });
});
