// Sign-in, sessions and the first administrator. The rules live here; routes, the socket
// handshake and the CLI all call this service.
import type { Role } from '@trustline/shared';
import type { Transactor } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { AuthRepository } from './auth.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { newSecret, secretId } from './tokens.js';

export interface SessionUserRecord {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  locale: string | null;
}

export interface ResolvedSession {
  sessionId: string;
  user: SessionUserRecord;
}

interface Deps {
  repo: AuthRepository;
  audit: AuditService;
  throttle: LoginThrottle;
  transaction: Transactor;
  sessionTtlMs: number;
  setupTokenTtlMs: number;
  now?: () => Date;
}

const TOUCH_EVERY_MS = 60_000;
const toUser = (u: SessionUserRecord & { active?: boolean }): SessionUserRecord => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  locale: u.locale,
});

/** The one check of a username and password: sign-in uses it, and so does `npm run user:create`
 * to prove that the account it made can sign in. As slow for an unknown username as for a known one. */
export async function checkCredentials(repo: Pick<AuthRepository, 'findUserForLogin'>, username: string, password: string) {
  const user = await repo.findUserForLogin(username);
  const passwordOk = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await decoyHash(), password), false);
  return { user, passwordOk, canSignIn: !!user && passwordOk && user.active };
}

export function authService({ repo, audit, throttle, transaction, sessionTtlMs, setupTokenTtlMs, now = () => new Date() }: Deps) {
  return {
    async login(username: string, password: string, actor: Actor) {
      const ip = actor.ip ?? 'unknown';
      const waitMs = await throttle.lockedFor(username, ip);
      if (waitMs > 0) {
        await audit.record({ ...actor, label: username }, 'auth.login.throttled', { entity: 'User' });
        const seconds = Math.ceil(waitMs / 1000);
        throw new DomainError('LOGIN_THROTTLED', `too many failed sign-ins; try again in ${seconds} s`, 429, undefined, {
          'retry-after': String(seconds),
        });
      }
      const { user, passwordOk: ok, canSignIn } = await checkCredentials(repo, username, password);
      if (!user || !canSignIn) {
        await throttle.recordFailure(username, ip);
        await audit.record({ ...actor, userId: user?.id ?? null, label: username }, 'auth.login.failed', {
          entity: 'User',
          entityId: user?.id,
          detail: { reason: !user ? 'unknown-user' : !ok ? 'bad-password' : 'inactive' },
        });
        // One message for every cause: a sign-in form must not reveal which accounts exist.
        throw new DomainError('LOGIN_FAILED', 'wrong username or password', 401);
      }
      await throttle.clear(username, ip);
      const { secret, id } = newSecret();
      await transaction(async (tx) => {
        await repo.createSession(
          { id, userId: user.id, expiresAt: new Date(now().getTime() + sessionTtlMs), ip: actor.ip ?? null, userAgent: actor.userAgent ?? null },
          tx,
        );
        await repo.markSignedIn(user.id, tx);
        await audit.record({ ...actor, userId: user.id, label: user.username }, 'auth.login', { entity: 'User', entityId: user.id }, tx);
      });
      return { sessionSecret: secret, sessionId: id, user: toUser(user) };
    },

    /** The session behind a cookie value, or null when it is unknown, expired or its user is inactive. */
    async resolve(sessionSecret: string | undefined): Promise<ResolvedSession | null> {
      if (!sessionSecret) return null;
      const id = secretId(sessionSecret);
      const session = await repo.findSession(id);
      if (!session) return null;
      const at = now();
      if (session.expiresAt <= at || !session.user.active) {
        await repo.deleteSession(id);
        return null;
      }
      if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await repo.touchSession(id, at);
      return { sessionId: id, user: toUser(session.user) };
    },

    async logout(sessionId: string, actor: Actor) {
      await transaction(async (tx) => {
        await repo.deleteSession(sessionId, tx);
        await audit.record(actor, 'auth.logout', { entity: 'User', entityId: actor.userId ?? undefined }, tx);
      });
    },

    purgeExpiredSessions() {
      return repo.deleteExpiredSessions(now());
    },

    async needsSetup() {
      return (await repo.countUsers()) === 0;
    },

    /** On a first start with no users: a fresh one-time token for the setup link (older unused ones are void). */
    async issueSetupToken(): Promise<string | null> {
      if ((await repo.countUsers()) > 0) return null;
      const { secret, id } = newSecret();
      await transaction(async (tx) => {
        await repo.deleteUnusedSetupTokens(tx);
        await repo.createSetupToken(id, new Date(now().getTime() + setupTokenTtlMs), tx);
      });
      return secret;
    },

    /** Creates the first administrator with a setup token. Refused once any user exists. */
    async completeSetup(input: { token: string; username: string; displayName: string; password: string }, actor: Actor) {
      const passwordHash = await hashPassword(input.password);
      return transaction(async (tx) => {
        if ((await repo.countUsers(tx)) > 0) throw new DomainError('SETUP_DONE', 'the first administrator already exists; sign in instead', 409);
        const used = await repo.consumeSetupToken(secretId(input.token), now(), tx);
        if (used.count !== 1) throw new DomainError('SETUP_TOKEN_INVALID', 'the setup link is invalid, expired or already used; restart the server for a new one', 403);
        const user = await repo.createUser({ username: input.username, displayName: input.displayName, passwordHash, roles: ['admin'] }, tx);
        await audit.record({ ...actor, userId: user.id, label: user.username }, 'setup.first-admin', { entity: 'User', entityId: user.id, detail: { roles: ['admin'] } }, tx);
        return toUser(user);
      });
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
