// Redis connections, shaped for their use as BullMQ's production guide says: producers and
// request handlers fail fast when Redis is down (no offline queue), workers and blocking
// readers wait for it (maxRetriesPerRequest: null).
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'commands' | 'blocking';

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'commands'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  const redis = new Redis(url, { ...options, ...extra });
  // An 'error' listener is required: without one ioredis would crash the process on a lost
  // connection. Reconnection is automatic; readiness is reported by /readyz.
  redis.on('error', () => {});
  return redis;
}
