// Contacts HTTP API. Each route declares the roles the permission matrix gives any scope; the
// service checks the scope (own / all) against the contact.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  AreaBody,
  AreaView,
  CallerFlagBody,
  CategoryBody,
  CategoryView,
  ContactConflict,
  ContactEventView,
  ContactHistory,
  ContactParams,
  ContactSearchQuery,
  ContactSearchResult,
  ContactView,
  HighRiskItem,
  PatchContactBody,
  ContactReasonBody,
  StartOfflineContactBody,
  UpdateAreaBody,
  UpdateCategoryBody,
  VersionBody,
  rolesFor,
  type ContactAction,
  type Role,
} from '@trustline/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ContactVersionConflict, type StaffActor } from './contacts.service.js';

const access = (action: ContactAction) => ({ access: rolesFor(action) });
const tags = ['contacts'];
const staff = (req: FastifyRequest): StaffActor => ({ ...req.actor, userId: req.session!.user.id, roles: req.session!.user.roles as Role[] });
const FlagView = z.object({ id: z.uuid(), kind: z.string(), reason: z.string(), expiresAt: z.iso.datetime() });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { contacts, contactsSearch, contactsConfig } = app.services;

  app.post(
    '/api/contacts',
    {
      config: access('contact.start-offline'),
      schema: {
        tags,
        summary: 'Start an offline contact (walk-in or referral): a draft at once',
        body: StartOfflineContactBody,
        response: { 201: ContactView },
      },
    },
    async (req, reply) => reply.status(201).send(await contacts.startOffline(req.body, staff(req))),
  );

  app.get(
    '/api/contacts',
    {
      config: access('contact.search'),
      schema: {
        tags,
        summary: 'Search contacts (filters and Russian/English full text)',
        querystring: ContactSearchQuery,
        response: { 200: ContactSearchResult },
      },
    },
    (req) => contactsSearch.search(req.query, staff(req)),
  );

  app.get(
    '/api/contacts/high-risk',
    {
      config: access('contact.high-risk-list'),
      schema: { tags, summary: 'Open R3/R4 contacts with their alert state', response: { 200: z.array(HighRiskItem) } },
    },
    (req) => contacts.highRisk(staff(req)),
  );

  app.get(
    '/api/contacts/:id',
    {
      config: { access: [...new Set([...rolesFor('contact.read-full'), ...rolesFor('contact.read-dispatch'), ...rolesFor('contact.read-summary')])] },
      schema: { tags, params: ContactParams, response: { 200: ContactView, 403: ApiError, 404: ApiError } },
    },
    (req) => contacts.get(req.params.id, staff(req)),
  );

  app.patch(
    '/api/contacts/:id',
    {
      config: access('contact.edit'),
      schema: {
        tags,
        summary: 'Autosave: send the version you edited',
        params: ContactParams,
        body: PatchContactBody,
        response: { 200: ContactView, 409: z.union([ContactConflict, ApiError]) },
      },
    },
    async (req, reply) => {
      try {
        return await contacts.patch(req.params.id, req.body, staff(req));
      } catch (err) {
        if (err instanceof ContactVersionConflict)
          return reply.status(409).send({ code: 'CONTACT_VERSION_CONFLICT', message: err.message, current: err.current });
        throw err;
      }
    },
  );

  app.post(
    '/api/contacts/:id/finalise',
    {
      config: access('contact.finalise'),
      schema: { tags, params: ContactParams, body: VersionBody, response: { 200: ContactView, 409: z.union([ContactConflict, ApiError]), 422: ApiError } },
    },
    async (req, reply) => {
      try {
        return await contacts.finalise(req.params.id, req.body.version, staff(req));
      } catch (err) {
        if (err instanceof ContactVersionConflict)
          return reply.status(409).send({ code: 'CONTACT_VERSION_CONFLICT', message: err.message, current: err.current });
        throw err;
      }
    },
  );

  app.post(
    '/api/contacts/:id/reopen',
    {
      config: access('contact.reopen'),
      schema: { tags, params: ContactParams, body: ContactReasonBody, response: { 200: ContactView } },
    },
    (req) => contacts.reopen(req.params.id, req.body.reason, staff(req)),
  );

  app.post(
    '/api/contacts/:id/r4-sign-off',
    {
      config: access('contact.sign-off-r4'),
      schema: { tags, params: ContactParams, body: ContactReasonBody, response: { 200: ContactView } },
    },
    (req) => contacts.signOffR4(req.params.id, req.body.reason, staff(req)),
  );

  app.post(
    '/api/contacts/:id/alert/ack',
    {
      config: access('contact.ack-alert'),
      schema: { tags, params: ContactParams, response: { 200: z.object({ acknowledged: z.boolean() }) } },
    },
    (req) => contacts.acknowledgeAlert(req.params.id, staff(req)),
  );

  app.post(
    '/api/contacts/:id/follow-up/done',
    {
      config: access('contact.follow-up-done'),
      schema: { tags, params: ContactParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await contacts.followUpDone(req.params.id, staff(req));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/contacts/:id/history',
    {
      config: access('contact.history'),
      schema: { tags, summary: 'Earlier contacts from the same number, anonymised', params: ContactParams, response: { 200: ContactHistory } },
    },
    (req) => contacts.history(req.params.id, staff(req)),
  );

  app.get(
    '/api/contacts/:id/events',
    {
      config: access('contact.timeline-read'),
      schema: { tags, params: ContactParams, response: { 200: z.array(ContactEventView) } },
    },
    (req) => contacts.timeline(req.params.id, staff(req)),
  );

  app.post(
    '/api/contacts/:id/caller-flags',
    {
      config: access('caller.flag'),
      schema: { tags, params: ContactParams, body: CallerFlagBody, response: { 201: FlagView } },
    },
    async (req, reply) => reply.status(201).send(await contacts.flagCaller(req.params.id, req.body, staff(req))),
  );

  // Configuration: taxonomy and districts/settlements.
  const cfgTags = ['contacts-config'];
  const IdParams = z.object({ id: z.uuid('id must be a UUID') });
  app.get('/api/contact-categories', { config: access('config.read'), schema: { tags: cfgTags, response: { 200: z.array(CategoryView) } } }, () =>
    contactsConfig.categories(),
  );
  app.post(
    '/api/contact-categories',
    { config: access('config.manage'), schema: { tags: cfgTags, body: CategoryBody, response: { 201: CategoryView } } },
    async (req, reply) => reply.status(201).send(await contactsConfig.createCategory(req.body, req.actor)),
  );
  app.patch(
    '/api/contact-categories/:id',
    { config: access('config.manage'), schema: { tags: cfgTags, params: IdParams, body: UpdateCategoryBody, response: { 200: CategoryView } } },
    (req) => contactsConfig.updateCategory(req.params.id, req.body, req.actor),
  );
  app.get('/api/areas', { config: access('config.read'), schema: { tags: cfgTags, response: { 200: z.array(AreaView) } } }, () => contactsConfig.areas());
  app.post('/api/areas', { config: access('config.manage'), schema: { tags: cfgTags, body: AreaBody, response: { 201: AreaView } } }, async (req, reply) =>
    reply.status(201).send(await contactsConfig.createArea(req.body, req.actor)),
  );
  app.patch(
    '/api/areas/:id',
    { config: access('config.manage'), schema: { tags: cfgTags, params: IdParams, body: UpdateAreaBody, response: { 200: AreaView } } },
    (req) => contactsConfig.updateArea(req.params.id, req.body, req.actor),
  );
};
export default routes;
