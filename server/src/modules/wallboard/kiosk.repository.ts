// Kiosk (wall-screen) accounts and the sessions a kiosk link opens. A kiosk is a user holding
// only the `wallboard` role; its session is an ordinary session row, so the session plugin, the
// socket handshake and sign-out treat it like any other.
import type { PrismaClient } from '../../generated/prisma/client.js';

export function kioskRepository(prisma: PrismaClient) {
  return {
    list() {
      return prisma.user.findMany({
        where: { roles: { equals: ['wallboard'] }, active: true },
        select: { id: true, displayName: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      });
    },
    find(id: string) {
      return prisma.user.findUnique({ where: { id }, select: { id: true, username: true, displayName: true, roles: true, locale: true, active: true } });
    },
    createSession(data: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null }) {
      return prisma.session.create({ data, select: { id: true } });
    },
  };
}
export type KioskRepository = ReturnType<typeof kioskRepository>;
