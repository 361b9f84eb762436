// Room names, in one place. Events go to named rooms only, never to everyone, and only through
// the emitter (realtime/emitter.ts), which takes rooms built here.
import { rooms as names } from '@trustline/shared';

/** A socket.io room built by `rooms` (a bare string is refused by the emitter's types). */
export type Room = string & { readonly __room: unique symbol };
const room = (name: string) => name as Room;

export const rooms = {
  role: (role: string) => room(names.role(role)),
  user: (userId: string) => room(names.user(userId)),
  /** Every console of one signed-in session (its tabs). */
  session: (sessionId: string) => room(`session:${sessionId}`),
  /** Wallboards and supervisors watching live figures. */
  wallboard: () => room(names.wallboard()),
  /** Supervisors who opened this thread (the holder gets its messages in their user room). */
  conversation: (conversationId: string) => room(names.conversation(conversationId)),
  /** Everyone who sees the live queue of calls and threads. */
  queueWatchers: () => [room(names.role('operator')), room(names.role('supervisor'))],
};

export const sessionRoom = rooms.session;
