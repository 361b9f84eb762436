import type { Role } from '@trustline/shared';

/** What the handshake attaches to every socket. */
export interface SocketData {
  userId: string;
  username: string;
  roles: Role[];
  sessionId: string;
  ip: string | null;
  userAgent: string | null;
}
