// What every entry point shares: the logger, the runtime, the HTTP server with socket.io,
// graceful shutdown on SIGTERM/SIGINT, and the first-start setup link.
import pino, { type Logger } from 'pino';
import { buildApp } from './app.js';
import { createRuntime, type Runtime } from './bootstrap.js';
import type { Config } from './config.js';
import { DatabaseInUseError } from './db/database.js';
import { loggerOptions } from './logger.js';
import { startWorkers, type WorkerRunner } from './worker-runner.js';

export const createLogger = (config: Config): Logger => pino(loggerOptions(config));

export interface Started {
  close(): Promise<void>;
  url?: string;
}

export async function startProcess(config: Config, parts: { http: boolean; workers: boolean }, log: Logger): Promise<Started> {
  const runtime: Runtime = await createRuntime(config, log);
  const { services } = runtime;
  let workers: WorkerRunner | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let url: string | undefined;

  // Warm this process's copy of the lines, so that the store-down fallback knows each line's
  // fallback number from the first call (a process that starts while the database is down
  // reads them as soon as it answers).
  await services.lines.refresh().catch((err) => log.warn({ err }, 'lines not loaded at start; read again when first needed'));
  if (parts.workers) workers = await startWorkers(services, log);
  if (parts.http) {
    app = await buildApp({ services });
    const address = await app.listen({ port: config.port, host: config.host });
    url = config.publicUrl;
    log.info({ listenUrl: address }, 'listening');
    const token = await services.auth.issueSetupToken();
    // Printed, not logged: the token is a credential and belongs on this terminal only.
    process.stdout.write(`\n  Trust line console: ${config.publicUrl}\n`);
    if (token) {
      process.stdout.write(`\n  No users yet. Create the first administrator here (one-time link):\n  ${config.publicUrl}/#/setup?token=${token}\n\n`);
    }
  }

  return {
    url,
    async close() {
      // Stop taking connections and finish in-flight requests, then finish the jobs in flight,
      // then close the queues, Redis and the database.
      if (app) await app.close();
      if (workers) await workers.close();
      await runtime.close();
    },
  };
}

/** Exits 1 after a failed start. A refusal the person can act on (the embedded database is held by
 * another process) is printed as a sentence that says what to do, not as a stack. */
export function exitAfterFailedStart(err: unknown, log: Logger, msg: string): never {
  if (err instanceof DatabaseInUseError) {
    log.fatal({ code: err.code, holderPid: err.holder.pid }, msg);
    process.stderr.write(`${err.message}\n`);
  } else {
    log.fatal({ err }, msg);
  }
  process.exit(1);
}

/** Runs `close` once on SIGTERM or SIGINT, with a deadline, then exits. */
export function closeOnSignals(close: () => Promise<void>, log: Logger, graceMs: number) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
