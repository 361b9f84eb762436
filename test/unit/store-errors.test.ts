// A store that does not answer becomes a 503 with Retry-After, not a 500 (store-errors.ts).
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../server/src/generated/prisma/client.js';
import { fromStoreError, unavailableStore } from '../../server/src/store-errors.js';

const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError('store trouble', { code, clientVersion: 'test' });

describe('fromStoreError', () => {
  it('answers 503 when ioredis refuses a command because Redis is unreachable', async () => {
    // Port 1: nothing listens, so the client is never ready; no offline queue, as in redis.ts.
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    redis.on('error', () => {});
    const err = await redis.get('x').catch((e: unknown) => e);
    redis.disconnect();
    expect(unavailableStore(err)).toBe('redis');
    const mapped = fromStoreError(err)!;
    expect(mapped.status).toBe(503);
    expect(mapped.code).toBe('STORE_UNAVAILABLE');
    expect(mapped.message).toMatch(/try again/);
    expect(mapped.headers).toEqual({ 'retry-after': '5' });
  });

  it('answers 503 when PostgreSQL is unreachable, closes the connection or has no free slot', () => {
    for (const code of ['P1001', 'P1017', 'P2024', 'P2028']) expect(fromStoreError(prismaError(code))?.status, code).toBe(503);
    const wrapped = new Error('outer', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) });
    expect(fromStoreError(wrapped)?.status).toBe(503);
  });

  it('leaves other errors alone: the caller’s fault or a bug stays what it was', () => {
    expect(fromStoreError(prismaError('P2002'))).toBeNull();
    expect(fromStoreError(new TypeError('x is undefined'))).toBeNull();
    expect(fromStoreError(null)).toBeNull();
  });
});
