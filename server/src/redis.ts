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

/** Waits until a fresh connection is ready, or rejects after `timeoutMs`. */
export function waitReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
