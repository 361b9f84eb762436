// The ONE socket.io connection of the console. Opened after sign-in, closed at sign-out.
//
//   realtime.state            'idle' | 'live' | 'reconnecting' | 'offline' ($state, for the indicator)
//   realtime.subscribe(e, h)  listen to a server event; returns the unsubscribe
//   realtime.onConnect(h)     h(recovered) on every (re)connect: refetch your snapshot unless recovered
//   realtime.command(n, p)    send a command; resolves with the ack's data, rejects with CommandFailure
//
// socket.io's connection-state recovery is on server side: after a short outage the server
// replays missed events and `socket.recovered` is true, so no snapshot is needed.
import type { ClientToServerEvents, ServerToClientEvents } from '@trustline/shared';
import { io, type Socket } from 'socket.io-client';
import { CommandFailure } from '../errors';

export type ConnectionState = 'idle' | 'live' | 'reconnecting' | 'offline';
type EventName = keyof ServerToClientEvents;
type CommandName = keyof ClientToServerEvents;
type Payload<C extends CommandName> = Parameters<ClientToServerEvents[C]>[0];
type AckData<C extends CommandName> = Parameters<Parameters<ClientToServerEvents[C]>[1]>[0] extends infer A
  ? A extends { ok: true; data: infer D }
    ? D
    : never
  : never;
type AnyHandler = (...args: unknown[]) => void;

/** Failed reconnection attempts before the indicator says offline (it keeps retrying). */
const OFFLINE_AFTER_ATTEMPTS = 3;
const COMMAND_TIMEOUT_MS = 10_000;
const RETRY_MAX_MS = 5_000;

class Realtime {
  state = $state<ConnectionState>('idle');
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #handlers = new Map<string, Set<AnyHandler>>();
  #connectHandlers = new Set<(recovered: boolean) => void>();
  #failedAttempts = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Called when the server refuses the handshake because the session is gone. */
  onUnauthenticated: () => void = () => {};

  get connected() {
    return this.state === 'live';
  }

  connect() {
    if (this.#socket) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.#socket = socket;
    for (const event of this.#handlers.keys()) this.#attach(event);

    socket.on('connect', () => {
      this.#failedAttempts = 0;
      this.state = 'live';
      for (const fn of this.#connectHandlers) fn(socket.recovered);
    });
    socket.on('disconnect', (reason) => {
      // Our own disconnect() is a sign-out, not an outage.
      this.state = reason === 'io client disconnect' ? 'idle' : 'reconnecting';
      // The server dropped us on purpose (session ended): socket.io does not retry by itself.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err) => {
      if (err.message === 'UNAUTHENTICATED') {
        this.disconnect();
        this.onUnauthenticated();
        return;
      }
      this.#failedAttempts += 1;
      this.state = this.#failedAttempts >= OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
      // A refusal by a server middleware (e.g. UNAVAILABLE while its stores are down) stops
      // socket.io's own retries (`socket.active` is false); keep trying with a backoff.
      if (!socket.active) this.#retryLater(socket);
    });
  }

  disconnect() {
    clearTimeout(this.#retryTimer);
    this.#socket?.disconnect();
    this.#socket = null;
    this.state = 'idle';
  }

  subscribe<E extends EventName>(event: E, handler: ServerToClientEvents[E]): () => void {
    let set = this.#handlers.get(event);
    if (!set) {
      this.#handlers.set(event, (set = new Set()));
      this.#attach(event);
    }
    set.add(handler as AnyHandler);
    return () => set.delete(handler as AnyHandler);
  }

  onConnect(handler: (recovered: boolean) => void): () => void {
    this.#connectHandlers.add(handler);
    if (this.#socket?.connected) handler(false);
    return () => this.#connectHandlers.delete(handler);
  }

  command<C extends CommandName>(name: C, payload: Payload<C>): Promise<AckData<C>> {
    const socket = this.#socket;
    if (!socket?.connected) return Promise.reject(new CommandFailure('OFFLINE', 'not connected'));
    return new Promise((resolve, reject) => {
      type Reply = { ok: boolean; data?: unknown; code?: string; message?: string };
      const timed = socket.timeout(COMMAND_TIMEOUT_MS) as unknown as {
        emit(n: string, p: unknown, ack: (err: Error | null, res: Reply) => void): void;
      };
      timed.emit(name, payload, (err, res) => {
        if (err) return reject(new CommandFailure('TIMEOUT', `${name} was not answered`));
        if (res.ok) resolve(res.data as AckData<C>);
        else reject(new CommandFailure(res.code ?? 'INTERNAL', res.message ?? 'failed'));
      });
    });
  }

  #retryLater(socket: Socket) {
    clearTimeout(this.#retryTimer);
    const delay = Math.min(RETRY_MAX_MS, 500 * 2 ** Math.min(this.#failedAttempts, 6));
    this.#retryTimer = setTimeout(() => {
      if (this.#socket === socket && !socket.connected) socket.connect();
    }, delay);
  }

  #attach(event: string) {
    const socket = this.#socket as unknown as { on(e: string, fn: AnyHandler): void } | null;
    socket?.on(event, (...args) => {
      for (const fn of this.#handlers.get(event) ?? []) fn(...args);
    });
  }
}

export const realtime = new Realtime();
