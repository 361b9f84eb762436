// Privacy HTTP API: consents of a contact or a case, and the breach register (admin only).
// Consent routes admit every role that may see some subject; the service checks the subject's
// own access (docs/privacy.md).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  ApiError,
  BreachNoticeBody,
  BreachParams,
  BreachView,
  ConsentParams,
  ConsentSubjectQuery,
  ConsentView,
  CreateBreachBody,
  RecordConsentBody,
  UpdateBreachBody,
  WithdrawConsentBody,
} from '@trustline/shared';
import { z } from 'zod';
import type { PrivacyActor } from './consents.service.js';

const consentRoles = { access: ['operator', 'supervisor', 'curator'] as const };
const admin = { access: ['admin'] as const };
const errors = { 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const who = (req: FastifyRequest): PrivacyActor => ({ ...req.actor, roles: req.session?.user.roles ?? [] });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { consents, breaches } = app.services.privacy;

  app.get(
    '/api/privacy/consents',
    {
      config: consentRoles,
      schema: {
        tags: ['privacy'],
        summary: 'Consents of a contact or a case, newest first, withdrawn ones kept',
        querystring: ConsentSubjectQuery,
        response: { 200: z.array(ConsentView), ...errors },
      },
    },
    (req) => consents.list(req.query.contactId ? { contactId: req.query.contactId } : { caseId: req.query.caseId }, who(req)),
  );

  app.post(
    '/api/privacy/consents',
    {
      config: consentRoles,
      schema: { tags: ['privacy'], summary: 'Record a consent for one purpose', body: RecordConsentBody, response: { 201: ConsentView, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await consents.record(req.body, who(req))),
  );

  app.post(
    '/api/privacy/consents/:id/withdraw',
    {
      config: consentRoles,
      schema: {
        tags: ['privacy'],
        summary: 'Withdraw a consent (the record stays, with who, when and how)',
        params: ConsentParams,
        body: WithdrawConsentBody,
        response: { 200: ConsentView, ...errors },
      },
    },
    (req) => consents.withdraw(req.params.id, req.body, who(req)),
  );

  app.get(
    '/api/privacy/breaches',
    {
      config: admin,
      schema: { tags: ['privacy'], summary: 'The breach register, latest discovery first, with both notice deadlines', response: { 200: z.array(BreachView) } },
    },
    (req) => breaches.list(req.actor),
  );

  app.post(
    '/api/privacy/breaches',
    {
      config: admin,
      schema: { tags: ['privacy'], summary: 'Record a suspected personal-data breach', body: CreateBreachBody, response: { 201: BreachView, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await breaches.create(req.body, req.actor)),
  );

  app.get(
    '/api/privacy/breaches/:id',
    {
      config: admin,
      schema: { tags: ['privacy'], params: BreachParams, response: { 200: BreachView, ...errors } },
    },
    (req) => breaches.read(req.params.id, req.actor),
  );

  app.patch(
    '/api/privacy/breaches/:id',
    {
      config: admin,
      schema: {
        tags: ['privacy'],
        summary: 'Update what is known, the measures, or close the investigation',
        params: BreachParams,
        body: UpdateBreachBody,
        response: { 200: BreachView, ...errors },
      },
    },
    (req) => breaches.update(req.params.id, req.body, req.actor),
  );

  app.post(
    '/api/privacy/breaches/:id/notices',
    {
      config: admin,
      schema: {
        tags: ['privacy'],
        summary: 'Record a notice sent (24 h initial or 72 h results)',
        params: BreachParams,
        body: BreachNoticeBody,
        response: { 201: BreachView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await breaches.addNotice(req.params.id, req.body, req.actor)),
  );
};
export default routes;
