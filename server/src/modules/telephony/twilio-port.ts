// What telephony lends the other Twilio user (the SMS adapter of modules/conversations), as the
// `twilio` port in Services: the REST gateway (or its simulator), the signature check every
// Twilio webhook passes first, the durable spool for webhooks Twilio does not retry, and the
// empty messaging answer.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import twilio from 'twilio';
import type { Config } from '../../config.js';
import { replaceNul } from '../../plugins/input.js';
import { inboundSpool, type InboundSpoolDeps } from './inbound-spool.js';
import type { TwilioGateway } from './twilio-gateway.js';
import type { Twiml } from './twiml.js';

type Form = Record<string, string | undefined>;

export function twilioPort(deps: { config: Config; log: Logger; redis: Redis; gateway: TwilioGateway; twiml: Twiml; storeAnswers: () => Promise<boolean> }) {
  const { config, log, redis, gateway, twiml } = deps;
  return {
    gateway,
    /** Every route of the plugin `app` is checked by Twilio's signature first (preValidation):
     * HMAC-SHA1 with the auth token over PUBLIC_URL + path + query and the form parameters. The
     * URL is never built from the Host header, so a proxy that rewrites the host changes nothing.
     * A missing or bad signature gets 403 and records nothing. */
    guard(app: FastifyInstance) {
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
    },
    /** Webhooks that could not be recorded wait here until the database answers (inbound-spool.ts). */
    spool<F extends Form>(p: Pick<InboundSpoolDeps<F>, 'kind' | 'record'>) {
      const { redisPrefix: prefix, dataDir, appSecret } = config;
      return inboundSpool<F>({ ...p, redis, log, prefix, dataDir, appSecret, storeAnswers: deps.storeAnswers });
    },
    /** The answer to a messaging webhook: nothing to send back. */
    emptyMessaging: () => twiml.emptyMessaging(),
  };
}
export type TwilioPort = ReturnType<typeof twilioPort>;
