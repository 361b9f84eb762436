// Twilio's SMS webhooks: public to the access layer but checked by Twilio's signature first
// (services.twilio.guard). The form is normalised by the SMS adapter and recorded by the
// conversations module.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../../errors.js';
import type { WebhookSms } from './sms.adapter.js';

// nul: 'replace': a refused SMS is lost (Twilio does not retry it), so NUL is replaced.
const open = { access: 'public' as const, nul: 'replace' as const };
// Field limits: a Sid is two capital letters and at most 32 letters or digits (Twilio sends 32 hex;
// shorter ones come from simulators), so an oversized one is refused; a field is at most 8 KB (an SMS body is
// at most 1600 characters); at most 10 media per message, as Twilio sends.
const Field = z.string().max(8192);
const Sid = (name: string) => z.string().regex(/^[A-Z]{2}[0-9a-zA-Z]{1,32}$/, `${name} must be two capital letters and at most 32 letters or digits`);
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
  const { conversations, twilio, infra } = app.services;
  const { sms } = conversations.adapters;
  const { log } = infra;

  twilio.guard(app);

  const inbound = (form: WebhookSms, receivedAt?: Date) => conversations.inbound(sms.normaliseInbound(form), receivedAt);
  // Texts that could not be recorded wait here until the database answers (inbound-spool.ts).
  const spool = twilio.spool<WebhookSms>({
    // Two nodes recording one spooled text at once: the second meets the unique MessageSid.
    record: (form, at) =>
      inbound(form, at).catch((err) => {
        if ((err as { code?: string }).code !== 'P2002') throw err;
      }),
  });
  app.addHook('onReady', async () => spool.start());
  app.addHook('onClose', async () => spool.stop());

  app.post('/twilio/sms', { config: open, schema: { hide: true, body: SmsForm } }, async (req, reply) => {
    const receivedAt = new Date();
    try {
      await inbound(req.body);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // Twilio does not retry an SMS webhook: keep it durably, answer 2xx only once it is kept.
      const where = await spool.append(req.body, receivedAt);
      log.error({ err: { message: (err as Error).message }, messageSid: req.body.MessageSid, spooled: where }, 'inbound SMS spooled: not recorded yet');
    }
    return reply.type('text/xml; charset=utf-8').send(twilio.emptyMessaging());
  });

  app.post(
    '/twilio/sms/status',
    { config: open, schema: { hide: true, body: SmsStatusForm, querystring: z.object({ m: z.uuid().optional() }) } },
    async (req, reply) => {
      await conversations.statusCallback(req.query.m, sms.deliveryStatus(req.body));
      return reply.status(204).send();
    },
  );
};
export default routes;
