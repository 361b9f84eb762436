// A person's requests (152-FZ art. 14, 21): search what is held, export it, erase it. Admin only;
// docs/privacy.md. The number searched for is in the body of the search and nowhere after it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, DataRequestEraseBody, DataRequestEraseResult, DataRequestExportQuery, DataRequestSearchBody, DataRequestSummary } from '@trustline/shared';
import { z } from 'zod';

const admin = { access: ['admin'] as const };
const tags = ['data-requests'];
const errors = { 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

const routes: FastifyPluginAsyncZod = async (app) => {
  const svc = app.services.dataRequests;

  app.post(
    '/api/data-requests/search',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Find everything held about a person by phone number, contact or case; answers counts, ids and dates, and a handle for the export and erasure',
        body: DataRequestSearchBody,
        response: { 200: DataRequestSummary, ...errors },
      },
    },
    (req) => svc.search(req.body, req.actor),
  );

  app.get(
    '/api/data-requests/export',
    {
      config: admin,
      schema: {
        tags,
        summary: "The person's data as one file: JSON, or a printable HTML copy in the reader's language; audited",
        querystring: DataRequestExportQuery,
        response: { 200: z.string(), ...errors },
      },
    },
    async (req, reply) => {
      const { handle, format, lang } = req.query;
      const file = await svc.export(handle, format, lang, req.actor);
      return reply
        .type(file.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${file.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  app.post(
    '/api/data-requests/erase',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Anonymise everything found, in one transaction, with a destruction record (basis: request); refused while a case is open',
        body: DataRequestEraseBody,
        response: { 200: DataRequestEraseResult, ...errors },
      },
    },
    (req) => svc.erase(req.body, req.actor),
  );
};
export default routes;
