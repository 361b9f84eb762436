// `npm start`: the whole system in one process on embedded defaults — PGlite under ./data when
// DATABASE_URL is unset, a redis-server launched from PATH when REDIS_URL is unset — with the
// HTTP server, socket.io and the BullMQ workers together.
import { loadConfigOrExit } from './config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { assertUnlocked } from './db/pglite-lock.js';
import { closeOnSignals, createLogger, exitAfterFailedStart, startProcess } from './entry.js';

const initial = loadConfigOrExit();
const log = createLogger(initial);
let embedded: EmbeddedRedis | undefined;

const starting = (async () => {
  let config = initial;
  // Refused before the embedded redis-server starts in the same DATA_DIR; openDatabase then takes the lock.
  if (config.database.kind === 'pglite') assertUnlocked(config.database.dir);
  if (!config.redisUrl) {
    try {
      embedded = await startEmbeddedRedis(config.redisServerBin, config.dataDir);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    }
    config = loadConfigOrExit({ ...process.env, REDIS_URL: embedded.url });
  }
  log.info({ database: config.database.kind, redis: embedded ? 'embedded' : 'external' }, 'starting');
  return startProcess(config, { http: true, workers: true }, log);
})();

// Signals are handled from the first moment (see server.ts); the embedded redis-server is
// stopped last, after the jobs and sockets that use it.
closeOnSignals(
  async () => {
    try {
      await (await starting).close();
    } finally {
      await embedded?.stop();
    }
  },
  log,
  initial.shutdownGraceMs,
);
await starting.catch(async (err) => {
  await embedded?.stop();
  exitAfterFailedStart(err, log, 'failed to start');
});
