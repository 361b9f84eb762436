// Twilio's voice webhooks. Every route here is public to the access layer but checked by
// Twilio's signature first (services.twilio.guard, twilio-port.ts). The SMS webhooks are the
// SMS adapter's (modules/conversations/sms/sms.webhooks.ts).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import type { VoiceParams } from './calls.service.js';

// nul: 'replace': a refused status callback is lost (Twilio does not retry it), so NUL is replaced.
const open = { access: 'public' as const, nul: 'replace' as const };
// Field limits: a Sid is two capital letters and at most 32 letters or digits (Twilio sends 32 hex;
// shorter ones come from simulators), so an oversized one is refused; a field is at most 8 KB.
const Field = z.string().max(8192);
const Sid = (name: string) => z.string().regex(/^[A-Z]{2}[0-9a-zA-Z]{1,32}$/, `${name} must be two capital letters and at most 32 letters or digits`);
const Form = z.record(z.string().max(128), Field);
const VoiceForm = z.object({ CallSid: Sid('CallSid') }).catchall(Field);

const routes: FastifyPluginAsyncZod = async (app) => {
  const { telephony, twilio, infra } = app.services;
  const { twiml, calls, lines } = telephony;
  const { config, log, redis } = infra;

  twilio.guard(app);

  // Call status callbacks (Twilio does not retry them) that could not be recorded wait here
  // until the database answers: a call the fallback TwiML answered is recorded only from them.
  // Replaying one is harmless: statuses only advance.
  const statusSpool = twilio.spool<VoiceParams>({ kind: 'voice-status', record: (form) => calls.statusCallback(form) });
  app.addHook('onReady', async () => statusSpool.start());
  app.addHook('onClose', async () => statusSpool.stop());

  const xml = (reply: FastifyReply, body: string) => reply.type('text/xml; charset=utf-8').send(body);

  /** The store-down guard: if the database or Redis fails or is slow, answer TwiML that still
   * reaches a person. The call is recorded later from the status callbacks. */
  async function orFallback(reply: FastifyReply, to: string | undefined, callSid: string, work: () => Promise<string>) {
    const line = lines.cachedByNumber(to);
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
      if (!call) return twiml.fallback(lines.cachedByNumber(req.body.To));
      if (call.status === 'ended') return twiml.hangup();
      const line = lines.cachedById(call.lineId);
      return twiml.queue(line, `call-${call.id}`);
    }),
  );

  app.post('/twilio/voice/no-answer', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => twiml.noOneFree(lines.cachedByNumber(req.body.To))),
  );

  app.post('/twilio/voice/no-answer/choice', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const line = lines.cachedByNumber(req.body.To);
      const digits = req.body.Digits ?? (req.query as { Digits?: string }).Digits;
      if (digits === '1') return twiml.record(line);
      if (digits === '2') {
        await calls.callbackRequested(req.body.CallSid, 'requested');
        return twiml.sayAndHangup(line, 'callbackNoted');
      }
      const call = await calls.bySid(req.body.CallSid);
      return call ? twiml.queue(line, `call-${call.id}`, false) : twiml.fallback(line);
    }),
  );

  app.post('/twilio/voice/rejoin', { config: open, schema: { hide: true, body: VoiceForm } }, (req, reply) =>
    orFallback(reply, req.body.To, req.body.CallSid, async () => {
      const call = await calls.bySid(req.body.CallSid);
      const line = lines.cachedByNumber(req.body.To);
      return call && call.status !== 'ended' ? twiml.queue(line, `call-${call.id}`, false) : twiml.hangup();
    }),
  );

  app.post('/twilio/voice/voicemail', { config: open, schema: { hide: true, body: VoiceForm } }, async (req, reply) => {
    await calls.callbackRequested(req.body.CallSid, 'voicemail', req.body.RecordingUrl);
    return xml(reply, twiml.sayAndHangup(lines.cachedByNumber(req.body.To), 'voicemailNoted'));
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
};
export default routes;
