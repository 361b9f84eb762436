// Wall-screen links: an admin creates one, the screen signs in with it (role `wallboard`,
// read-only), sees the wallboard over HTTP and the socket, may not act; revoking ends it.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const tokenOf = (url: string) => new URL(url.replace('/#/', '/')).searchParams.get('token')!;

describe('wall-screen (kiosk) links', () => {
  it('signs a screen in read-only with a link an admin made, until the admin revokes it', async () => {
    const { client: admin } = await signedIn(server.url, server.services, ['admin']);
    const { client: supervisor } = await signedIn(server.url, server.services, ['supervisor']);
    expect((await supervisor.post('/api/wallboard/kiosks', { label: 'Hall' })).status).toBe(403);
    const created = await admin.post('/api/wallboard/kiosks', { label: 'Зал операторов' });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/\/#\/kiosk\?token=/);
    expect((await admin.get('/api/wallboard/kiosks')).body.map((k: { label: string }) => k.label)).toContain('Зал операторов');

    const screen = new Client(server.url);
    const signIn = await screen.post('/api/wallboard/kiosk/sign-in', { token: tokenOf(created.body.url) });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.roles).toEqual(['wallboard']);
    screen.csrf = signIn.body.csrfToken;
    expect((await screen.get('/api/wallboard')).status).toBe(200);
    // Read-only: no actions, no other screens.
    expect((await screen.post('/api/wallboard/messages', { text: 'hi' })).status).toBe(403);
    expect((await screen.get('/api/reports?from=2026-01-01&to=2026-01-31')).status).toBe(403);
    expect((await screen.get('/api/users')).status).toBe(403);
    // The live socket works for it.
    const socket = connect(server.url, { transports: ['websocket'], extraHeaders: { cookie: screen.cookieHeader }, reconnection: false, forceNew: true });
    const snap = await new Promise<{ ok: boolean }>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', () => socket.emit('wallboard:subscribe', {}, resolve));
    });
    expect(snap.ok).toBe(true);
    socket.close();

    // A forged or altered token is refused.
    const forged = `${created.body.id}.AAAA${tokenOf(created.body.url).split('.')[1]!.slice(4)}`;
    expect((await new Client(server.url).post('/api/wallboard/kiosk/sign-in', { token: forged })).status).toBe(401);
    expect((await new Client(server.url).post('/api/wallboard/kiosk/sign-in', { token: 'nonsense' })).status).toBe(401);

    // Revoked: the session ends and the link no longer signs in.
    expect((await admin.post(`/api/wallboard/kiosks/${created.body.id}/revoke`, {})).status).toBe(204);
    expect((await screen.get('/api/wallboard')).status).toBe(401);
    expect((await new Client(server.url).post('/api/wallboard/kiosk/sign-in', { token: tokenOf(created.body.url) })).status).toBe(401);
  });

  it('refuses to mint a session from a signed id of a person with other roles', async () => {
    const { user } = await signedIn(server.url, server.services, ['supervisor']);
    const res = await new Client(server.url).post('/api/wallboard/kiosk/sign-in', { token: `${user.id}.x` });
    expect(res.status).toBe(401);
  });
});
