// The live state in Redis, one JSON value per deployment beside a version counter, changed only
// through `update`: read value and version, apply a pure function, then write with a Lua
// compare-and-set that succeeds only if the version is still the one read. Two processes
// (server and worker) applying events at once never lose each other's change: the loser
// re-reads and re-applies. The reconciliation uses the same version to notice events that
// landed while it read the database.
import type { Redis } from 'ioredis';
import type { LiveState } from './figures.js';

const MAX_TRIES = 50;

const CAS = `
local v = redis.call('GET', KEYS[2]) or '0'
if v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 1`;

export function wallboardStore(redis: Redis, prefix: string) {
  const key = `${prefix}:live:state`;
  const versionKey = `${prefix}:live:version`;
  const parse = (raw: string | null): LiveState | null => (raw ? (JSON.parse(raw) as LiveState) : null);
  const read = async () => {
    const [raw, version] = await redis.mget(key, versionKey);
    return { state: parse(raw ?? null), version: version ?? '0' };
  };

  return {
    async get(): Promise<LiveState | null> {
      return parse(await redis.get(key));
    },
    async version(): Promise<number> {
      return Number((await redis.get(versionKey)) ?? 0);
    },
    /** Applies `fn` atomically and returns the state before and after. With `expectVersion`,
     * gives up (null) if any other change landed since that version. */
    async update(fn: (current: LiveState | null) => LiveState, expectVersion?: number): Promise<{ before: LiveState | null; after: LiveState } | null> {
      for (let i = 0; i < MAX_TRIES; i++) {
        const { state: before, version } = await read();
        if (expectVersion !== undefined && Number(version) !== expectVersion) return null;
        const after = fn(before);
        if ((await redis.eval(CAS, 2, key, versionKey, version, JSON.stringify(after))) === 1) return { before, after };
      }
      throw new Error('live state: too many concurrent updates');
    },
    async clear() {
      await redis.del(key, versionKey);
    },
  };
}
export type WallboardStore = ReturnType<typeof wallboardStore>;
