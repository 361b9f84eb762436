// What the app, the worker and the migration step take from the features: their routes, socket
// commands, job handlers, schedules and seeders, gathered from the list in modules/index.ts.
import type { Seeder } from '../db/seeders.js';
import type { AllHandlers, RetiredSchedule, Schedule } from '../jobs/handlers.js';
import { QUEUE_NAMES } from '../jobs/queues.js';
import type { Services } from '../kernel.js';
import type { CommandDefinition } from '../realtime/commands.js';
import type { FeatureModule } from './feature.js';
import { features } from './index.js';

export const routePlugins = features.flatMap((f) => f.routes ?? []);

export const socketCommands = (services: Services, list: readonly FeatureModule[] = features): CommandDefinition[] =>
  list.flatMap((f) => f.commands?.(services) ?? []);

/** Every queue's handlers. A queue with no feature to handle it, or handled by two, stops the worker. */
export function jobHandlers(services: Services, list: readonly FeatureModule[] = features): AllHandlers {
  const all: Partial<Record<string, unknown>> = {};
  for (const f of list) {
    for (const [queue, handlers] of Object.entries(f.handlers?.(services) ?? {})) {
      if (all[queue]) throw new Error(`queue ${queue} is handled by two features (the second is ${f.name})`);
      all[queue] = handlers;
    }
  }
  const missing = QUEUE_NAMES.filter((q) => !all[q]);
  if (missing.length) throw new Error(`no feature handles the queues: ${missing.join(', ')}`);
  return all as AllHandlers;
}

export const schedules: Schedule[] = features.flatMap((f) => f.schedules ?? []);
/** Schedulers of earlier releases, removed at worker start. */
export const retiredSchedules: RetiredSchedule[] = features.flatMap((f) => f.retiredSchedules ?? []);
/** Idempotent reference-data seeders, run after migrations at start and on the test template. */
export const seeders: Seeder[] = features.flatMap((f) => f.seeders ?? []);
