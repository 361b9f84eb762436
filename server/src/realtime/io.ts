// socket.io with the Redis Streams adapter. Chosen over the classic pub/sub adapter because it
// keeps connection-state recovery: a console that reconnects within two minutes gets the events
// it missed from the stream, and otherwise refetches a snapshot. See
// docs/decisions/0003-socketio-redis-streams-adapter.md.
//
// The same `createIo` runs in server processes (attached to the HTTP server) and in worker
// processes (never attached): a worker's `io.to(room).emit()` travels through the stream to
// every server process, which delivers it to its sockets.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@trustline/shared';
import type { SocketData } from './socket-data.js';

export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const RECOVERY_WINDOW_MS = 2 * 60_000;

export function createIo(redis: Redis, prefix: string): Io {
  return new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>({
    adapter: createAdapter(redis, {
      streamName: `${prefix}:socket.io`,
      channelPrefix: `${prefix}:socket.io`,
      sessionKeyPrefix: `${prefix}:sio:session:`,
      onlyPlaintext: true,
      blockTimeInMs: 1_000,
    }),
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    serveClient: false,
    // Same origin only: the console is served by this server.
    cors: undefined,
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
}
