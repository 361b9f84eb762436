// `npm run worker`: the BullMQ workers in their own process (same modules as the server).
import { loadConfigOrExit } from './config.js';
import { closeOnSignals, createLogger, startProcess } from './entry.js';

const config = loadConfigOrExit();
const log = createLogger(config);
const started = await startProcess(config, { http: false, workers: true }, log).catch((err) => {
  log.fatal({ err }, 'worker failed to start');
  process.exit(1);
});
closeOnSignals(() => started.close(), log, config.shutdownGraceMs);
