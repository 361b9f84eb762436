import type { Db } from '../../db/tx.js';
import type { Role } from '../../generated/prisma/enums.js';

const sessionUser = { id: true, username: true, displayName: true, roles: true, locale: true, active: true } as const;

export function authRepository(db: Db) {
  return {
    findUserForLogin(username: string, tx: Db = db) {
      return tx.user.findUnique({
        where: { username: username.toLowerCase() },
        select: { ...sessionUser, passwordHash: true, totpEnabledAt: true },
      });
    },
    findTotp(userId: string, tx: Db = db) {
      return tx.user.findUnique({
        where: { id: userId },
        select: { ...sessionUser, totpSecret: true, totpEnabledAt: true, totpLastStep: true, totpRecoveryCodes: true },
      });
    },
    /** Records the step of an accepted code only if it is later than the last one: 0 rows means a replay. */
    acceptStep(userId: string, step: number, tx: Db = db) {
      return tx.user.updateMany({
        where: { id: userId, totpEnabledAt: { not: null }, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      });
    },
    /** Removes one recovery code if it is still there: 0 rows means it was used already. */
    consumeRecoveryCode(userId: string, hash: string, remaining: string[], tx: Db = db) {
      return tx.user.updateMany({ where: { id: userId, totpRecoveryCodes: { has: hash } }, data: { totpRecoveryCodes: remaining } });
    },
    enableTotp(userId: string, data: { sealedSecret: string; step: number; recoveryHashes: string[]; at: Date }, tx: Db = db) {
      return tx.user.update({
        where: { id: userId },
        data: { totpSecret: data.sealedSecret, totpEnabledAt: data.at, totpLastStep: data.step, totpRecoveryCodes: data.recoveryHashes },
        select: { id: true },
      });
    },
    disableTotp(userId: string, tx: Db = db) {
      return tx.user.updateMany({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null, totpRecoveryCodes: [] } });
    },
    listSessions(userId: string, tx: Db = db) {
      return tx.session.findMany({
        where: { userId },
        orderBy: { lastSeenAt: 'desc' },
        select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
      });
    },
    deleteSessionOfUser(userId: string, id: string, tx: Db = db) {
      return tx.session.deleteMany({ where: { id, userId } });
    },
    /** Sessions unused since `before`: their ids, so that their sockets can be told. */
    findIdleSessions(before: Date, tx: Db = db) {
      return tx.session.findMany({ where: { lastSeenAt: { lt: before } }, select: { id: true }, take: 1000 });
    },
    deleteSessionsById(ids: string[], before: Date, tx: Db = db) {
      return tx.session.deleteMany({ where: { id: { in: ids }, lastSeenAt: { lt: before } } });
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
