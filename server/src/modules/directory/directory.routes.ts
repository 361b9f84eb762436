import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  DirectoryIdParams,
  ExportQuery,
  ImportQuery,
  ImportReport,
  OrganizationView,
  RefusedImport,
  UnitView,
  UpdateCapacityBody,
  UpsertOrganizationBody,
  UpsertServiceBody,
} from '@trustline/shared';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import type { ImportSource } from './directory.service.js';

const managers = { access: ['coordinator', 'admin'] as const };
const readers = { access: ['operator', 'coordinator', 'supervisor', 'admin'] as const };
const Saved = z.object({ id: z.uuid() });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { directory } = app.services;
  // A zip upload arrives as raw bytes (this plugin's scope only).
  app.addContentTypeParser(['application/zip', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.get('/api/directory', { config: readers, schema: { tags: ['directory'], response: { 200: z.array(OrganizationView) } } }, () => directory.list());
  app.get('/api/directory/units', { config: readers, schema: { tags: ['directory'], response: { 200: z.array(UnitView) } } }, () => directory.units());

  app.post(
    '/api/directory/import',
    {
      config: managers,
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags: ['directory'],
        summary: 'Import HSDS: a zip of CSV tables + datapackage.json, a JSON datapackage with inline rows, or {files: {name: csv}}. All or nothing.',
        querystring: ImportQuery,
        response: { 200: ImportReport, 400: ApiError, 422: RefusedImport },
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      let source: ImportSource;
      if (Buffer.isBuffer(body)) source = { kind: 'zip', data: body };
      else if (body && typeof body === 'object' && 'files' in body && body.files && typeof body.files === 'object') {
        const files = Object.entries(body.files as Record<string, unknown>);
        if (files.some(([, v]) => typeof v !== 'string'))
          throw new DomainError('VALIDATION_FAILED', 'files: each value must be the file text', 400, [
            { path: 'files', message: 'each value must be the file text' },
          ]);
        source = { kind: 'files', files: new Map(files as [string, string][]) };
      } else if (body && typeof body === 'object' && 'resources' in body) source = { kind: 'datapackage', descriptor: body as Record<string, unknown> };
      else
        throw new DomainError('VALIDATION_FAILED', 'body: send a zip, a JSON datapackage (resources with data) or {files}', 400, [
          { path: 'body', message: 'not an HSDS package' },
        ]);
      const report = await directory.importPackage(source, { dryRun: req.query.dryRun ?? false }, req.actor);
      if (!report.errors.length) return reply.send(report);
      const first = report.errors.slice(0, 5).map((e) => `${e.file ?? e.table}${e.row ? ` row ${e.row}` : ''}${e.field ? `, ${e.field}` : ''}: ${e.problem}`);
      const more = report.errors.length > 5 ? ` (and ${report.errors.length - 5} more)` : '';
      return reply
        .status(422)
        .send({ code: 'HSDS_INVALID' as const, message: `nothing was imported; ${report.errors.length} problems: ${first.join('; ')}${more}`, ...report });
    },
  );

  app.get(
    '/api/directory/export',
    {
      config: managers,
      schema: { tags: ['directory'], summary: 'HSDS tabular form: zip (CSV + datapackage.json) or JSON datapackage', querystring: ExportQuery },
    },
    async (req, reply) => {
      const out = await directory.exportPackage(req.query.format, req.actor);
      if (Buffer.isBuffer(out)) {
        return reply.header('content-type', 'application/zip').header('content-disposition', 'attachment; filename="directory-hsds.zip"').send(out);
      }
      return reply.header('content-disposition', 'attachment; filename="datapackage.json"').send(out);
    },
  );

  app.post(
    '/api/directory/organizations',
    { config: managers, schema: { tags: ['directory'], body: UpsertOrganizationBody, response: { 200: Saved } } },
    (req) => directory.upsertOrganization(req.body, req.actor),
  );
  app.post(
    '/api/directory/services',
    { config: managers, schema: { tags: ['directory'], body: UpsertServiceBody, response: { 200: Saved, 400: ApiError } } },
    (req) => directory.upsertService(req.body, req.actor),
  );
  app.delete(
    '/api/directory/services/:id',
    { config: managers, schema: { tags: ['directory'], params: DirectoryIdParams, response: { 204: z.null(), 404: ApiError } } },
    async (req, reply) => {
      await directory.deleteService(req.params.id, req.actor);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/directory/services/:id/capacity',
    {
      config: managers,
      schema: {
        tags: ['directory'],
        params: DirectoryIdParams,
        body: UpdateCapacityBody,
        response: { 200: z.object({ id: z.uuid(), updated: z.string() }), 404: ApiError },
      },
    },
    (req) => directory.updateCapacity(req.params.id, req.body, req.actor),
  );
};
export default routes;
