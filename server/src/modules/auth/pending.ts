// A sign-in half done: the password was right, the second step (a code, or setting up two-factor)
// is still due. No session exists yet. The browser holds a random secret in an HttpOnly cookie;
// Redis holds, under its SHA-256, whose sign-in it is and, during enrolment, the new TOTP secret
// sealed. Shared by every server process; gone after a few minutes.
import type { Redis } from 'ioredis';
import { newSecret, secretId } from '../../crypto/tokens.js';

export const PENDING_TTL_MS = 10 * 60_000;

export interface PendingSignIn {
  userId: string;
  next: 'totp' | 'enrol';
  /** During enrolment: the proposed secret, sealed. */
  enrolSecret?: string;
}

export function pendingStore(redis: Redis, prefix: string) {
  const key = (id: string) => `${prefix}:auth-pending:${id}`;
  const enrolKey = (userId: string) => `${prefix}:totp-enrol:${userId}`;
  return {
    async create(p: PendingSignIn) {
      const { secret, id } = newSecret();
      await redis.set(key(id), JSON.stringify(p), 'PX', PENDING_TTL_MS);
      return secret;
    },
    async get(secret: string | undefined): Promise<PendingSignIn | null> {
      if (!secret) return null;
      const raw = await redis.get(key(secretId(secret)));
      return raw ? (JSON.parse(raw) as PendingSignIn) : null;
    },
    async update(secret: string, p: PendingSignIn) {
      await redis.set(key(secretId(secret)), JSON.stringify(p), 'PX', PENDING_TTL_MS, 'XX');
    },
    /** True for the one caller that removed it (a second, concurrent finish gets false). */
    async finish(secret: string) {
      return (await redis.del(key(secretId(secret)))) === 1;
    },
    /** A signed-in user's proposed secret while they set up two-factor from their security page. */
    async proposeForUser(userId: string, sealed: string) {
      await redis.set(enrolKey(userId), sealed, 'PX', PENDING_TTL_MS);
    },
    proposedForUser(userId: string) {
      return redis.get(enrolKey(userId));
    },
    async clearProposal(userId: string) {
      await redis.del(enrolKey(userId));
    },
  };
}
export type PendingStore = ReturnType<typeof pendingStore>;
