import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, AuditCsvQuery, AuditEntry, AuditQuery } from '@trustline/shared';
import { z } from 'zod';
import type { AuditFilter } from './audit.repository.js';

const readers = { access: ['supervisor', 'admin'] as const };

const filter = (q: Omit<AuditQuery, 'limit' | 'before'>): AuditFilter => ({
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  actorId: q.actorId,
  action: q.action,
  group: q.group,
  entity: q.entity,
  entityId: q.entityId,
  q: q.q,
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      config: readers,
      schema: {
        tags: ['audit'],
        summary: 'Browse the audit log, newest first, with readable names',
        querystring: AuditQuery,
        response: { 200: z.array(AuditEntry), 400: ApiError },
      },
    },
    async (req) => {
      const { limit, before, ...rest } = req.query;
      return app.services.audit.list({ ...filter(rest), limit, beforeId: before ? BigInt(before) : undefined });
    },
  );

  app.get(
    '/api/audit/export.csv',
    {
      config: readers,
      schema: {
        tags: ['audit'],
        summary: 'The filtered audit log as CSV (UTF-8 with BOM); the export is audited',
        querystring: AuditCsvQuery,
        response: { 200: z.string(), 400: ApiError },
      },
    },
    async (req, reply) => {
      const { lang, ...rest } = req.query;
      const { filename, body } = await app.services.audit.csv(filter(rest), lang, app.config.timezone, req.actor);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
    },
  );
};
export default routes;
