// `npm start`: the whole system in one process on embedded defaults — PGlite under ./data when
// DATABASE_URL is unset, a redis-server launched from PATH when REDIS_URL is unset — with the
// HTTP server, socket.io and the BullMQ workers together.
import { loadConfigOrExit } from './config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { closeOnSignals, createLogger, startProcess } from './entry.js';

let config = loadConfigOrExit();
let embedded: EmbeddedRedis | undefined;
if (!config.redisUrl) {
  try {
    embedded = await startEmbeddedRedis(config.redisServerBin, config.dataDir);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  config = loadConfigOrExit({ ...process.env, REDIS_URL: embedded.url });
}
const log = createLogger(config);
log.info({ database: config.database.kind, redis: embedded ? 'embedded' : 'external' }, 'starting');
const started = await startProcess(config, { http: true, workers: true }, log).catch(async (err) => {
  log.fatal({ err }, 'failed to start');
  await embedded?.stop();
  process.exit(1);
});
closeOnSignals(
  async () => {
    await started.close();
    await embedded?.stop();
  },
  log,
  config.shutdownGraceMs,
);
