// `npm run server`: the HTTP API, Twilio webhooks, socket.io and the console, without workers.
import { loadConfigOrExit } from './config.js';
import { closeOnSignals, createLogger, exitAfterFailedStart, startProcess } from './entry.js';

const config = loadConfigOrExit();
const log = createLogger(config);
// Signals are handled from the first moment: one that arrives while starting (migrations can take
// a while) lets start-up finish and then closes everything, rather than killing the process.
const starting = startProcess(config, { http: true, workers: false }, log);
closeOnSignals(async () => (await starting).close(), log, config.shutdownGraceMs);
await starting.catch((err) => exitAfterFailedStart(err, log, 'server failed to start'));
