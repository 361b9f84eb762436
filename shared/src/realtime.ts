import { z } from 'zod';
import type { Ack } from './errors.js';
import type { CasesClientCommands, CasesServerEvents } from './cases.js';
import type { ContactsClientCommands, ContactsServerEvents } from './contacts.js';
import type { TelephonyClientCommands, TelephonyServerEvents } from './telephony.js';
import type { WallboardClientCommands, WallboardServerEvents } from './wallboard.js';
import type { DispatchServerEvents } from './dispatch.js';
import type { CallerServerEvents } from './callers.js';

/**
 * The typed socket contract. Commands are `feature:verb` and answer with an ack; facts are
 * `feature:verb-ed`. Each feature adds its own interface here and the maps below extend it.
 */

export const PresenceEntry = z.object({
  userId: z.uuid(),
  online: z.boolean(),
  since: z.iso.datetime(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

export interface FoundationServerEvents {
  /** A staff member came online or went offline (every process, through Redis). */
  'presence:changed': (entry: PresenceEntry) => void;
  /** The session behind this socket ended (sign-out, deactivation); the console returns to sign-in. */
  'session:ended': (info: { reason: 'signed-out' | 'deactivated' | 'expired' }) => void;
}

export interface FoundationClientCommands {
  /** Who is online now. Supervisors and admins. */
  'presence:list': (payload: Record<string, never>, ack: (res: Ack<PresenceEntry[]>) => void) => void;
}

export interface ServerToClientEvents
  extends
    FoundationServerEvents,
    DispatchServerEvents,
    WallboardServerEvents,
    TelephonyServerEvents,
    ContactsServerEvents,
    CasesServerEvents,
    CallerServerEvents {}
export interface ClientToServerEvents
  extends FoundationClientCommands, WallboardClientCommands, TelephonyClientCommands, ContactsClientCommands, CasesClientCommands {}

/** Room names. Events go to named rooms only, never to everyone. */
export const rooms = {
  role: (role: string) => `role:${role}`,
  user: (userId: string) => `user:${userId}`,
  /** Wallboards and supervisors watching live figures (wallboard:subscribe joins it). */
  wallboard: () => 'wallboard',
  /** Supervisors who opened this SMS thread (conversation:messages joins it, conversation:leave
   * leaves it): they get its live messages. The operator holding it gets them in their user room. */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
} as const;
