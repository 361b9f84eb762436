// The audit log: every feature records through `audit`; staff read it at /api/audit.
import { defineFeature } from '../feature.js';
import { auditRepository } from './audit.repository.js';
import routes from './audit.routes.js';
import { auditService, type AuditService } from './audit.service.js';

declare module '../../kernel.js' {
  interface Services {
    audit: AuditService;
  }
}

export const auditFeature = defineFeature({
  name: 'audit',
  create: (k) => ({ audit: auditService(auditRepository(k.prisma)) }),
  routes: [routes],
});
