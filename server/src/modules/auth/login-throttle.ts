// Repeated sign-in failures are throttled per username and per client address: after
// `maxFailures` failures within `lockMs`, further attempts are refused until the window ends,
// even with the right password. Counters live in Redis so every server process shares them.
import type { Redis } from 'ioredis';

export interface LoginThrottle {
  /** Milliseconds until sign-in is allowed again, or 0. */
  lockedFor(username: string, ip: string): Promise<number>;
  recordFailure(username: string, ip: string): Promise<void>;
  clear(username: string, ip: string): Promise<void>;
}

export function loginThrottle(redis: Redis, prefix: string, maxFailures: number, lockMs: number): LoginThrottle {
  const keys = (username: string, ip: string) => [`${prefix}:login-fail:user:${username.toLowerCase()}`, `${prefix}:login-fail:ip:${ip}`];
  return {
    async lockedFor(username, ip) {
      const [u, i] = keys(username, ip);
      const res = await redis.multi().get(u!).pttl(u!).get(i!).pttl(i!).exec();
      const [uCount, uTtl, iCount, iTtl] = (res ?? []).map(([, v]) => v) as [string | null, number, string | null, number];
      let wait = 0;
      if (Number(uCount) >= maxFailures) wait = Math.max(wait, uTtl);
      // An address gets more room than one account: an office may share one address.
      if (Number(iCount) >= maxFailures * 4) wait = Math.max(wait, iTtl);
      return Math.max(0, wait);
    },
    async recordFailure(username, ip) {
      const m = redis.multi();
      for (const k of keys(username, ip)) m.incr(k).pexpire(k, lockMs, 'NX');
      await m.exec();
    },
    async clear(username) {
      await redis.del(keys(username, '')[0]!);
    },
  };
}
