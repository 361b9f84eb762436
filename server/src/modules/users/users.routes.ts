import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, CreateUserBody, ResetPasswordBody, StaffMember, UpdateUserBody, UserIdParams, UserSummary } from '@trustline/shared';
import { z } from 'zod';

const admin = { access: ['admin'] as const };

const routes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;

  app.get('/api/users', { config: admin, schema: { tags: ['users'], response: { 200: z.array(UserSummary) } } }, () => users.list());

  app.get(
    '/api/users/directory',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['users'], summary: 'Active colleagues: id, display name and roles', response: { 200: z.array(StaffMember) } },
    },
    () => users.directory(),
  );

  app.post(
    '/api/users',
    { config: admin, schema: { tags: ['users'], body: CreateUserBody, response: { 201: UserSummary, 409: ApiError } } },
    async (req, reply) => reply.status(201).send(await users.create(req.body, req.actor)),
  );

  app.patch(
    '/api/users/:id',
    { config: admin, schema: { tags: ['users'], params: UserIdParams, body: UpdateUserBody, response: { 200: UserSummary, 404: ApiError, 409: ApiError } } },
    (req) => users.update(req.params.id, req.body, req.actor),
  );

  app.post(
    '/api/users/:id/password',
    { config: admin, schema: { tags: ['users'], summary: 'Reset a password; ends the user’s sessions', params: UserIdParams, body: ResetPasswordBody, response: { 204: z.null(), 404: ApiError } } },
    async (req, reply) => {
      await users.resetPassword(req.params.id, req.body, req.actor);
      return reply.status(204).send(null);
    },
  );
};
export default routes;
