// `npm run worker`: the BullMQ workers in their own process (same modules as the server).
import { loadConfigOrExit } from './config.js';
import { closeOnSignals, createLogger, exitAfterFailedStart, startProcess } from './entry.js';

const config = loadConfigOrExit();
const log = createLogger(config);
// Signals are handled from the first moment (see server.ts).
const starting = startProcess(config, { http: false, workers: true }, log);
closeOnSignals(async () => (await starting).close(), log, config.shutdownGraceMs);
await starting.catch((err) => exitAfterFailedStart(err, log, 'worker failed to start'));
