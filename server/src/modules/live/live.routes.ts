import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, BroadcastBody, SupervisorMessage, WallboardSnapshot } from '@trustline/shared';
import { z } from 'zod';
import { WALLBOARD_ACTORS, WALLBOARD_VIEWERS } from './live.access.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { live, wallboardActions } = app.services;

  app.get(
    '/api/wallboard',
    { config: { access: WALLBOARD_VIEWERS }, schema: { tags: ['wallboard'], summary: 'Live figures now (the socket sends what changes)', response: { 200: WallboardSnapshot } } },
    () => live.snapshot(),
  );

  app.post(
    '/api/wallboard/reconcile',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: { tags: ['wallboard'], summary: 'Recompute the live figures from the database', body: z.object({}).optional(), response: { 200: z.object({ drifted: z.boolean() }) } },
    },
    () => live.reconcile(),
  );

  app.post(
    '/api/wallboard/messages',
    { config: { access: WALLBOARD_ACTORS }, schema: { tags: ['wallboard'], summary: 'Send a short message to every operator on shift', body: BroadcastBody, response: { 201: SupervisorMessage, 400: ApiError } } },
    async (req, reply) => reply.status(201).send(await wallboardActions.broadcast(req.body, req.actor)),
  );
};
export default routes;
