// Administrators manage staff accounts: create, set roles, deactivate, reset a password. Every
// change is audited with the fields changed, never their values.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, signedIn, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, disconnected, nextEvent } from '../helpers/socket.js';

let server: TestServer;
let admin: Client;
let adminId: string;
beforeAll(async () => {
  server = await startTestServer();
  const signed = await signedIn(server.url, server.services, ['admin']);
  admin = signed.client;
  adminId = signed.user.id;
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const lastAudit = (action: string, entityId: string) => prisma().auditLog.findFirst({ where: { action, entityId }, orderBy: { id: 'desc' } });

describe('user administration', () => {
  it('creates a user, lists it, and audits who made it with the roles but not the password', async () => {
    const res = await admin.post('/api/users', {
      username: 'New.Operator',
      displayName: 'Nadia Operator',
      password: 'operator passphrase',
      roles: ['operator', 'operator'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'new.operator', displayName: 'Nadia Operator', roles: ['operator'], active: true });
    expect(res.body).not.toHaveProperty('passwordHash');
    const list = await admin.get('/api/users');
    expect(list.body.map((u: { username: string }) => u.username)).toContain('new.operator');
    const entry = await lastAudit('user.create', res.body.id);
    expect(entry).toMatchObject({ actorId: adminId, detail: { roles: ['operator'] } });
    expect(JSON.stringify(entry!.detail)).not.toMatch(/passphrase|Nadia/);
    expect((await new Client(server.url).login('new.operator', 'operator passphrase')).status).toBe(200);
  });

  it('refuses a taken username (in any case) with 409 naming the field, and creates nothing', async () => {
    const existing = await makeUser(server.services, ['operator']);
    const before = await prisma().user.count();
    const res = await admin.post('/api/users', { username: existing.username.toUpperCase(), displayName: 'Dup', password: TEST_PASSWORD, roles: ['operator'] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('USERNAME_TAKEN');
    expect(res.body.fields).toEqual([expect.objectContaining({ path: expect.stringMatching(/username$/) })]);
    expect(await prisma().user.count()).toBe(before);
  });

  it('names the bad field of a malformed user and creates nothing', async () => {
    const before = await prisma().user.count();
    const res = await admin.post('/api/users', { username: 'x', displayName: 'X', password: 'short', roles: [] });
    expect(res.status).toBe(400);
    const paths = res.body.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password', 'body.roles']));
    expect(await prisma().user.count()).toBe(before);
  });

  it('sets roles and display name, auditing the fields changed without their values', async () => {
    const user = await makeUser(server.services, ['operator']);
    const res = await admin.patch(`/api/users/${user.id}`, { roles: ['operator', 'supervisor'], displayName: 'Secret Surname' });
    expect(res.status).toBe(200);
    expect(res.body.roles.sort()).toEqual(['operator', 'supervisor']);
    const entry = await lastAudit('user.update', user.id);
    expect(entry).toMatchObject({ actorId: adminId });
    expect((entry!.detail as { fields: string[] }).fields.sort()).toEqual(['displayName', 'roles']);
    expect(JSON.stringify(entry!.detail)).not.toContain('Secret Surname');
    // The new role takes effect on the user's next request.
    const c = new Client(server.url);
    await c.login(user.username, TEST_PASSWORD);
    expect((await c.get('/api/audit')).status).toBe(200);
  });

  it('answers 404 for an unknown user and 400 for an empty change', async () => {
    expect((await admin.patch('/api/users/00000000-0000-4000-8000-000000000000', { active: false })).status).toBe(404);
    const user = await makeUser(server.services, ['operator']);
    const empty = await admin.patch(`/api/users/${user.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
  });

  it('deactivating a user ends their sessions at once and tells their live consoles', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    const socket = await connectSocket(server.url, client.cookieHeader);
    const ended = nextEvent(socket, 'session:ended');
    const gone = disconnected(socket);
    const res = await admin.patch(`/api/users/${user.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(await ended).toEqual({ reason: 'deactivated' });
    expect(await gone).toBe('io server disconnect');
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await new Client(server.url).login(user.username, TEST_PASSWORD)).status).toBe(401);
    await expect(connectSocket(server.url, client.cookieHeader)).rejects.toThrow(/UNAUTHENTICATED/);
    expect(await lastAudit('user.deactivate', user.id)).toMatchObject({ actorId: adminId, detail: { fields: ['active'] } });
    // Reactivated, they can sign in again.
    expect((await admin.patch(`/api/users/${user.id}`, { active: true })).status).toBe(200);
    expect((await new Client(server.url).login(user.username, TEST_PASSWORD)).status).toBe(200);
  });

  it('resets a password: the old one stops working, sessions end, and the audit holds no password', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['coordinator']);
    const socket = await connectSocket(server.url, client.cookieHeader);
    const ended = nextEvent(socket, 'session:ended');
    const res = await admin.post(`/api/users/${user.id}/password`, { password: 'a brand new passphrase' });
    expect(res.status).toBe(204);
    expect(await ended).toEqual({ reason: 'signed-out' });
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await new Client(server.url).login(user.username, TEST_PASSWORD)).status).toBe(401);
    expect((await new Client(server.url).login(user.username, 'a brand new passphrase')).status).toBe(200);
    const entry = await lastAudit('user.reset-password', user.id);
    expect(entry).toMatchObject({ actorId: adminId });
    expect(JSON.stringify(entry!.detail)).not.toContain('passphrase');
    const short = await admin.post(`/api/users/${user.id}/password`, { password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.fields[0].path).toBe('body.password');
  });

  it('never removes the last active administrator, by role change or deactivation', async () => {
    // Leave exactly one active admin: the one signed in here.
    await prisma().user.updateMany({ where: { id: { not: adminId }, roles: { has: 'admin' } }, data: { active: false } });
    const demote = await admin.patch(`/api/users/${adminId}`, { roles: ['supervisor'] });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('LAST_ADMIN');
    const deactivate = await admin.patch(`/api/users/${adminId}`, { active: false });
    expect(deactivate.status).toBe(409);
    const me = await prisma().user.findUniqueOrThrow({ where: { id: adminId } });
    expect(me).toMatchObject({ active: true, roles: ['admin'] });

    // With a second administrator, the first may step down.
    const second = await admin.post('/api/users', { username: 'second-admin', displayName: 'Second', password: TEST_PASSWORD, roles: ['admin'] });
    expect(second.status).toBe(201);
    expect((await admin.patch(`/api/users/${adminId}`, { roles: ['admin', 'supervisor'] })).status).toBe(200);
    const other = new Client(server.url);
    await other.login('second-admin', TEST_PASSWORD);
    expect((await other.patch(`/api/users/${adminId}`, { roles: ['supervisor'] })).status).toBe(200);
  });
});
