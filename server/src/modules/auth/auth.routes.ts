import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  LoginBody,
  LoginResult,
  Me,
  SecurityStatus,
  SessionIdParams,
  SessionInfo,
  SetupBody,
  SetupStatus,
  TotpCodeBody,
  TotpConfirmed,
  TotpEnrolment,
} from '@trustline/shared';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { clearSessionCookie, setSessionCookie } from '../../plugins/session.js';
import type { LoginOutcome, SessionUserRecord } from './auth.service.js';
import { PENDING_TTL_MS } from './pending.js';

const toSessionUser = (u: SessionUserRecord) => ({ ...u, locale: (u.locale as 'ru' | 'en' | null) ?? null });

/** The half-done sign-in's cookie: only the second-step routes under /api/auth/login see it. */
export const PENDING_COOKIE = 'tl_pending';
const PENDING_PATH = '/api/auth/login';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { auth } = app.services;
  const { session } = app.config;

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie, or answers the second step due (a code, or setting up two-factor)',
        body: LoginBody,
        response: { 200: LoginResult, 401: ApiError, 429: ApiError },
      },
    },
    async (req, reply) => answerLogin(reply, await auth.login(req.body.username, req.body.password, req.actor)),
  );

  const pendingCookie = (reply: FastifyReply, secret: string | null) =>
    secret
      ? reply.setCookie(PENDING_COOKIE, secret, {
          path: PENDING_PATH,
          httpOnly: true,
          sameSite: 'strict',
          secure: session.secureCookies,
          maxAge: Math.floor(PENDING_TTL_MS / 1000),
        })
      : reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH, httpOnly: true, sameSite: 'strict', secure: session.secureCookies });

  function signedIn(reply: FastifyReply, result: Extract<LoginOutcome, { kind: 'session' }>) {
    setSessionCookie(reply, result.sessionSecret, session.ttlMs, session.secureCookies);
    pendingCookie(reply, null);
    return { user: toSessionUser(result.user), csrfToken: reply.generateCsrf({ userInfo: result.sessionId }) };
  }

  function answerLogin(reply: FastifyReply, result: LoginOutcome) {
    if (result.kind === 'session') return signedIn(reply, result);
    pendingCookie(reply, result.pendingSecret);
    return { next: result.next };
  }

  const secondStep = { access: 'public' as const, rateLimit: { max: 30, timeWindow: '1 minute' } };

  app.post(
    '/api/auth/login/totp',
    {
      config: secondStep,
      schema: {
        tags: ['auth'],
        summary: 'Second step of sign-in: the code from the authenticator app, or a recovery code',
        body: TotpCodeBody,
        response: { 200: Me, 401: ApiError, 410: ApiError, 429: ApiError },
      },
    },
    async (req, reply) => signedIn(reply, await auth.loginWithCode(req.cookies[PENDING_COOKIE], req.body.code, req.actor)),
  );

  app.post(
    '/api/auth/login/enrol',
    {
      config: secondStep,
      schema: {
        tags: ['auth'],
        summary: 'Sign-in of a role that requires two-factor, not yet set up: the secret and its QR code',
        body: z.object({}).strict().optional(),
        response: { 200: TotpEnrolment, 410: ApiError },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return auth.loginEnrolment(req.cookies[PENDING_COOKIE]);
    },
  );

  app.post(
    '/api/auth/login/enrol/confirm',
    {
      config: secondStep,
      schema: {
        tags: ['auth'],
        summary: 'Confirms the first code: two-factor on, recovery codes shown once, signed in',
        body: TotpCodeBody,
        response: { 200: TotpConfirmed, 401: ApiError, 409: ApiError, 410: ApiError, 429: ApiError },
      },
    },
    async (req, reply) => {
      const result = await auth.loginConfirmEnrolment(req.cookies[PENDING_COOKIE], req.body.code, req.actor);
      reply.header('cache-control', 'no-store');
      return { recoveryCodes: result.recoveryCodes, ...signedIn(reply, result) };
    },
  );

  app.get(
    '/api/auth/security',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Two-factor state and the idle time of the signed-in user', response: { 200: SecurityStatus } },
    },
    (req) => auth.security(req.session!.user.id),
  );

  app.post(
    '/api/auth/totp/enrol',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up two-factor sign-in: the secret and its QR code',
        body: z.object({}).strict().optional(),
        response: { 200: TotpEnrolment, 409: ApiError },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return auth.startEnrolment(req.session!.user.id);
    },
  );

  app.post(
    '/api/auth/totp/confirm',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the set-up with a code; answers the recovery codes once',
        body: TotpCodeBody,
        response: { 200: TotpConfirmed, 401: ApiError, 409: ApiError, 429: ApiError },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return auth.confirmEnrolment(req.session!.user.id, req.body.code, req.actor);
    },
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in off with a current code (not for roles that require it)',
        body: TotpCodeBody,
        response: { 204: z.null(), 401: ApiError, 409: ApiError, 429: ApiError },
      },
    },
    async (req, reply) => {
      await auth.disableTotp(req.session!.user.id, req.body.code, req.actor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/sessions',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The signed-in user’s sessions', response: { 200: z.array(SessionInfo) } } },
    (req) => auth.listSessions(req.session!.user.id, req.session!.sessionId),
  );

  app.post(
    '/api/auth/sessions/:sessionId/end',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'End one of your sessions', params: SessionIdParams, response: { 204: z.null(), 404: ApiError } },
    },
    async (req, reply) => {
      await auth.endSession(req.session!.user.id, req.params.sessionId, req.actor);
      if (req.params.sessionId === req.session!.sessionId) clearSessionCookie(reply, session.secureCookies);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Sign out everywhere: every session of yours ends, this one too', response: { 204: z.null() } },
    },
    async (req, reply) => {
      await auth.endAllSessions(req.session!.user.id, req.actor);
      clearSessionCookie(reply, session.secureCookies);
      return reply.status(204).send(null);
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
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Whether the first administrator is still to be made', response: { 200: SetupStatus } },
    },
    async () => ({ needsSetup: await auth.needsSetup() }),
  );

  app.post(
    '/api/setup',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Create the first administrator with the one-time setup token; then sign in (two-factor set-up is due when admins require it)',
        body: SetupBody,
        response: { 201: LoginResult, 403: ApiError, 409: ApiError },
      },
    },
    async (req, reply) => {
      await auth.completeSetup(req.body, req.actor);
      const result = await auth.login(req.body.username, req.body.password, req.actor);
      return reply.status(201).send(answerLogin(reply, result));
    },
  );
};
export default routes;
