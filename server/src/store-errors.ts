// A data store that does not answer is not a bug in the request: the one error handler answers
// 503 with Retry-After (the client, or Twilio, may try again) instead of a 500. Recognised:
// ioredis refusing a command while Redis is unreachable (no offline queue, see redis.ts), and
// PostgreSQL unreachable, closing the connection, timing out or with no free connection or
// transaction slot (Prisma P1001/P1002/P1008/P1017/P2024/P2028/P2037, or the driver's own error).
import { DomainError } from './errors.js';

const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const REDIS_MESSAGES = /^(Stream isn't writeable and enableOfflineQueue options is false|Connection is closed\.|Reached the max retries per request limit)/;

function which(err: unknown, depth = 0): 'database' | 'redis' | 'a store' | null {
  if (!err || typeof err !== 'object' || depth > 3) return null;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; constructor?: { name?: string } };
  const name = typeof e.name === 'string' ? e.name : '';
  const ctor = e.constructor?.name ?? '';
  if (typeof e.code === 'string' && PRISMA_UNAVAILABLE.has(e.code) && (ctor.startsWith('PrismaClient') || name.startsWith('PrismaClient'))) return 'database';
  if (ctor === 'PrismaClientInitializationError') return 'database';
  const kind = (e.cause as { kind?: unknown } | undefined)?.kind;
  if ((ctor === 'DriverAdapterError' || name === 'DriverAdapterError') && typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return 'database';
  if (ctor === 'MaxRetriesPerRequestError' || (typeof e.message === 'string' && REDIS_MESSAGES.test(e.message))) return 'redis';
  if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return 'a store';
  return which(e.cause, depth + 1);
}

/** A 503 domain error when `err` says a store is unreachable or saturated, else null. */
export function fromStoreError(err: unknown): DomainError | null {
  const store = which(err);
  if (!store) return null;
  return new DomainError(
    'STORE_UNAVAILABLE',
    'the service is briefly unavailable (a data store is not answering); try again in a few seconds',
    503,
    undefined,
    {
      'retry-after': '5',
    },
  );
}

/** Which store failed, for the log line. */
export const unavailableStore = which;
