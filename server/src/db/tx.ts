import type { PrismaClient } from '../generated/prisma/client.js';

/** A Prisma client or an interactive transaction; repository methods take either. */
export type Db = PrismaClient | Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Runs `fn` in one interactive transaction. Services own transactions through this, without
 * importing Prisma. */
export type Transactor = <T>(fn: (tx: Db) => Promise<T>) => Promise<T>;

export const transactor =
  (prisma: PrismaClient): Transactor =>
  (fn) =>
    prisma.$transaction((tx) => fn(tx), { timeout: 15_000 });
