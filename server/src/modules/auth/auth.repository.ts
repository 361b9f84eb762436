import type { Db } from '../../db/tx.js';
import type { Role } from '../../generated/prisma/enums.js';

const sessionUser = { id: true, username: true, displayName: true, roles: true, locale: true, active: true } as const;

export function authRepository(db: Db) {
  return {
    findUserForLogin(username: string, tx: Db = db) {
      return tx.user.findUnique({
        where: { username: username.toLowerCase() },
        select: { ...sessionUser, passwordHash: true },
      });
    },
    countUsers(tx: Db = db) {
      return tx.user.count();
    },
    createUser(data: { username: string; displayName: string; passwordHash: string; roles: Role[]; locale?: string | null }, tx: Db = db) {
      return tx.user.create({ data: { ...data, username: data.username.toLowerCase() }, select: sessionUser });
    },
    markSignedIn(userId: string, tx: Db = db) {
      return tx.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() }, select: { id: true } });
    },
    createSession(data: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null }, tx: Db = db) {
      return tx.session.create({ data, select: { id: true } });
    },
    findSession(id: string, tx: Db = db) {
      return tx.session.findUnique({
        where: { id },
        select: { id: true, expiresAt: true, lastSeenAt: true, user: { select: sessionUser } },
      });
    },
    touchSession(id: string, at: Date, tx: Db = db) {
      return tx.session.updateMany({ where: { id }, data: { lastSeenAt: at } });
    },
    deleteSession(id: string, tx: Db = db) {
      return tx.session.deleteMany({ where: { id } });
    },
    deleteSessionsOfUser(userId: string, tx: Db = db) {
      return tx.session.deleteMany({ where: { userId } });
    },
    deleteExpiredSessions(now: Date, tx: Db = db) {
      return tx.session.deleteMany({ where: { expiresAt: { lt: now } } });
    },
    createSetupToken(id: string, expiresAt: Date, tx: Db = db) {
      return tx.setupToken.create({ data: { id, expiresAt } });
    },
    /** Marks the token used only if it is unused and unexpired; returns how many rows changed. */
    consumeSetupToken(id: string, now: Date, tx: Db = db) {
      return tx.setupToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    },
    deleteUnusedSetupTokens(tx: Db = db) {
      return tx.setupToken.deleteMany({ where: { usedAt: null } });
    },
  };
}
export type AuthRepository = ReturnType<typeof authRepository>;
