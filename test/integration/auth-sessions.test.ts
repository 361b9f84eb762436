// Sessions per user against the real server, Redis and socket.io: the list (created, last seen,
// address, browser, "this one"), ending one, signing out everywhere (sockets too), the idle
// timeout (on a request, on a handshake, and the maintenance sweep for open sockets) and an
// administrator's view of another user's sessions. All audited.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceSchedules } from '../../server/src/modules/maintenance/maintenance.jobs.js';
import { Client, signedIn, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, disconnected, nextEvent } from '../helpers/socket.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const auditOf = (action: string, entityId: string) => prisma().auditLog.findMany({ where: { action, entityId } });

async function secondClient(username: string) {
  const c = new Client(server.url);
  const res = await c.request(
    'POST',
    '/api/auth/login',
    { username, password: TEST_PASSWORD },
    { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' },
  );
  expect(res.status).toBe(200);
  c.csrf = res.body.csrfToken;
  return c;
}

describe('sessions', () => {
  it('lists the user’s sessions with "this one", and ends another one: its requests and its socket stop', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    const other = await secondClient(user.username);
    const socket = await connectSocket(server.url, other.cookieHeader);

    const list = await client.get('/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    const mine = list.body.find((s: { current: boolean }) => s.current);
    const theirs = list.body.find((s: { current: boolean }) => !s.current);
    expect(mine).toBeTruthy();
    expect(theirs.userAgent).toContain('Chrome/131');
    expect(theirs.ip).toBe('127.0.0.1');
    expect(new Date(theirs.createdAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(theirs.lastSeenAt).toEqual(expect.any(String));

    const ended = nextEvent(socket, 'session:ended');
    const gone = disconnected(socket);
    expect((await client.post(`/api/auth/sessions/${theirs.id}/end`)).status).toBe(204);
    expect(await ended).toEqual({ reason: 'signed-out' });
    await gone;
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect(await auditOf('auth.session.end', user.id)).toHaveLength(1);

    // Ending it again, or a session that is someone else's: 404, nothing changes.
    expect((await client.post(`/api/auth/sessions/${theirs.id}/end`)).status).toBe(404);
    const stranger = await signedIn(server.url, server.services, ['operator']);
    const strangerSession = (await stranger.client.get('/api/auth/sessions')).body[0].id;
    expect((await client.post(`/api/auth/sessions/${strangerSession}/end`)).status).toBe(404);
    expect((await stranger.client.get('/api/auth/me')).status).toBe(200);
    expect((await client.post('/api/auth/sessions/not-a-session/end')).status).toBe(400);
  });

  it('signs out everywhere: every session and socket of the user ends, other users are untouched', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['supervisor']);
    const b = new Client(server.url);
    expect((await b.login(user.username, TEST_PASSWORD)).status).toBe(200);
    const sockets = await Promise.all([connectSocket(server.url, client.cookieHeader), connectSocket(server.url, b.cookieHeader)]);
    const bystander = await signedIn(server.url, server.services, ['operator']);
    const bystanderSocket = await connectSocket(server.url, bystander.client.cookieHeader);

    const gone = sockets.map((s) => disconnected(s));
    expect((await client.post('/api/auth/logout-everywhere')).status).toBe(204);
    await Promise.all(gone);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(401);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
    const [entry] = await auditOf('auth.session.end-all', user.id);
    expect(entry!.detail).toEqual({ sessions: 2 });
    expect(bystanderSocket.connected).toBe(true);
    expect((await bystander.client.get('/api/auth/me')).status).toBe(200);
  });

  it('ends a session unused for SESSION_IDLE_MINUTES: on the next request, at the handshake, and for open sockets', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    const idleMs = server.config.session.idleMs;
    expect(idleMs).toBe(30 * 60_000);

    // lastSeenAt is written at most once a minute.
    const [before] = await prisma().session.findMany({ where: { userId: user.id } });
    await client.get('/api/auth/me');
    const [after] = await prisma().session.findMany({ where: { userId: user.id } });
    expect(after!.lastSeenAt.getTime()).toBe(before!.lastSeenAt.getTime());
    await prisma().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - 2 * 60_000) } });
    await client.get('/api/auth/me');
    const [touched] = await prisma().session.findMany({ where: { userId: user.id } });
    expect(Date.now() - touched!.lastSeenAt.getTime()).toBeLessThan(10_000);

    // Unused for longer than the idle time: the request is refused and the session is gone.
    await prisma().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - idleMs - 1000) } });
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);

    // At the handshake.
    const again = new Client(server.url);
    await again.login(user.username, TEST_PASSWORD);
    await prisma().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - idleMs - 1000) } });
    await expect(connectSocket(server.url, again.cookieHeader)).rejects.toThrow(/UNAUTHENTICATED/);

    // A console with only its socket open: the maintenance sweep ends it and tells it why.
    const third = new Client(server.url);
    await third.login(user.username, TEST_PASSWORD);
    const socket = await connectSocket(server.url, third.cookieHeader);
    const busy = await signedIn(server.url, server.services, ['operator']);
    await prisma().session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - idleMs - 1000) } });
    const ended = nextEvent(socket, 'session:ended');
    const gone = disconnected(socket);
    expect(await server.services.auth.endIdleSessions()).toBeGreaterThanOrEqual(1);
    expect(await ended).toEqual({ reason: 'expired' });
    await gone;
    expect((await third.get('/api/auth/me')).status).toBe(401);
    expect((await busy.client.get('/api/auth/me')).status).toBe(200);
    // The sweep runs on the maintenance queue every minute.
    expect(maintenanceSchedules.find((s) => s.name === 'sessions.end-idle')).toMatchObject({ everyMs: 60_000 });
  });

  it('an admin lists and ends another user’s sessions (audited); other roles may not', async () => {
    const admin = await signedIn(server.url, server.services, ['admin']);
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    await secondClient(user.username);
    const socket = await connectSocket(server.url, client.cookieHeader);

    const list = await admin.client.get(`/api/users/${user.id}/sessions`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body.every((s: { current: boolean }) => !s.current)).toBe(true);
    const [read] = await auditOf('auth.session.list', user.id);
    expect(read!.actorId).toBe(admin.user.id);

    const one = list.body[0].id;
    expect((await admin.client.post(`/api/users/${user.id}/sessions/${one}/end`)).status).toBe(204);
    expect((await admin.client.get(`/api/users/${user.id}/sessions`)).body).toHaveLength(1);
    const gone = disconnected(socket);
    expect((await admin.client.post(`/api/users/${user.id}/sessions/end-all`)).status).toBe(204);
    await gone;
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await auditOf('auth.session.end-all', user.id))[0]!.actorId).toBe(admin.user.id);

    expect((await admin.client.get('/api/users/00000000-0000-4000-8000-000000000000/sessions')).status).toBe(404);
    expect((await admin.client.get('/api/users/nope/sessions')).status).toBe(400);
    const supervisor = await signedIn(server.url, server.services, ['supervisor']);
    expect((await supervisor.client.get(`/api/users/${admin.user.id}/sessions`)).status).toBe(403);
    expect((await supervisor.client.post(`/api/users/${admin.user.id}/sessions/end-all`)).status).toBe(403);
    expect((await admin.client.get('/api/auth/me')).status).toBe(200);
  });
});
