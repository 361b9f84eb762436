// The shape of every feature module: one object, exported from modules/<feature>/index.ts and
// listed once in modules/index.ts. The composition root (services.ts) calls `create` in list
// order, then every `wiring`; the app registers `routes` and `commands`, the worker runs
// `handlers` and upserts `schedules`, and the migration step runs `seeders`.
//
// A feature reaches another only through what that one provides in `Services` (its ports), or
// through domain events (domain-events.ts). It never imports another feature's files.
import type { FastifyPluginAsync } from 'fastify';
import type { Seeder } from '../db/seeders.js';
import type { QueueHandlers, RetiredSchedule, Schedule } from '../jobs/handlers.js';
import type { QueueName } from '../jobs/queues.js';
import type { Kernel, Services } from '../kernel.js';
import type { CommandDefinition } from '../realtime/commands.js';

/** The jobs a feature runs, by queue and job name. A queue may be shared by features (the 'telephony'
 * queue predates operators and conversations); each job name has exactly one handler. */
export type FeatureHandlers = { [Q in QueueName]?: Partial<QueueHandlers<Q>> };

export interface FeatureModule<P extends Partial<Services> = Partial<Services>> {
  name: string;
  /** Builds what the feature provides. `services` holds what the features listed before it provide. */
  create?: (kernel: Kernel, services: Services) => P;
  /** Fastify route plugins (each route declares its access). */
  routes?: FastifyPluginAsync[];
  /** Socket commands (each declares its access). */
  commands?: (services: Services) => CommandDefinition[];
  handlers?: (services: Services) => FeatureHandlers;
  schedules?: Schedule[];
  retiredSchedules?: RetiredSchedule[];
  /** Idempotent reference data, run after the migrations. */
  seeders?: Seeder[];
  /** Listens to other features' domain events and connects ports, once every feature exists. */
  wiring?: (services: Services) => void;
}

/** Keeps the provided type exact (the object's `create` return is checked against Services). */
export const defineFeature = <P extends Partial<Services>>(feature: FeatureModule<P>): FeatureModule<P> => feature;
