// `npm run server`: the HTTP API, Twilio webhooks, socket.io and the console, without workers.
import { loadConfigOrExit } from './config.js';
import { closeOnSignals, createLogger, startProcess } from './entry.js';

const config = loadConfigOrExit();
const log = createLogger(config);
const started = await startProcess(config, { http: true, workers: false }, log).catch((err) => {
  log.fatal({ err }, 'server failed to start');
  process.exit(1);
});
closeOnSignals(() => started.close(), log, config.shutdownGraceMs);
