// Who is online, across every server process. A user is online while at least one of their
// sockets is connected to any process; the set lives in one Redis hash (userId → since) and the
// socket count comes from the adapter's cluster-wide fetchSockets.
import type { PresenceEntry } from '@trustline/shared';
import type { Redis } from 'ioredis';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';

/** Rooms told about presence changes: everyone who routes calls or watches staff. */
const WATCHERS = [rooms.role('operator'), rooms.role('supervisor'), rooms.role('coordinator'), rooms.role('admin')];

export function presenceService(deps: { redis: Redis; emitter: Emitter; prefix: string; now?: () => Date }) {
  const { redis, emitter, prefix, now = () => new Date() } = deps;
  const key = `${prefix}:presence`;

  const socketsOf = (userId: string) => emitter.socketsIn(rooms.user(userId));

  return {
    async connected(userId: string) {
      const since = now().toISOString();
      if (await redis.hsetnx(key, userId, since)) {
        emitter.to(WATCHERS).emit('presence:changed', { userId, online: true, since });
      }
    },
    async disconnected(userId: string) {
      if ((await socketsOf(userId)) > 0) return;
      if (await redis.hdel(key, userId)) {
        emitter.to(WATCHERS).emit('presence:changed', { userId, online: false, since: now().toISOString() });
      }
    },
    async list(): Promise<PresenceEntry[]> {
      const all = await redis.hgetall(key);
      return Object.entries(all).map(([userId, since]) => ({ userId, online: true, since }));
    },
    async isOnline(userId: string) {
      return (await redis.hexists(key, userId)) === 1;
    },
    /** Drops users whose sockets are gone (a process that crashed never said goodbye). */
    async reconcile() {
      const all = await redis.hkeys(key);
      let dropped = 0;
      for (const userId of all) {
        if ((await socketsOf(userId)) === 0 && (await redis.hdel(key, userId))) {
          dropped += 1;
          emitter.to(WATCHERS).emit('presence:changed', { userId, online: false, since: now().toISOString() });
        }
      }
      return dropped;
    },
  };
}
export type PresenceService = ReturnType<typeof presenceService>;
