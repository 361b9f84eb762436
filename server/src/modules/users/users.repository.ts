import type { Db } from '../../db/tx.js';
import type { Role } from '../../generated/prisma/enums.js';

const summary = {
  id: true,
  username: true,
  displayName: true,
  roles: true,
  active: true,
  locale: true,
  createdAt: true,
  lastSignInAt: true,
  totpEnabledAt: true,
} as const;

export function usersRepository(db: Db) {
  return {
    list(tx: Db = db) {
      return tx.user.findMany({ select: summary, orderBy: [{ active: 'desc' }, { username: 'asc' }] });
    },
    listActiveStaff(tx: Db = db) {
      return tx.user.findMany({ where: { active: true }, select: { id: true, displayName: true, roles: true }, orderBy: { displayName: 'asc' } });
    },
    find(id: string, tx: Db = db) {
      return tx.user.findUnique({ where: { id }, select: summary });
    },
    findByUsername(username: string, tx: Db = db) {
      return tx.user.findUnique({ where: { username: username.toLowerCase() }, select: summary });
    },
    create(data: { username: string; displayName: string; passwordHash: string; roles: Role[]; locale?: string | null }, tx: Db = db) {
      return tx.user.create({ data: { ...data, username: data.username.toLowerCase() }, select: summary });
    },
    update(id: string, data: { displayName?: string; roles?: Role[]; active?: boolean; locale?: string | null; passwordHash?: string }, tx: Db = db) {
      return tx.user.update({ where: { id }, data, select: summary });
    },
    countActiveAdmins(tx: Db = db) {
      return tx.user.count({ where: { active: true, roles: { has: 'admin' } } });
    },
    deleteSessions(userId: string, tx: Db = db) {
      return tx.session.deleteMany({ where: { userId } });
    },
  };
}
export type UsersRepository = ReturnType<typeof usersRepository>;
