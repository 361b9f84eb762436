// Staff accounts, managed by administrators. Every change is audited with the fields changed
// (never their values); deactivation and password resets end the user's sessions at once.
import type { CreateUserBody, ResetPasswordBody, StaffMember, UpdateUserBody, UserSummary } from '@trustline/shared';
import { hashPassword } from '../../crypto/passwords.js';
import type { Transactor } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { UsersRepository } from './users.repository.js';

export interface SessionsEnder {
  /** Tells the user's consoles their session ended and disconnects them. */
  endSessionsOf(userId: string, reason: 'deactivated' | 'signed-out'): void;
}

type Row = Awaited<ReturnType<UsersRepository['list']>>[number];
const toSummary = (u: Row): UserSummary => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  active: u.active,
  locale: (u.locale as UserSummary['locale']) ?? null,
  createdAt: u.createdAt.toISOString(),
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  totpEnabled: !!u.totpEnabledAt,
});

export function usersService(deps: { repo: UsersRepository; audit: AuditService; transaction: Transactor; sessions: SessionsEnder }) {
  const { repo, audit, transaction, sessions } = deps;
  return {
    async list() {
      return (await repo.list()).map(toSummary);
    },

    /** Active colleagues' names and roles: staff data, not callers' personal data, so not audited. */
    async directory(): Promise<StaffMember[]> {
      return repo.listActiveStaff();
    },

    async create(body: CreateUserBody, actor: Actor) {
      const passwordHash = await hashPassword(body.password);
      return transaction(async (tx) => {
        if (await repo.findByUsername(body.username, tx)) {
          throw new DomainError('USERNAME_TAKEN', `username "${body.username}" is already taken`, 409, [{ path: 'username', message: 'already taken' }]);
        }
        const user = await repo.create(
          { username: body.username, displayName: body.displayName, passwordHash, roles: [...new Set(body.roles)], locale: body.locale ?? null },
          tx,
        );
        await audit.record(actor, 'user.create', { entity: 'User', entityId: user.id, detail: { roles: user.roles } }, tx);
        return toSummary(user);
      });
    },

    async update(id: string, body: UpdateUserBody, actor: Actor) {
      const result = await transaction(async (tx) => {
        const before = await repo.find(id, tx);
        if (!before) throw notFound('user');
        const roles = body.roles ? [...new Set(body.roles)] : undefined;
        const losesAdmin = (roles && !roles.includes('admin')) || body.active === false;
        if (before.roles.includes('admin') && before.active && losesAdmin && (await repo.countActiveAdmins(tx)) <= 1) {
          throw new DomainError('LAST_ADMIN', 'this is the last active administrator; make another one first', 409);
        }
        const user = await repo.update(id, { ...body, roles }, tx);
        const deactivated = before.active && body.active === false;
        if (deactivated) await repo.deleteSessions(id, tx);
        await audit.record(
          actor,
          deactivated ? 'user.deactivate' : 'user.update',
          { entity: 'User', entityId: id, detail: { fields: Object.keys(body), ...(roles ? { roles } : {}) } },
          tx,
        );
        return { user, deactivated };
      });
      if (result.deactivated) sessions.endSessionsOf(id, 'deactivated');
      return toSummary(result.user);
    },

    async resetPassword(id: string, body: ResetPasswordBody, actor: Actor) {
      const passwordHash = await hashPassword(body.password);
      await transaction(async (tx) => {
        if (!(await repo.find(id, tx))) throw notFound('user');
        await repo.update(id, { passwordHash }, tx);
        await repo.deleteSessions(id, tx);
        await audit.record(actor, 'user.reset-password', { entity: 'User', entityId: id }, tx);
      });
      sessions.endSessionsOf(id, 'signed-out');
    },
  };
}
export type UsersService = ReturnType<typeof usersService>;
