import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, LoginBody, Me, SetupBody, SetupStatus } from '@trustline/shared';
import { z } from 'zod';
import { clearSessionCookie, setSessionCookie } from '../../plugins/session.js';
import type { SessionUserRecord } from './auth.service.js';

const toSessionUser = (u: SessionUserRecord) => ({ ...u, locale: (u.locale as 'ru' | 'en' | null) ?? null });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { auth } = app.services;
  const { session } = app.config;

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: LoginBody, response: { 200: Me, 401: ApiError, 429: ApiError } },
    },
    async (req, reply) => {
      const result = await auth.login(req.body.username, req.body.password, req.actor);
      setSessionCookie(reply, result.sessionSecret, session.ttlMs, session.secureCookies);
      return { user: toSessionUser(result.user), csrfToken: reply.generateCsrf({ userInfo: result.sessionId }) };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } } },
    async (req, reply) => {
      const { sessionId } = req.session!;
      await auth.logout(sessionId, req.actor);
      app.services.sessions.endSession(sessionId);
      clearSessionCookie(reply, session.secureCookies);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The signed-in user and a CSRF token', response: { 200: Me } } },
    async (req, reply) => ({
      user: toSessionUser(req.session!.user),
      csrfToken: reply.generateCsrf({ userInfo: req.session!.sessionId }),
    }),
  );

  app.get(
    '/api/setup',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Whether the first administrator is still to be made', response: { 200: SetupStatus } } },
    async () => ({ needsSetup: await auth.needsSetup() }),
  );

  app.post(
    '/api/setup',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Create the first administrator with the one-time setup token', body: SetupBody, response: { 201: Me, 403: ApiError, 409: ApiError } },
    },
    async (req, reply) => {
      await auth.completeSetup(req.body, req.actor);
      const result = await auth.login(req.body.username, req.body.password, req.actor);
      setSessionCookie(reply, result.sessionSecret, session.ttlMs, session.secureCookies);
      return reply.status(201).send({ user: toSessionUser(result.user), csrfToken: reply.generateCsrf({ userInfo: result.sessionId }) });
    },
  );
};
export default routes;
