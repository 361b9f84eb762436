// Retention of every kind of personal data, and the destruction records.
import { defineFeature } from '../feature.js';
import { retentionHandlers, retentionRetiredSchedules, retentionSchedules } from './retention.jobs.js';
import { retentionRepository } from './retention.repository.js';
import routes from './retention.routes.js';
import { redisRunLock, retentionService, type RetentionService } from './retention.service.js';

declare module '../../kernel.js' {
  interface Services {
    retention: RetentionService;
  }
}

export const retentionFeature = defineFeature({
  name: 'retention',
  create: ({ prisma, transaction, redis, config }, { audit }) => ({
    retention: retentionService({
      repo: retentionRepository(prisma),
      transaction,
      audit,
      lock: redisRunLock(redis, `${config.redisPrefix}:retention:lock`),
      periods: config.retention,
    }),
  }),
  routes: [routes],
  handlers: (services) => ({ retention: retentionHandlers(services) }),
  schedules: retentionSchedules,
  retiredSchedules: retentionRetiredSchedules,
});
