// What the app, the worker and the migration step take from the features: their routes, socket
// commands, job handlers, schedules and seeders, gathered from the list in modules/index.ts.
import type { Seeder } from '../db/seeders.js';
import type { AllHandlers, RetiredSchedule, Schedule } from '../jobs/handlers.js';
import { JOB_NAMES, QUEUE_NAMES } from '../jobs/queues.js';
import type { Services } from '../kernel.js';
import type { CommandDefinition } from '../realtime/commands.js';
import { features } from './index.js';

export const routePlugins = features.flatMap((f) => f.routes ?? []);

export const socketCommands = (services: Services): CommandDefinition[] => features.flatMap((f) => f.commands?.(services) ?? []);

/** Every queue's handlers, merged by job name. A job name no feature handles, or one two features
 * handle, stops the worker at start. */
export function jobHandlers(services: Services): AllHandlers {
  const all: Record<string, Record<string, unknown>> = {};
  for (const f of features) {
    for (const [queue, handlers] of Object.entries(f.handlers?.(services) ?? {})) {
      all[queue] ??= {};
      for (const [name, handler] of Object.entries(handlers ?? {})) {
        if (all[queue][name]) throw new Error(`job ${queue}/${name} is handled by two features (the second is ${f.name})`);
        all[queue][name] = handler;
      }
    }
  }
  const missing = QUEUE_NAMES.flatMap((q) =>
    Object.keys(JOB_NAMES[q])
      .filter((name) => !all[q]?.[name])
      .map((name) => `${q}/${name}`),
  );
  if (missing.length) throw new Error(`no feature handles the jobs: ${missing.join(', ')}`);
  return all as AllHandlers;
}

export const schedules: Schedule[] = features.flatMap((f) => f.schedules ?? []);
/** Schedulers of earlier releases, removed at worker start. */
export const retiredSchedules: RetiredSchedule[] = features.flatMap((f) => f.retiredSchedules ?? []);
/** Idempotent reference-data seeders, run after migrations at start and on the test template. */
export const seeders: Seeder[] = features.flatMap((f) => f.seeders ?? []);
