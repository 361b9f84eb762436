// Opens the stores and builds the services; shared by every entry point and by the tests.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { rotateKeys } from './db/rotate.js';
import { openDatabase } from './db/database.js';
import { applyMigrations } from './db/migrate.js';
import { runSeeders } from './db/seeders.js';
import { seeders } from './modules/registry.js';
import { closeQueues, createQueues } from './jobs/queues.js';
import { createIo, type Io } from './realtime/io.js';
import { invalidationBus } from './invalidation.js';
import { createRedis } from './redis.js';
import { createServices, type Services } from './services.js';

export interface Runtime {
  services: Services;
  /** Closes queues, the socket.io adapter, Redis and the database, in that order. */
  close(): Promise<void>;
}

/** Server.close() assumes an attached HTTP server (it closes `io.engine`); a worker's io, or a
 * server's io whose app never started, has none, so only its adapter is closed. */
async function closeIo(io: Io) {
  if (io.engine) await io.close();
  else await Promise.all([...io._nsps.values()].map((nsp) => nsp.adapter.close()));
}

export async function createRuntime(config: Config, log: Logger, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  if (!config.redisUrl) throw new Error('REDIS_URL is not set (npm start launches an embedded redis-server; npm run server and npm run worker need REDIS_URL)');
  const db = await openDatabase(config.database, config.keys);
  if (opts.migrate ?? config.migrateOnStart) {
    const applied = await applyMigrations(db.adapterFactory);
    if (applied.length) log.info({ applied }, 'migrations applied');
    // Rows written before encryption at rest (or under an older key) are sealed once, when a
    // migration has just been applied; later rotations are `npm run keys:rotate`.
    if (applied.length && db.cipher) {
      const sealed = await rotateKeys(db.raw, db.cipher);
      if (sealed.rows || sealed.failed) log.info({ rows: sealed.rows, failed: sealed.failed }, 'personal fields sealed with the current key');
    }
    await runSeeders(db.prisma, seeders, (name) => log.debug({ seeder: name }, 'seeded'), { appSecret: config.appSecret });
  }
  const redis = createRedis(config.redisUrl, 'commands');
  const adapterRedis = createRedis(config.redisUrl, 'blocking');
  const queues = createQueues(redis, config.redisPrefix);
  const io = createIo(adapterRedis, config.redisPrefix);
  const invalidation = invalidationBus({ url: config.redisUrl, prefix: config.redisPrefix, publisher: redis, log });
  const services = createServices({ config, db, redis, queues, io, invalidation, log });
  return {
    services,
    async close() {
      await closeQueues(queues).catch((err) => log.warn({ err }, 'closing queues failed'));
      await closeIo(io).catch((err) => log.warn({ err }, 'closing socket.io failed'));
      await invalidation.close();
      adapterRedis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.close();
    },
  };
}
