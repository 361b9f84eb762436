import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  ApiError,
  ApplicationBody,
  AssignCuratorBody,
  CalendarDateParams,
  CalendarDayBody,
  CalendarDayView,
  CalendarYearParams,
  CaseGlimpse,
  CaseIdParams,
  CaseItemParams,
  CaseListItem,
  CaseListQuery,
  CaseLookupQuery,
  CaseResults,
  CaseView,
  CreateCaseBody,
  DeadlineMetBody,
  GoalBody,
  LinkContactBody,
  CaseNoteBody,
  ResultsQuery,
  TaskBody,
  TimelineEntry,
  TransitionBody,
  UpdateTaskBody,
} from '@trustline/shared';
import { z } from 'zod';
import type { CaseActor } from './cases.service.js';

/** Case content: curators and supervisors. */
const content = { access: ['curator', 'supervisor'] as const };
/** Escalating a contact and the glimpse: everyone who talks to callers, too. */
const escalate = { access: ['operator', 'coordinator', 'curator', 'supervisor'] as const };
const errors = { 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };
const tags = ['cases'];

const who = (req: FastifyRequest): CaseActor => ({ ...req.actor, roles: req.session?.user.roles ?? [] });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.services;
  const svc = cases.service;

  app.post(
    '/api/cases',
    {
      config: escalate,
      schema: { tags, summary: 'Open a case from contacts or a signal (consent required)', body: CreateCaseBody, response: { 201: CaseView, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await svc.create(req.body, who(req))),
  );

  app.get('/api/cases', { config: content, schema: { tags, querystring: CaseListQuery, response: { 200: z.array(CaseListItem) } } }, (req) =>
    svc.list(req.query, who(req)),
  );

  app.get(
    '/api/cases/mine',
    {
      config: { access: ['curator'] },
      schema: { tags, summary: 'The curator’s open cases, overdue and due first', querystring: CaseListQuery, response: { 200: z.array(CaseListItem) } },
    },
    (req) => svc.list({ ...req.query, mine: true }, who(req)),
  );

  app.get(
    '/api/cases/glimpse',
    {
      config: escalate,
      schema: {
        tags,
        summary: 'Does this contact’s caller have a case; who is the curator',
        querystring: CaseLookupQuery,
        response: { 200: z.array(CaseGlimpse), 404: ApiError },
      },
    },
    (req) => svc.glimpse(req.query.contactId, req.actor),
  );

  app.get(
    '/api/cases/deadlines/overdue',
    {
      config: { access: ['supervisor', 'curator'] },
      schema: {
        tags,
        response: {
          200: z.array(
            z.object({
              deadlineId: z.string(),
              caseId: z.string(),
              caseNumber: z.number(),
              kind: z.string(),
              dueDate: z.string(),
              curatorId: z.string().nullable(),
              dueAt: z.string(),
            }),
          ),
        },
      },
    },
    () => cases.deadlines.overdue(),
  );

  app.get(
    '/api/cases/results',
    { config: { access: ['supervisor', 'curator', 'admin'] }, schema: { tags, querystring: ResultsQuery, response: { 200: CaseResults, 400: ApiError } } },
    (req) => cases.insights.results(req.query.from, req.query.to, req.actor),
  );

  app.get(
    '/api/cases/results.csv',
    { config: { access: ['supervisor', 'curator', 'admin'] }, schema: { tags, querystring: ResultsQuery } },
    async (req, reply) => {
      const csv = await cases.insights.resultsCsv(req.query.from, req.query.to, req.actor);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="case-results-${req.query.from}-${req.query.to}.csv"`)
        .send(csv);
    },
  );

  app.get('/api/cases/:id', { config: content, schema: { tags, params: CaseIdParams, response: { 200: CaseView, 404: ApiError } } }, (req) =>
    svc.read(req.params.id, who(req)),
  );

  app.get(
    '/api/cases/:id/timeline',
    { config: content, schema: { tags, params: CaseIdParams, response: { 200: z.array(TimelineEntry), 404: ApiError } } },
    (req) => cases.insights.timeline(req.params.id, req.actor),
  );

  app.post(
    '/api/cases/:id/contacts',
    {
      config: escalate,
      schema: { tags, summary: 'Link another contact to the case', params: CaseIdParams, body: LinkContactBody, response: { 200: CaseGlimpse, ...errors } },
    },
    (req) => svc.linkContact(req.params.id, req.body.contactId, who(req)),
  );

  app.post(
    '/api/cases/:id/curator',
    {
      config: content,
      schema: {
        tags,
        summary: 'Assign (supervisor) or take (curator, unassigned case)',
        params: CaseIdParams,
        body: AssignCuratorBody,
        response: { 200: CaseView, ...errors },
      },
    },
    (req) => svc.assignCurator(req.params.id, req.body.curatorId, who(req)),
  );

  app.post(
    '/api/cases/:id/transition',
    {
      config: content,
      schema: {
        tags,
        summary: 'Move the case to another stage of the cycle',
        params: CaseIdParams,
        body: TransitionBody,
        response: { 200: CaseView, ...errors },
      },
    },
    (req) => svc.transition(req.params.id, req.body, who(req)),
  );

  app.post(
    '/api/cases/:id/application',
    {
      config: content,
      schema: {
        tags,
        summary: 'Record the application for social services: starts the 5- and 10-working-day clocks',
        params: CaseIdParams,
        body: ApplicationBody,
        response: { 200: CaseView, ...errors },
      },
    },
    (req) => svc.setApplication(req.params.id, req.body.applicationDate, who(req)),
  );

  app.post(
    '/api/cases/:id/deadlines/:itemId/met',
    { config: content, schema: { tags, params: CaseItemParams, body: DeadlineMetBody, response: { 200: CaseView, ...errors } } },
    (req) => svc.deadlineMet(req.params.id, req.params.itemId, req.body.metOn, who(req)),
  );

  app.post('/api/cases/:id/goals', { config: content, schema: { tags, params: CaseIdParams, body: GoalBody, response: { 200: CaseView, ...errors } } }, (req) =>
    svc.addGoal(req.params.id, req.body, who(req)),
  );

  app.delete('/api/cases/:id/goals/:itemId', { config: content, schema: { tags, params: CaseItemParams, response: { 200: CaseView, ...errors } } }, (req) =>
    svc.removeGoal(req.params.id, req.params.itemId, who(req)),
  );

  app.post('/api/cases/:id/tasks', { config: content, schema: { tags, params: CaseIdParams, body: TaskBody, response: { 200: CaseView, ...errors } } }, (req) =>
    svc.addTask(req.params.id, req.body, who(req)),
  );

  app.patch(
    '/api/cases/:id/tasks/:itemId',
    { config: content, schema: { tags, params: CaseItemParams, body: UpdateTaskBody, response: { 200: CaseView, ...errors } } },
    (req) => svc.updateTask(req.params.id, req.params.itemId, req.body, who(req)),
  );

  app.post(
    '/api/cases/:id/notes',
    { config: content, schema: { tags, params: CaseIdParams, body: CaseNoteBody, response: { 200: z.object({ ok: z.literal(true) }), ...errors } } },
    (req) => svc.addNote(req.params.id, req.body, who(req)),
  );

  // ─── Working-day calendar ───
  app.get(
    '/api/calendar/:year',
    { config: { access: 'authenticated' }, schema: { tags: ['calendar'], params: CalendarYearParams, response: { 200: z.array(CalendarDayView) } } },
    (req) => cases.calendar.year(req.params.year),
  );

  app.put(
    '/api/calendar/days',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['calendar'],
        summary: 'Set a holiday, a moved day off or a moved working day',
        body: CalendarDayBody,
        response: { 200: CalendarDayView, 400: ApiError },
      },
    },
    (req) => cases.calendar.setDay(req.body, req.actor),
  );

  app.delete(
    '/api/calendar/days/:date',
    { config: { access: ['admin'] }, schema: { tags: ['calendar'], params: CalendarDateParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await cases.calendar.removeDay(req.params.date, req.actor);
      return reply.status(204).send(null);
    },
  );
};
export default routes;
