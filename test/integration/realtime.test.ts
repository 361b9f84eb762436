// socket.io across processes: two real server instances of one deployment (one database, one
// Redis prefix) share rooms through the Redis Streams adapter; a worker-style io that is not
// attached to any HTTP server reaches consoles too; the handshake needs a session; a console that
// drops for a moment gets what it missed.
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIo, type Io } from '../../server/src/realtime/io.js';
import { rooms, sessionRoom } from '../../server/src/realtime/rooms.js';
import { createRedis } from '../../server/src/redis.js';
import { signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket, type ClientSocket } from '../helpers/socket.js';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startTestServer();
  if (a.config.database.kind !== 'postgres') throw new Error('expected PostgreSQL');
  b = await startTestServer({ share: { databaseUrl: a.config.database.url, prefix: a.config.redisPrefix } });
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** A test-only event, outside the typed contract, so no real listener reacts to it. */
const PING = 'test:ping';
type Untyped = { to(room: string | string[]): { emit(ev: string, ...args: unknown[]): boolean } };
const emitTo = (io: Io, room: string, payload: unknown) => (io as unknown as Untyped).to(room).emit(PING, payload);
const nextPing = (socket: ClientSocket, timeoutMs = 5_000) =>
  new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${PING} within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as { once(ev: string, fn: (p: unknown) => void): void }).once(PING, (p) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
const noPing = (socket: ClientSocket, ms = 600) =>
  new Promise<boolean>((resolve) => {
    const onPing = () => resolve(false);
    (socket as unknown as { once(ev: string, fn: () => void): void }).once(PING, onPing);
    setTimeout(() => resolve(true), ms);
  });

describe('socket handshake', () => {
  it('refuses a connection without a session cookie, or with an unknown one', async () => {
    await expect(connectSocket(a.url)).rejects.toThrow('UNAUTHENTICATED');
    await expect(connectSocket(a.url, 'tl_session=not-a-real-session')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('puts a signed-in socket in its user, session and role rooms', async () => {
    const { client, user } = await signedIn(a.url, a.services, ['operator', 'supervisor']);
    const socket = await connectSocket(a.url, client.cookieHeader);
    const [server] = await a.services.infra.io.local.in(rooms.user(user.id)).fetchSockets();
    expect(server?.id).toBe(socket.id);
    expect([...server!.rooms]).toEqual(expect.arrayContaining([rooms.user(user.id), rooms.role('operator'), rooms.role('supervisor')]));
    expect([...server!.rooms].some((r) => r.startsWith('session:'))).toBe(true);
    expect([...server!.rooms]).not.toContain(rooms.role('admin'));
    expect(server!.data).toMatchObject({ userId: user.id, roles: ['operator', 'supervisor'] });
    expect(sessionRoom(server!.data.sessionId)).toMatch(/^session:/);
  });
});

describe('two server instances on one Redis', () => {
  it('delivers an event emitted to a room on instance B to a console connected to instance A', async () => {
    const { client, user } = await signedIn(a.url, a.services, ['coordinator']);
    const socket = await connectSocket(a.url, client.cookieHeader);
    const toUser = nextPing(socket);
    emitTo(b.services.infra.io, rooms.user(user.id), { n: 1 });
    expect(await toUser).toEqual({ n: 1 });
    const toRole = nextPing(socket);
    emitTo(b.services.infra.io, rooms.role('coordinator'), { n: 2 });
    expect(await toRole).toEqual({ n: 2 });
  });

  it('sends to named rooms only: a console outside the room hears nothing', async () => {
    const { client } = await signedIn(b.url, b.services, ['operator']);
    const socket = await connectSocket(b.url, client.cookieHeader);
    const silent = noPing(socket);
    emitTo(a.services.infra.io, rooms.role('supervisor'), { n: 3 });
    expect(await silent).toBe(true);
  });

  it('sees sockets of both instances in one cluster-wide room', async () => {
    const first = await signedIn(a.url, a.services, ['admin']);
    const socketA = await connectSocket(a.url, first.client.cookieHeader);
    const socketB = await connectSocket(b.url, first.client.cookieHeader);
    const ids = (await b.services.infra.io.in(rooms.user(first.user.id)).fetchSockets()).map((s) => s.id).sort();
    expect(ids).toEqual([socketA.id, socketB.id].sort());
  });
});

describe('a worker process', () => {
  it('reaches consoles through an io that is not attached to any HTTP server', async () => {
    const { client, user } = await signedIn(a.url, a.services, ['operator']);
    const socket = await connectSocket(a.url, client.cookieHeader);
    const redis = createRedis(a.config.redisUrl!, 'blocking');
    const workerIo = createIo(redis, a.config.redisPrefix);
    try {
      const got = nextPing(socket);
      emitTo(workerIo, rooms.user(user.id), { from: 'worker' });
      expect(await got).toEqual({ from: 'worker' });
    } finally {
      workerIo.of('/').adapter.close();
      redis.disconnect();
    }
  });
});

describe('connection-state recovery', () => {
  it('gives a console that dropped for a moment the event emitted while it was away', async () => {
    const { client, user } = await signedIn(a.url, a.services, ['operator']);
    const socket: ClientSocket = connect(a.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: client.cookieHeader },
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      // An event first, so the client holds an offset in the stream.
      const first = nextPing(socket);
      emitTo(a.services.infra.io, rooms.user(user.id), { n: 'before' });
      await first;
      expect(socket.recovered).toBe(false);

      // The transport drops (as on a network blip), not a sign-out.
      const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      (socket.io.engine.transport as unknown as { ws: { close(): void } }).ws.close();
      expect(await gone).toBe('transport close');
      for (let i = 0; i < 50 && (await a.services.infra.io.in(rooms.user(user.id)).fetchSockets()).length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      // Emitted from the other instance while the console is away.
      emitTo(b.services.infra.io, rooms.user(user.id), { n: 'missed' });
      await new Promise((r) => setTimeout(r, 300));

      const missed = nextPing(socket);
      const back = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.connect();
      await back;
      expect(socket.recovered).toBe(true);
      expect(await missed).toEqual({ n: 'missed' });
    } finally {
      socket.close();
    }
  });
});
