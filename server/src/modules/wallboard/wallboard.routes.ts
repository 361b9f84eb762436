import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  AckAlertBody,
  ApiError,
  AssignWaitingBody,
  BroadcastBody,
  CreateKioskTokenBody,
  KioskToken,
  Me,
  SetOperatorStateBody,
  SupervisorMessage,
  WallboardSnapshot,
  type Role,
} from '@trustline/shared';
import { z } from 'zod';
import { WALLBOARD_ACTORS, WALLBOARD_VIEWERS } from './wallboard.access.js';
import { setSessionCookie } from '../../plugins/session.js';
import { kioskRepository } from './kiosk.repository.js';
import { kioskService } from './kiosk.service.js';
import { supervisorActions, type SupervisorActor } from './wallboard.actions.js';

const supervisor = (req: FastifyRequest): SupervisorActor => ({ ...req.actor, userId: req.session!.user.id, roles: req.session!.user.roles as Role[] });
const actors = { access: WALLBOARD_ACTORS };

const routes: FastifyPluginAsyncZod = async (app) => {
  const { wallboard: live } = app.services;
  const actions = supervisorActions(app.services);
  const { config } = app;
  const kiosks = kioskService({
    repo: kioskRepository(app.services.infra.db.prisma),
    users: app.services.users,
    audit: app.services.audit,
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    sessionTtlMs: config.session.ttlMs,
  });
  const admin = { access: ['admin'] as const };

  app.post(
    '/api/wallboard/kiosk/sign-in',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['wallboard'],
        summary: 'Sign a wall screen in with its kiosk link token',
        body: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: Me, 401: ApiError },
      },
    },
    async (req, reply) => {
      const { sessionSecret, sessionId, user } = await kiosks.signIn(req.body.token, req.actor);
      setSessionCookie(reply, sessionSecret, config.session.ttlMs, config.session.secureCookies);
      return { user: { ...user, locale: (user.locale as 'ru' | 'en' | null) ?? null }, csrfToken: reply.generateCsrf({ userInfo: sessionId }) };
    },
  );

  app.get(
    '/api/wallboard/kiosks',
    { config: admin, schema: { tags: ['wallboard'], summary: 'Wall-screen links', response: { 200: z.array(KioskToken) } } },
    () => kiosks.list(),
  );

  app.post(
    '/api/wallboard/kiosks',
    {
      config: admin,
      schema: {
        tags: ['wallboard'],
        summary: 'Create a wall-screen link',
        body: CreateKioskTokenBody,
        response: { 201: z.object({ id: z.string(), label: z.string(), url: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await kiosks.create(req.body.label, req.actor)),
  );

  app.post(
    '/api/wallboard/kiosks/:id/revoke',
    {
      config: admin,
      schema: {
        tags: ['wallboard'],
        summary: 'Revoke a wall-screen link (ends its sessions)',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), 404: ApiError },
      },
    },
    async (req, reply) => {
      await kiosks.revoke(req.params.id, req.actor);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/wallboard',
    {
      config: { access: WALLBOARD_VIEWERS },
      schema: { tags: ['wallboard'], summary: 'Live figures now (the socket sends what changes)', response: { 200: WallboardSnapshot } },
    },
    () => live.snapshot(),
  );

  app.post(
    '/api/wallboard/reconcile',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['wallboard'],
        summary: 'Recompute the live figures from the database',
        body: z.object({}).optional(),
        response: { 200: z.object({ drifted: z.boolean() }) },
      },
    },
    () => live.reconcile(),
  );

  app.post(
    '/api/wallboard/assign',
    {
      config: actors,
      schema: {
        tags: ['wallboard'],
        summary: 'Give a waiting call or SMS conversation to an operator',
        body: AssignWaitingBody,
        response: {
          200: z.object({ callId: z.string().nullable(), conversationId: z.string().nullable(), operatorId: z.string() }),
          404: ApiError,
          409: ApiError,
        },
      },
    },
    (req) => actions.assign(req.body, supervisor(req)),
  );

  app.post(
    '/api/wallboard/operator-state',
    {
      config: actors,
      schema: {
        tags: ['wallboard'],
        summary: "Change an operator's state, with a reason",
        body: SetOperatorStateBody,
        response: { 200: z.object({ userId: z.string(), state: z.string(), since: z.string(), reason: z.string().nullable() }), 409: ApiError },
      },
    },
    (req) => actions.setOperatorState(req.body, supervisor(req)),
  );

  app.post(
    '/api/wallboard/alerts/ack',
    {
      config: actors,
      schema: {
        tags: ['wallboard'],
        summary: 'Acknowledge an R3/R4 contact alert',
        body: AckAlertBody,
        response: { 200: z.object({ acknowledged: z.boolean() }), 403: ApiError, 404: ApiError },
      },
    },
    (req) => actions.acknowledge(req.body.contactId, supervisor(req)),
  );

  app.post(
    '/api/wallboard/messages',
    {
      config: actors,
      schema: {
        tags: ['wallboard'],
        summary: 'Send a short message to every operator on shift',
        body: BroadcastBody,
        response: { 201: SupervisorMessage, 400: ApiError },
      },
    },
    async (req, reply) => reply.status(201).send(await actions.broadcast(req.body, req.actor)),
  );
};
export default routes;
