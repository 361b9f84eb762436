// The console's HTTP API for telephony: voice tokens, lines (admins), the call-back list and
// the caller simulator (admins and trainers, simulator mode). Stuck outbound messages are
// modules/conversations' (conversations.routes.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiError,
  CallbackSummary,
  CreateLineBody,
  LineIdParams,
  LineSummary,
  SimCallBody,
  SimDigitsBody,
  SimHangupBody,
  SimResult,
  SimSmsBody,
  UpdateLineBody,
  VoiceTokenResponse,
} from '@trustline/shared';
import { z } from 'zod';
import { DomainError } from '../../errors.js';

const staff = { access: ['operator', 'supervisor'] as const };
const admin = { access: ['admin'] as const };
const TOKEN_TTL_SECONDS = 3600;

const routes: FastifyPluginAsyncZod = async (app) => {
  const { telephony } = app.services;

  app.get(
    '/api/telephony/token',
    { config: staff, schema: { tags: ['telephony'], summary: 'Twilio Voice access token for the signed-in operator', response: { 200: VoiceTokenResponse } } },
    (req) => {
      const identity = req.actor.userId!;
      return { mode: telephony.mode, token: telephony.gateway.accessToken(identity, TOKEN_TTL_SECONDS), identity, ttlSeconds: TOKEN_TTL_SECONDS };
    },
  );

  app.get(
    '/api/telephony/lines',
    { config: { access: ['operator', 'supervisor', 'admin'] as const }, schema: { tags: ['telephony'], response: { 200: z.array(LineSummary) } } },
    () => telephony.lines.list(),
  );
  app.post(
    '/api/telephony/lines',
    { config: admin, schema: { tags: ['telephony'], body: CreateLineBody, response: { 201: LineSummary, 409: ApiError } } },
    async (req, reply) => reply.status(201).send(await telephony.lines.create(req.body, req.actor)),
  );
  app.patch(
    '/api/telephony/lines/:id',
    { config: admin, schema: { tags: ['telephony'], params: LineIdParams, body: UpdateLineBody, response: { 200: LineSummary, 404: ApiError } } },
    (req) => telephony.lines.update(req.params.id, req.body, req.actor),
  );

  app.get('/api/telephony/callbacks', { config: staff, schema: { tags: ['telephony'], response: { 200: z.array(CallbackSummary) } } }, () =>
    telephony.callbacks.list(),
  );
  app.post(
    '/api/telephony/callbacks/:id/dial',
    {
      config: staff,
      schema: {
        tags: ['telephony'],
        summary: 'Call the person back; the number is never shown',
        params: LineIdParams,
        response: { 200: CallbackSummary, 404: ApiError, 409: ApiError },
      },
    },
    (req) => telephony.callbacks.dial(req.params.id, req.actor),
  );
  app.post(
    '/api/telephony/callbacks/:id/close',
    { config: staff, schema: { tags: ['telephony'], params: LineIdParams, response: { 200: CallbackSummary, 404: ApiError } } },
    (req) => telephony.callbacks.close(req.params.id, req.actor),
  );

  // ── Caller simulator ──
  const sim = () => {
    const caller = telephony.gateway.caller;
    if (!caller) throw new DomainError('NOT_SIMULATOR', 'the caller simulator runs only in simulator mode (TWILIO_ACCOUNT_SID unset)', 409);
    return caller;
  };
  const defaultTo = async () => (await telephony.lines.list()).find((l) => l.active)?.number ?? '+70000000000';
  const simSchema = (body: z.ZodType) => ({ tags: ['telephony'], body, response: { 200: SimResult, 409: ApiError } });

  app.post('/api/telephony/simulator/call', { config: admin, schema: simSchema(SimCallBody) }, async (req) => {
    const b = req.body as z.infer<typeof SimCallBody>;
    return sim().placeCall({ from: b.from, to: b.to ?? (await defaultTo()), digits: b.digits });
  });
  app.post('/api/telephony/simulator/digits', { config: admin, schema: simSchema(SimDigitsBody) }, async (req) => {
    const b = req.body as z.infer<typeof SimDigitsBody>;
    return sim().press(b.callSid, b.digits);
  });
  app.post('/api/telephony/simulator/record', { config: admin, schema: simSchema(SimHangupBody) }, async (req) =>
    sim().finishRecording((req.body as z.infer<typeof SimHangupBody>).callSid),
  );
  app.post('/api/telephony/simulator/hangup', { config: admin, schema: simSchema(SimHangupBody) }, async (req) =>
    sim().hangup((req.body as z.infer<typeof SimHangupBody>).callSid),
  );
  app.post('/api/telephony/simulator/sms', { config: admin, schema: simSchema(SimSmsBody) }, async (req) => {
    const b = req.body as z.infer<typeof SimSmsBody>;
    return sim().sendSms({ from: b.from, to: b.to ?? (await defaultTo()), body: b.body, mediaUrls: b.mediaUrls });
  });
  app.get(
    '/api/telephony/simulator/calls',
    {
      config: admin,
      schema: { tags: ['telephony'], response: { 200: z.array(z.object({ callSid: z.string(), from: z.string(), to: z.string(), menu: z.boolean() })) } },
    },
    () => [...(telephony.gateway.caller?.calls.values() ?? [])].map((c) => ({ callSid: c.callSid, from: c.from, to: c.to, menu: !!c.gatherAction })),
  );
};
export default routes;
