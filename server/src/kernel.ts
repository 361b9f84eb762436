// What every feature module is built from (the kernel), and the map of what the features provide
// (Services). The kernel holds infrastructure only: stores, the emitter, the job producer and the
// outbox, domain events, transactions and phone crypto. Features add their own entries to
// `Services` from their own folder (declaration merging), so no feature imports another's
// internals and the composition root (services.ts) imports nothing but the list of modules.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { phoneCrypto, type PhoneCrypto } from './crypto/phone.js';
import type { Database } from './db/database.js';
import { transactor, type Transactor } from './db/tx.js';
import { DomainEvents } from './domain-events.js';
import type { Invalidation } from './invalidation.js';
import { jobProducer, type Enqueue } from './jobs/enqueue.js';
import { outbox, type Outbox } from './jobs/outbox.js';
import { outboxRepository } from './jobs/outbox.repository.js';
import type { Queues } from './jobs/queues.js';
import { createEmitter, type Emitter } from './realtime/emitter.js';
import type { Io } from './realtime/io.js';

export interface Infra {
  config: Config;
  db: Database;
  /** Fail-fast connection for commands (no offline queue). */
  redis: Redis;
  queues: Queues;
  /** The socket.io server. Only the HTTP side (plugins/socket.ts, shutdown.ts) and the emitter
   * touch it; features get the emitter. */
  io: Io;
  /** Tells other processes that rows they keep copies of have changed. */
  invalidation: Invalidation;
  log: Logger;
}

export interface Kernel {
  infra: Infra;
  config: Config;
  /** The encryption-extended Prisma client: repositories take it. */
  prisma: Database['prisma'];
  redis: Redis;
  log: Logger;
  invalidation: Invalidation;
  events: DomainEvents;
  transaction: Transactor;
  phones: PhoneCrypto;
  /** Events to consoles, by room (realtime/emitter.ts). */
  emitter: Emitter;
  /** A job now, outside any transaction (jobs/enqueue.ts). */
  enqueue: Enqueue;
  /** Jobs that must not be lost, written in the transaction of the change that needs them. */
  outbox: Outbox;
}

/** What the features provide, by name. The kernel's own parts are here; each feature adds its
 * entries from its index.ts: `declare module '../../kernel.js' { interface Services { … } }`. */
export interface Services {
  infra: Infra;
  events: DomainEvents;
  phones: PhoneCrypto;
  transaction: Transactor;
  emitter: Emitter;
  enqueue: Enqueue;
  outbox: Outbox;
}

export function createKernel(infra: Infra): Kernel {
  const { config, db, redis, log } = infra;
  const transaction = transactor(db.prisma);
  return {
    infra,
    config,
    prisma: db.prisma,
    redis,
    log,
    invalidation: infra.invalidation,
    events: new DomainEvents((err, event) => log.error({ err, event }, 'domain event listener failed')),
    transaction,
    phones: phoneCrypto(config.appSecret),
    emitter: createEmitter(infra.io),
    enqueue: jobProducer(infra.queues),
    outbox: outbox({ repo: outboxRepository(db.prisma), transaction, queues: infra.queues, log }),
  };
}
