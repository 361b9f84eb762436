import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  CreateUserBody,
  ResetPasswordBody,
  SessionInfo,
  StaffMember,
  UpdateUserBody,
  UserIdParams,
  UserSessionParams,
  UserSummary,
} from '@trustline/shared';
import { z } from 'zod';

const admin = { access: ['admin'] as const };

const routes: FastifyPluginAsyncZod = async (app) => {
  const { users, auth, audit } = app.services;

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
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Reset a password; ends the user’s sessions',
        params: UserIdParams,
        body: ResetPasswordBody,
        response: { 204: z.null(), 404: ApiError },
      },
    },
    async (req, reply) => {
      await users.resetPassword(req.params.id, req.body, req.actor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/users/:id/sessions',
    {
      config: admin,
      schema: { tags: ['users'], summary: 'A staff member’s sessions (audited)', params: UserIdParams, response: { 200: z.array(SessionInfo), 404: ApiError } },
    },
    async (req) => {
      await auth.security(req.params.id); // 404 for an unknown user
      const list = await auth.listSessions(req.params.id, req.session!.sessionId);
      await audit.record(req.actor, 'auth.session.list', { entity: 'User', entityId: req.params.id, detail: { sessions: list.length } });
      return list;
    },
  );

  app.post(
    '/api/users/:id/sessions/:sessionId/end',
    {
      config: admin,
      schema: { tags: ['users'], summary: 'End one session of a staff member', params: UserSessionParams, response: { 204: z.null(), 404: ApiError } },
    },
    async (req, reply) => {
      await auth.endSession(req.params.id, req.params.sessionId, req.actor);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/sessions/end-all',
    {
      config: admin,
      schema: { tags: ['users'], summary: 'Sign a staff member out everywhere', params: UserIdParams, response: { 204: z.null(), 404: ApiError } },
    },
    async (req, reply) => {
      await auth.security(req.params.id);
      await auth.endAllSessions(req.params.id, req.actor);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/totp/reset',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Clear a staff member’s two-factor set-up (lost device): they set it up again at the next sign-in',
        params: UserIdParams,
        response: { 204: z.null(), 404: ApiError },
      },
    },
    async (req, reply) => {
      await auth.resetTotp(req.params.id, req.actor);
      return reply.status(204).send(null);
    },
  );
};
export default routes;
