// Twilio's webhooks. Every route here is public to the access layer but checked by Twilio's
// signature first (preValidation): HMAC-SHA1 with the auth token over PUBLIC_URL + path + query
// and the form parameters. The URL is never built from the Host header, so a proxy that
// rewrites the host changes nothing. A missing or bad signature gets 403 and records nothing.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import twilio from 'twilio';
import { z } from 'zod';
import { replaceNul } from '../../plugins/input.js';
import { DomainError } from '../../errors.js';
import type { VoiceParams } from './calls.service.js';
import { inboundSpool } from './inbound-spool.js';

// nul: 'replace': a refused SMS is lost (Twilio does not retry it), so NUL is replaced below.
const open = { access: 'public' as const, nul: 'replace' as const };
// Field limits: a Sid is two capital letters and at most 32 letters or digits (Twilio sends 32 hex;
// shorter ones come from simulators), so an oversized one is refused; a field is at most 8 KB (an SMS body is
// at most 1600 characters); at most 10 media per message, as Twilio sends.
const Field = z.string().max(8192);
const Sid = (name: string) => z.string().regex(/^[A-Z]{2}[0-9a-zA-Z]{1,32}$/, `${name} must be two capital letters and at most 32 letters or digits`);
const Form = z.record(z.string().max(128), Field);
const VoiceForm = z.object({ CallSid: Sid('CallSid') }).catchall(Field);
const SmsForm = z
  .object({
    MessageSid: Sid('MessageSid'),
    From: z.string().min(1).max(64),
    To: z.string().min(1).max(64),
    NumMedia: z
      .string()
      .regex(/^(?:\d|10)$/, 'NumMedia must be 0 to 10')
      .optional(),
  })
  .catchall(Field);
// Twilio's error codes are five digits; a larger number would not fit the errorCode column.
const SmsStatusForm = z
  .object({
    ErrorCode: z
      .string()
      .regex(/^\d{1,9}$/, 'ErrorCode must be a Twilio error code')
      .optional(),
  })
  .catchall(Field);

const routes: FastifyPluginAsyncZod = async (app) => {
  const { telephony, infra } = app.services;
  const { twiml, calls, sms } = telephony;
  const { config, log, redis } = infra;

  app.addHook('preValidation', async (req, reply) => {
    const signature = req.headers['x-twilio-signature'];
    const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    const url = config.publicUrl + req.url;
    if (typeof signature !== 'string' || !twilio.validateRequest(config.telephony.authToken, signature, url, params)) {
      log.warn({ route: req.routeOptions.url, signed: typeof signature === 'string' }, 'twilio webhook refused: bad signature');
      return reply.status(403).type('text/plain').send('invalid Twilio signature');
    }
  });
  // After the signature (signed over the text as sent): PostgreSQL text cannot hold NUL.
  app.addHook('preValidation', async (req) => {
    if (req.body && typeof req.body === 'object') replaceNul(req.body as Record<string, unknown>);
  });

  // Texts that could not be recorded wait here until the database answers (inbound-spool.ts).
  const spool = inboundSpool({
    redis,
    log,
    prefix: config.redisPrefix,
    dataDir: config.dataDir,
    appSecret: config.appSecret,
    // Two nodes recording one spooled text at once: the second meets the unique MessageSid.
    record: (form, at) =>
      sms.inbound(form, at).catch((err) => {
        if ((err as { code?: string }).code !== 'P2002') throw err;
      }),
    storeAnswers: async () => (await app.services.infra.db.prisma.$queryRaw`SELECT 1`, true),
  });
  // Call status callbacks likewise (Twilio does not retry them): a call the fallback TwiML
  // answered is recorded only from them. Replaying one is harmless: statuses only advance.
  const statusSpool = inboundSpool<VoiceParams>({
    kind: 'voice-status',
    redis,
    log,
    prefix: config.redisPrefix,
    dataDir: config.dataDir,
    appSecret: config.appSecret,
    record: (form) => calls.statusCallback(form),
    storeAnswers: async () => (await app.services.infra.db.prisma.$queryRaw`SELECT 1`, true),
  });
  app.addHook('onReady', async () => {
    spool.start();
    statusSpool.start();
  });
  app.addHook('onClose', async () => {
    await spool.stop();
    await statusSpool.stop();
  });

  const xml = (reply: FastifyReply, body: string) => reply.type('text/xml; charset=utf-8').send(body);

  /** The store-down guard: if the database or Redis fails or is slow, answer TwiML that still
   * reaches a person. The call is recorded later from the status callbacks. */
  async function orFallback(reply: FastifyReply, to: string | undefined, callSid: string, work: () => Promise<string>) {
    const line = telephony.ctx.lines.cachedByNumber(to);
    try {
      if (redis.status !== 'ready') throw new Error('redis is not ready');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('stores too slow')), config.telephony.fallbackAfterMs);
      });
      const body = await Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
      return xml(reply, body);
    } catch (err) {
      log.error({ err: { message: (err as Error).message }, callSid }, 'voice webhook fell back: stores unavailable');
      return xml(reply, twiml.fallback(line));
    }
  }

  app.post('/twilio/voice', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const { line } = await calls.incoming(req.body);
      return twiml.greeting(line);
    }),
  );

  app.post('/twilio/voice/ivr', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const call = await calls.enqueue(req.body);
      if (!call) return twiml.fallback(telephony.ctx.lines.cachedByNumber(req.body.To));
      if (call.status === 'ended') return twiml.hangup();
      const line = telephony.ctx.lines.cachedById(call.lineId);
      return twiml.queue(line, `call-${call.id}`);
    }),
  );

  app.post('/twilio/voice/no-answer', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => twiml.noOneFree(telephony.ctx.lines.cachedByNumber(req.body.To))),
  );

  app.post('/twilio/voice/no-answer/choice', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const line = telephony.ctx.lines.cachedByNumber(req.body.To);
      const digits = req.body.Digits ?? (req.query as { Digits?: string }).Digits;
      if (digits === '1') return twiml.record(line);
      if (digits === '2') {
        await calls.callbackRequested(req.body.CallSid, 'requested');
        return twiml.sayAndHangup(line, 'callbackNoted');
      }
      const call = await telephony.ctx.calls.findCallBySid(req.body.CallSid);
      return call ? twiml.queue(line, `call-${call.id}`, false) : twiml.fallback(line);
    }),
  );

  app.post('/twilio/voice/rejoin', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const call = await telephony.ctx.calls.findCallBySid(req.body.CallSid);
      const line = telephony.ctx.lines.cachedByNumber(req.body.To);
      return call && call.status !== 'ended' ? twiml.queue(line, `call-${call.id}`, false) : twiml.hangup();
    }),
  );

  app.post('/twilio/voice/voicemail', { config: open, schema: { hide: true, body: VoiceForm } }, async (req, reply) => {
    await calls.callbackRequested(req.body.CallSid, 'voicemail', req.body.RecordingUrl);
    return xml(reply, twiml.sayAndHangup(telephony.ctx.lines.cachedByNumber(req.body.To), 'voicemailNoted'));
  });

  app.post('/twilio/voice/after-dial', { config: open, schema: { hide: true, body: Form } }, (_req, reply) => xml(reply, twiml.hangup()));

  app.post('/twilio/voice/status', { config: open, schema: { hide: true, body: VoiceForm } }, async (req, reply) => {
    try {
      await calls.statusCallback(req.body);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const where = await statusSpool.append(req.body);
      log.error({ err: { message: (err as Error).message }, callSid: req.body.CallSid, spooled: where }, 'voice status spooled: not recorded yet');
    }
    return reply.status(204).send();
  });

  app.post('/twilio/voice/conference', { config: open, schema: { hide: true, body: Form } }, async (req, reply) => {
    await calls.conferenceEvent(req.body);
    return reply.status(204).send();
  });

  app.post(
    '/twilio/voice/callback-status',
    { config: open, schema: { hide: true, body: Form, querystring: z.object({ cb: z.uuid() }) } },
    async (req, reply) => {
      await telephony.callbacks.dialStatus(req.query.cb, req.body.CallStatus ?? '');
      return reply.status(204).send();
    },
  );

  app.post('/twilio/sms', { config: open, schema: { hide: true, body: SmsForm } }, async (req, reply) => {
    const receivedAt = new Date();
    try {
      await sms.inbound(req.body);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // Twilio does not retry an SMS webhook: keep it durably, answer 2xx only once it is kept.
      const where = await spool.append(req.body, receivedAt);
      log.error({ err: { message: (err as Error).message }, messageSid: req.body.MessageSid, spooled: where }, 'inbound SMS spooled: not recorded yet');
    }
    return xml(reply, twiml.emptyMessaging());
  });

  app.post(
    '/twilio/sms/status',
    { config: open, schema: { hide: true, body: SmsStatusForm, querystring: z.object({ m: z.uuid().optional() }) } },
    async (req, reply) => {
      await sms.statusCallback(req.query.m, req.body);
      return reply.status(204).send();
    },
  );
};
export default routes;
