// The one way features talk to consoles: events of the shared map (ServerToClientEvents) to
// rooms built by realtime/rooms.ts. It works the same in servers and workers: through the Redis
// Streams adapter, a worker's event reaches every server's sockets (realtime/io.ts). Features
// get this, never the socket.io server itself.
import type { ServerToClientEvents } from '@trustline/shared';
import type { Io } from './io.js';
import type { Room } from './rooms.js';
import type { SocketData } from './socket-data.js';

export type ServerEvent = keyof ServerToClientEvents;

export interface RoomEmitter {
  emit<E extends ServerEvent>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
}

export interface Emitter {
  /** Events to one room or several (a socket in two of them gets each event once). */
  to(room: Room | readonly Room[]): RoomEmitter;
  /** Closes every socket in the room, in every process (after telling it why). */
  disconnect(room: Room): void;
  /** How many sockets are in the room, across processes. */
  socketsIn(room: Room): Promise<number>;
  /** Runs after a socket of this process disconnects, with what its handshake attached. */
  onDisconnect(fn: (data: SocketData) => void): void;
  /** Sockets connected to this process (0 in a worker, which serves none). */
  connectedHere(): number;
}

export function createEmitter(io: Io): Emitter {
  return {
    to(room) {
      const target = io.to(room as string | string[]);
      return {
        emit: (event, ...args) => (target.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
      };
    },
    disconnect(room) {
      io.in(room).disconnectSockets(true);
    },
    async socketsIn(room) {
      return (await io.in(room).fetchSockets()).length;
    },
    onDisconnect(fn) {
      io.on('connection', (socket) => socket.on('disconnect', () => fn(socket.data)));
    },
    connectedHere() {
      return io.engine?.clientsCount ?? 0;
    },
  };
}
