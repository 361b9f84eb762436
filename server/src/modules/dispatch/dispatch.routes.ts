import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  BoardQuery,
  ContactIdParams,
  CreateDispatchBody,
  DispatchCard,
  DispatchDetail,
  DispatchIdParams,
  DispatchStep,
  NoteBody,
  OfferToBody,
  RankedProvider,
  ReasonBody,
  SuggestQuery,
} from '@trustline/shared';
import { z } from 'zod';

const tags = ['dispatch'];
const starters = { access: ['operator', 'coordinator', 'supervisor', 'admin'] as const };
const coordinators = { access: ['coordinator', 'supervisor', 'admin'] as const };
const Created = z.object({ id: z.uuid(), number: z.number().int() });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { dispatch } = app.services;

  app.post(
    '/api/dispatches',
    {
      config: starters,
      schema: {
        tags,
        summary: 'Request urgent help (from a contact or a referral); offers it to the best provider',
        body: CreateDispatchBody,
        response: { 201: Created, 400: ApiError },
      },
    },
    async (req, reply) => reply.status(201).send(await dispatch.create(req.body, req.actor)),
  );
  app.get('/api/dispatches/board', { config: coordinators, schema: { tags, querystring: BoardQuery, response: { 200: z.array(DispatchCard) } } }, (req) =>
    dispatch.board(req.query),
  );
  app.get(
    '/api/dispatches/suggest',
    { config: starters, schema: { tags, summary: 'Ranked providers, with reasons', querystring: SuggestQuery, response: { 200: z.array(RankedProvider) } } },
    (req) => dispatch.suggest(req.query),
  );
  app.get(
    '/api/dispatches/by-contact/:contactId',
    { config: starters, schema: { tags, params: ContactIdParams, response: { 200: z.array(DispatchCard.extend({ steps: z.array(DispatchStep) })) } } },
    (req) => dispatch.byContact(req.params.contactId),
  );
  app.get('/api/dispatches/:id', { config: starters, schema: { tags, params: DispatchIdParams, response: { 200: DispatchDetail, 404: ApiError } } }, (req) =>
    dispatch.detail(req.params.id, req.actor),
  );
  app.get(
    '/api/dispatches/:id/suggest',
    { config: coordinators, schema: { tags, params: DispatchIdParams, response: { 200: z.array(RankedProvider), 404: ApiError } } },
    (req) => dispatch.suggestFor(req.params.id),
  );

  const done = { 204: z.null(), 404: ApiError, 409: ApiError };
  app.post(
    '/api/dispatches/:id/offer',
    {
      config: coordinators,
      schema: { tags, summary: 'Offer to a chosen provider (reassigns an accepted dispatch)', params: DispatchIdParams, body: OfferToBody, response: done },
    },
    async (req, reply) => {
      await dispatch.offerTo(req.params.id, req.body.serviceId, req.body.note, req.actor);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/dispatches/:id/cancel',
    { config: coordinators, schema: { tags, params: DispatchIdParams, body: ReasonBody, response: done } },
    async (req, reply) => {
      await dispatch.cancel(req.params.id, req.body.reason, req.actor);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/dispatches/:id/fail',
    { config: coordinators, schema: { tags, params: DispatchIdParams, body: ReasonBody, response: done } },
    async (req, reply) => {
      await dispatch.fail(req.params.id, req.body.reason, req.actor);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/dispatches/:id/delivered',
    { config: coordinators, schema: { tags, summary: 'Mark delivered on the provider’s behalf', params: DispatchIdParams, body: NoteBody, response: done } },
    async (req, reply) => {
      await dispatch.markDelivered(req.params.id, req.body.note, req.actor);
      return reply.status(204).send(null);
    },
  );
};
export default routes;
