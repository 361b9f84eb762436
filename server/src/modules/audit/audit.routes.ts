import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntry, AuditQuery } from '@trustline/shared';
import { z } from 'zod';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: { tags: ['audit'], summary: 'Browse the audit log, newest first', querystring: AuditQuery, response: { 200: z.array(AuditEntry) } },
    },
    async (req) => {
      const q = req.query;
      const rows = await app.services.audit.list({
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        actorId: q.actorId,
        action: q.action,
        entity: q.entity,
        entityId: q.entityId,
        limit: q.limit,
        beforeId: q.before ? BigInt(q.before) : undefined,
      });
      return rows.map((r) => ({ ...r, detail: (r.detail ?? null) as Record<string, unknown> | null }));
    },
  );
};
export default routes;
