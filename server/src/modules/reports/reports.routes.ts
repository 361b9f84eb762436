import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, Report, ReportCsvParams, ReportCsvQuery, ReportQuery } from '@trustline/shared';
import { z } from 'zod';

const readers = { access: ['supervisor', 'admin'] as const };

const routes: FastifyPluginAsyncZod = async (app) => {
  const { reports } = app.services;

  app.get(
    '/api/reports',
    {
      config: readers,
      schema: {
        tags: ['reports'],
        summary: 'Contacts, calls, dispatches and cases for a period',
        querystring: ReportQuery,
        response: { 200: Report, 400: ApiError },
      },
    },
    (req) => reports.report(req.query, req.actor),
  );

  app.get(
    '/api/reports/:table.csv',
    {
      config: readers,
      schema: {
        tags: ['reports'],
        summary: 'One report table as CSV (UTF-8 with BOM)',
        params: ReportCsvParams,
        querystring: ReportCsvQuery,
        response: { 200: z.string(), 400: ApiError, 404: ApiError },
      },
    },
    async (req, reply) => {
      const { filename, body } = await reports.csv(req.params.table, req.query, req.actor);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
    },
  );
};
export default routes;
