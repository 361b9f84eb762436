// Reports: contacts, calls and dispatches over a period, as figures, charts and CSV.
import { defineFeature } from '../feature.js';
import { reportsRepository } from './reports.repository.js';
import routes from './reports.routes.js';
import { reportsService, type ReportsService } from './reports.service.js';

declare module '../../kernel.js' {
  interface Services {
    reports: ReportsService;
  }
}

export const reportsFeature = defineFeature({
  name: 'reports',
  create: ({ prisma, config }, { audit }) => ({
    reports: reportsService({ repo: reportsRepository(prisma), audit, timezone: config.timezone, serviceLevelMs: config.wallboard.serviceLevelMs }),
  }),
  routes: [routes],
});
