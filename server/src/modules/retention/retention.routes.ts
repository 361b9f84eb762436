// Destruction records (admin): the list with filters, one record (the printable act), and
// "run retention now". See docs/privacy.md "Retention and destruction records".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  DestructionRecordPage,
  DestructionRecordParams,
  DestructionRecordQuery,
  DestructionRecordView,
  RetentionRunBody,
  RetentionRunResult,
} from '@trustline/shared';

const admin = { access: ['admin'] as const };
const errors = { 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

const routes: FastifyPluginAsyncZod = async (app) => {
  const retention = app.services.retention;

  app.get(
    '/api/privacy/destruction-records',
    {
      config: admin,
      schema: {
        tags: ['privacy'],
        summary: 'Destruction records, newest first, by date range and kind',
        querystring: DestructionRecordQuery,
        response: { 200: DestructionRecordPage, ...errors },
      },
    },
    (req) => retention.list(req.query),
  );

  app.get(
    '/api/privacy/destruction-records/:id',
    {
      config: admin,
      schema: {
        tags: ['privacy'],
        summary: 'One destruction record (the act)',
        params: DestructionRecordParams,
        response: { 200: DestructionRecordView, ...errors },
      },
    },
    (req) => retention.read(req.params.id),
  );

  app.post(
    '/api/privacy/retention/run',
    {
      config: admin,
      schema: {
        tags: ['privacy'],
        summary: 'Run retention now (all policies, or the kinds given); 409 while a run is under way',
        body: RetentionRunBody,
        response: { 200: RetentionRunResult, ...errors },
      },
    },
    (req) => retention.runNow(req.actor, req.body.kinds),
  );
};
export default routes;
