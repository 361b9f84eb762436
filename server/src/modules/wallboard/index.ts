// The wallboard: live figures of the queue, operators and alerts, kept in Redis from the other
// features' domain events, and supervisors' actions from it.
import { defineFeature } from '../feature.js';
import { wallboardHandlers, wallboardSchedules } from './wallboard.jobs.js';
import { wallboardRepository } from './wallboard.repository.js';
import routes from './wallboard.routes.js';
import { wallboardService, type WallboardService } from './wallboard.service.js';
import { wallboardCommands } from './wallboard.socket.js';
import { wallboardStore } from './wallboard.store.js';
import { wireWallboard } from './wallboard.wiring.js';

declare module '../../kernel.js' {
  interface Services {
    wallboard: WallboardService;
  }
}

export const wallboardFeature = defineFeature({
  name: 'wallboard',
  create: ({ redis, prisma, emitter, log, config }) => ({
    wallboard: wallboardService({
      store: wallboardStore(redis, config.redisPrefix),
      repo: wallboardRepository(prisma),
      emitter,
      log,
      settings: { timezone: config.timezone, ...config.wallboard },
    }),
  }),
  routes: [routes],
  commands: wallboardCommands,
  handlers: (services) => ({ live: wallboardHandlers(services) }),
  schedules: wallboardSchedules,
  wiring: wireWallboard,
});
