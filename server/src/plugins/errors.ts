// The one error handler. Domain errors map by their code's status; validation errors become a
// 400 naming each bad field; a store that does not answer is a 503 (store-errors.ts); anything
// else is a 500 whose details go to the log only.
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ApiError } from '@trustline/shared';
import { fromPrismaError } from '../db/prisma-errors.js';
import { DomainError } from '../errors.js';
import { fromStoreError, unavailableStore } from '../store-errors.js';

export default fp(
  async (app) => {
    app.setErrorHandler<FastifyError>((err, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const where = err.validationContext ?? 'body';
        const fields = err.validation.map((v) => ({
          path: `${where}${v.instancePath.replaceAll('/', '.')}`.replace(/\.$/, ''),
          message: v.message ?? 'is invalid',
        }));
        const body: ApiError = {
          code: 'VALIDATION_FAILED',
          message: fields.map((f) => `${f.path}: ${f.message}`).join('; '),
          fields,
        };
        return reply.status(400).send(body);
      }
      const fromDb = fromPrismaError(err);
      if (fromDb) {
        req.log.info({ prismaCode: (err as { code?: string }).code, route: req.routeOptions.url }, 'request refused by the database');
        err = fromDb as unknown as FastifyError;
      }
      const unavailable = fromStoreError(err);
      if (unavailable) {
        // Not a bug in the request: a store is down or saturated. 503 + Retry-After, cause in the log.
        req.log.error({ err, store: unavailableStore(err), route: req.routeOptions.url }, 'request refused: store unavailable');
        err = unavailable as unknown as FastifyError;
      }
      if (err instanceof DomainError) {
        if (err.headers) reply.headers(err.headers);
        const body: ApiError = { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) };
        return reply.status(err.status).send(body);
      }
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
      if (status < 500) {
        // Fastify's own 4xx (body too large, bad JSON, wrong content type, rate limited).
        return reply.status(status).send({ code: err.code ?? 'BAD_REQUEST', message: err.message } satisfies ApiError);
      }
      req.log.error({ err, route: req.routeOptions.url, userId: req.session?.user.id }, 'request failed');
      return reply.status(500).send({ code: 'INTERNAL', message: 'something went wrong; it has been logged' } satisfies ApiError);
    });

    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } satisfies ApiError),
    );
  },
  { name: 'errors' },
);
