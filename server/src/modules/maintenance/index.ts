// Housekeeping jobs every deployment runs (sessions, presence, failed jobs, the outbox).
import { defineFeature } from '../feature.js';
import { maintenanceHandlers, maintenanceSchedules, outboxHandlers, outboxSchedules } from './maintenance.jobs.js';

export const maintenanceFeature = defineFeature({
  name: 'maintenance',
  handlers: (services) => ({ maintenance: maintenanceHandlers(services), outbox: outboxHandlers(services) }),
  schedules: [...maintenanceSchedules, ...outboxSchedules],
});
