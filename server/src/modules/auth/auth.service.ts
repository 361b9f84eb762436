// Sign-in, sessions and the first administrator. The rules live here; routes, the socket
// handshake and the CLI all call this service.
import type { Role } from '@trustline/shared';
import { decoyHash, hashPassword, verifyPassword } from '../../crypto/passwords.js';
import { newSecret, secretId } from '../../crypto/tokens.js';
import type { Db, Transactor } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { AuthRepository } from './auth.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PendingStore } from './pending.js';
import { hashRecoveryCode, isRecoveryCode, newRecoveryCodes, type TotpCodec } from './totp.js';

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

/** Tells the consoles of ended sessions, and disconnects their sockets. */
export interface SessionEnder {
  endSession(sessionId: string, reason?: 'signed-out' | 'expired'): void;
  endSessionsOf(userId: string, reason: 'deactivated' | 'signed-out'): void;
}

interface Deps {
  repo: AuthRepository;
  audit: AuditService;
  throttle: LoginThrottle;
  transaction: Transactor;
  sessionTtlMs: number;
  /** A session unused this long ends. */
  idleMs: number;
  setupTokenTtlMs: number;
  totp: TotpCodec;
  pending: PendingStore;
  /** Roles that must sign in with a second factor. */
  totpRequiredRoles: readonly Role[];
  sessions: SessionEnder;
  now?: () => Date;
}

/** lastSeenAt is written at most this often, so a busy console does not write on every request. */
export const TOUCH_EVERY_MS = 60_000;

export type LoginOutcome =
  { kind: 'session'; sessionSecret: string; sessionId: string; user: SessionUserRecord } | { kind: 'pending'; next: 'totp' | 'enrol'; pendingSecret: string };

// 410, not 401: nothing is signed in either way; what is gone is the half-done sign-in itself.
const noPending = () => new DomainError('SIGN_IN_PENDING_MISSING', 'the sign-in has expired or was not started; enter your username and password again', 410);
const wrongCode = () => new DomainError('TOTP_CODE_WRONG', 'the code is wrong or was already used; enter the current code from the authenticator app', 401);
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

export function authService({
  repo,
  audit,
  throttle,
  transaction,
  sessionTtlMs,
  idleMs,
  setupTokenTtlMs,
  totp,
  pending,
  totpRequiredRoles,
  sessions,
  now = () => new Date(),
}: Deps) {
  const requiresTotp = (roles: readonly Role[]) => roles.some((r) => totpRequiredRoles.includes(r));

  async function refuseIfThrottled(username: string, actor: Actor) {
    const waitMs = await throttle.lockedFor(username, actor.ip ?? 'unknown');
    if (waitMs > 0) {
      await audit.record({ ...actor, label: username }, 'auth.login.throttled', { entity: 'User' });
      const seconds = Math.ceil(waitMs / 1000);
      throw new DomainError('LOGIN_THROTTLED', `too many failed sign-ins; try again in ${seconds} s`, 429, undefined, {
        'retry-after': String(seconds),
      });
    }
  }

  async function startSession(user: SessionUserRecord, actor: Actor, secondFactor: 'totp' | 'recovery-code' | null, tx?: Db) {
    const { secret, id } = newSecret();
    const write = async (t: Db) => {
      await repo.createSession(
        { id, userId: user.id, expiresAt: new Date(now().getTime() + sessionTtlMs), ip: actor.ip ?? null, userAgent: actor.userAgent ?? null },
        t,
      );
      await repo.markSignedIn(user.id, t);
      await audit.record(
        { ...actor, userId: user.id, label: user.username },
        'auth.login',
        {
          entity: 'User',
          entityId: user.id,
          ...(secondFactor ? { detail: { secondFactor } } : {}),
        },
        t,
      );
    };
    if (tx) await write(tx);
    else await transaction(write);
    return { kind: 'session' as const, sessionSecret: secret, sessionId: id, user: toUser(user) };
  }

  /** A six-digit code or a recovery code for a user with two-factor on; the kind accepted, or null. */
  async function acceptSecondFactor(userId: string, code: string): Promise<'totp' | 'recovery-code' | null> {
    const u = await repo.findTotp(userId);
    if (!u?.totpEnabledAt || !u.totpSecret) return null;
    if (isRecoveryCode(code)) {
      const hash = hashRecoveryCode(code);
      if (!u.totpRecoveryCodes.includes(hash)) return null;
      const used = await repo.consumeRecoveryCode(
        userId,
        hash,
        u.totpRecoveryCodes.filter((h) => h !== hash),
      );
      return used.count === 1 ? 'recovery-code' : null;
    }
    const step = await totp.check(totp.open(u.totpSecret), code, u.totpLastStep, now().getTime());
    if (step === null) return null;
    return (await repo.acceptStep(userId, step)).count === 1 ? 'totp' : null;
  }

  async function codeFailed(user: { id: string; username: string }, actor: Actor, reason: string) {
    await throttle.recordFailure(user.username, actor.ip ?? 'unknown');
    await audit.record({ ...actor, userId: user.id, label: user.username }, 'auth.totp.failed', { entity: 'User', entityId: user.id, detail: { reason } });
  }

  async function pendingUser(pendingSecret: string | undefined, next: 'totp' | 'enrol') {
    const p = await pending.get(pendingSecret);
    if (!p || p.next !== next) throw noPending();
    const user = await repo.findTotp(p.userId);
    if (!user || !user.active) {
      await pending.finish(pendingSecret!);
      throw noPending();
    }
    return { p, user };
  }

  async function proposal(userId: string, username: string, existingSealed: string | undefined) {
    const secret = existingSealed ? totp.open(existingSealed) : totp.newSecret();
    return { sealed: existingSealed ?? totp.seal(secret), enrolment: await totp.enrolment(secret, username) };
  }

  async function confirmProposal(user: { id: string; username: string }, sealed: string, code: string, actor: Actor, tx: Db) {
    const step = await totp.check(totp.open(sealed), code, null, now().getTime());
    if (step === null) return null;
    const { codes, hashes } = newRecoveryCodes();
    await repo.enableTotp(user.id, { sealedSecret: sealed, step, recoveryHashes: hashes, at: now() }, tx);
    await audit.record(actor, 'auth.totp.enable', { entity: 'User', entityId: user.id }, tx);
    return codes;
  }

  return {
    requiresTotp,

    async login(username: string, password: string, actor: Actor): Promise<LoginOutcome> {
      const ip = actor.ip ?? 'unknown';
      await refuseIfThrottled(username, actor);
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
      // The password was right; the failure count is cleared only once the whole sign-in succeeds.
      if (user.totpEnabledAt || requiresTotp(user.roles)) {
        const next = user.totpEnabledAt ? 'totp' : 'enrol';
        const pendingSecret = await pending.create({ userId: user.id, next });
        await audit.record({ ...actor, userId: user.id, label: user.username }, 'auth.login.password-ok', {
          entity: 'User',
          entityId: user.id,
          detail: { next },
        });
        return { kind: 'pending', next, pendingSecret };
      }
      await throttle.clear(username, ip);
      return startSession(user, actor, null);
    },

    /** The second step: a code from the authenticator app, or a recovery code (used up). */
    async loginWithCode(pendingSecret: string | undefined, code: string, actor: Actor) {
      const { user } = await pendingUser(pendingSecret, 'totp');
      await refuseIfThrottled(user.username, actor);
      const accepted = await acceptSecondFactor(user.id, code);
      if (!accepted) {
        await codeFailed(user, actor, isRecoveryCode(code) ? 'bad-recovery-code' : 'bad-code');
        throw wrongCode();
      }
      if (!(await pending.finish(pendingSecret!))) throw noPending();
      await throttle.clear(user.username, actor.ip ?? 'unknown');
      return startSession(user, actor, accepted);
    },

    /** First sign-in of a user whose role requires two-factor: the secret to scan (the same one until confirmed). */
    async loginEnrolment(pendingSecret: string | undefined) {
      const { p, user } = await pendingUser(pendingSecret, 'enrol');
      const { sealed, enrolment } = await proposal(user.id, user.username, p.enrolSecret);
      if (!p.enrolSecret) await pending.update(pendingSecret!, { ...p, enrolSecret: sealed });
      return enrolment;
    },

    /** Confirms the first code: two-factor is on, the recovery codes are returned once, and the user is signed in. */
    async loginConfirmEnrolment(pendingSecret: string | undefined, code: string, actor: Actor) {
      const { p, user } = await pendingUser(pendingSecret, 'enrol');
      await refuseIfThrottled(user.username, actor);
      if (!p.enrolSecret) throw new DomainError('TOTP_NOT_STARTED', 'ask for the QR code first (POST /api/auth/login/enrol)', 409);
      const result = await transaction(async (tx) => {
        const codes = await confirmProposal(user, p.enrolSecret!, code, { ...actor, userId: user.id, label: user.username }, tx);
        if (!codes) return null;
        const session = await startSession(user, actor, 'totp', tx);
        return { codes, session };
      });
      if (!result) {
        await codeFailed(user, actor, 'bad-enrolment-code');
        throw wrongCode();
      }
      await pending.finish(pendingSecret!);
      await throttle.clear(user.username, actor.ip ?? 'unknown');
      return { recoveryCodes: result.codes, ...result.session };
    },

    async security(userId: string) {
      const u = await repo.findTotp(userId);
      if (!u) throw new DomainError('NOT_FOUND', 'user was not found', 404);
      return {
        totpEnabled: !!u.totpEnabledAt,
        totpRequired: requiresTotp(u.roles),
        recoveryCodesLeft: u.totpEnabledAt ? u.totpRecoveryCodes.length : 0,
        idleMinutes: Math.round(idleMs / 60_000),
      };
    },

    /** From the user's own security page: a secret to scan; two-factor turns on once confirmed. */
    async startEnrolment(userId: string) {
      const u = await repo.findTotp(userId);
      if (!u) throw new DomainError('NOT_FOUND', 'user was not found', 404);
      if (u.totpEnabledAt) throw new DomainError('TOTP_ALREADY_ON', 'two-factor sign-in is already on; turn it off first to use a new device', 409);
      const { sealed, enrolment } = await proposal(u.id, u.username, (await pending.proposedForUser(u.id)) ?? undefined);
      await pending.proposeForUser(u.id, sealed);
      return enrolment;
    },

    async confirmEnrolment(userId: string, code: string, actor: Actor) {
      const u = await repo.findTotp(userId);
      if (!u) throw new DomainError('NOT_FOUND', 'user was not found', 404);
      if (u.totpEnabledAt) throw new DomainError('TOTP_ALREADY_ON', 'two-factor sign-in is already on', 409);
      const sealed = await pending.proposedForUser(u.id);
      if (!sealed) throw new DomainError('TOTP_NOT_STARTED', 'start the set-up first (POST /api/auth/totp/enrol); it lasts ten minutes', 409);
      await refuseIfThrottled(u.username, actor);
      const codes = await transaction((tx) => confirmProposal(u, sealed, code, actor, tx));
      if (!codes) {
        await codeFailed(u, actor, 'bad-enrolment-code');
        throw wrongCode();
      }
      await pending.clearProposal(u.id);
      return { recoveryCodes: codes };
    },

    /** Turns two-factor off with a current code; refused when the user's role requires it. */
    async disableTotp(userId: string, code: string, actor: Actor) {
      const u = await repo.findTotp(userId);
      if (!u) throw new DomainError('NOT_FOUND', 'user was not found', 404);
      if (!u.totpEnabledAt) throw new DomainError('TOTP_NOT_ON', 'two-factor sign-in is not on', 409);
      if (requiresTotp(u.roles)) throw new DomainError('TOTP_REQUIRED', 'your role must sign in with two-factor; it cannot be turned off', 409);
      await refuseIfThrottled(u.username, actor);
      if (!(await acceptSecondFactor(u.id, code))) {
        await codeFailed(u, actor, 'bad-code');
        throw wrongCode();
      }
      await transaction(async (tx) => {
        await repo.disableTotp(u.id, tx);
        await audit.record(actor, 'auth.totp.disable', { entity: 'User', entityId: u.id }, tx);
      });
    },

    /** An administrator clears a user's second factor (a lost phone): they set it up again at their next sign-in. */
    async resetTotp(userId: string, actor: Actor) {
      const u = await repo.findTotp(userId);
      if (!u) throw new DomainError('NOT_FOUND', 'user was not found', 404);
      await transaction(async (tx) => {
        await repo.disableTotp(u.id, tx);
        await audit.record(actor, 'auth.totp.reset', { entity: 'User', entityId: u.id, detail: { wasOn: !!u.totpEnabledAt } }, tx);
      });
      await pending.clearProposal(u.id);
    },

    async listSessions(userId: string, currentSessionId: string | null) {
      return (await repo.listSessions(userId)).map((s) => ({
        id: s.id,
        current: s.id === currentSessionId,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
      }));
    },

    /** Ends one session of `userId` (their own, or by an administrator); 404 when it is not theirs. */
    async endSession(userId: string, sessionId: string, actor: Actor) {
      await transaction(async (tx) => {
        const gone = await repo.deleteSessionOfUser(userId, sessionId, tx);
        if (gone.count !== 1) throw new DomainError('NOT_FOUND', 'session was not found (it may have ended already)', 404);
        await audit.record(actor, 'auth.session.end', { entity: 'User', entityId: userId }, tx);
      });
      sessions.endSession(sessionId, 'signed-out');
    },

    /** Sign out everywhere: every session of the user ends, their sockets are disconnected. */
    async endAllSessions(userId: string, actor: Actor) {
      const count = await transaction(async (tx) => {
        const gone = await repo.deleteSessionsOfUser(userId, tx);
        await audit.record(actor, 'auth.session.end-all', { entity: 'User', entityId: userId, detail: { sessions: gone.count } }, tx);
        return gone.count;
      });
      sessions.endSessionsOf(userId, 'signed-out');
      return count;
    },

    /** The session behind a cookie value, or null when it is unknown, expired or its user is inactive. */
    async resolve(sessionSecret: string | undefined): Promise<ResolvedSession | null> {
      if (!sessionSecret) return null;
      const id = secretId(sessionSecret);
      const session = await repo.findSession(id);
      if (!session) return null;
      const at = now();
      const idle = at.getTime() - session.lastSeenAt.getTime() > idleMs;
      if (session.expiresAt <= at || !session.user.active || idle) {
        await repo.deleteSession(id);
        if (idle) sessions.endSession(id, 'expired');
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

    /** Ends sessions unused for the idle time (a console left open, a browser closed without
     * signing out) and disconnects their sockets. The maintenance queue runs it every minute. */
    async endIdleSessions() {
      const before = new Date(now().getTime() - idleMs);
      const idle = await repo.findIdleSessions(before);
      if (!idle.length) return 0;
      const gone = await repo.deleteSessionsById(
        idle.map((s) => s.id),
        before,
      );
      for (const s of idle) sessions.endSession(s.id, 'expired');
      return gone.count;
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
        if (used.count !== 1)
          throw new DomainError('SETUP_TOKEN_INVALID', 'the setup link is invalid, expired or already used; restart the server for a new one', 403);
        const user = await repo.createUser({ username: input.username, displayName: input.displayName, passwordHash, roles: ['admin'] }, tx);
        await audit.record(
          { ...actor, userId: user.id, label: user.username },
          'setup.first-admin',
          { entity: 'User', entityId: user.id, detail: { roles: ['admin'] } },
          tx,
        );
        return toUser(user);
      });
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
