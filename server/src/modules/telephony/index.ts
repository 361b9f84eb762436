// Voice through Twilio (or its simulator): webhooks, the queue, offers to operators, the call
// panel's actions, lines and call-backs. Lends the Twilio gateway and the line cache to the SMS
// adapter (modules/conversations) as the `twilio` and `lines` ports.
import { defineFeature } from '../feature.js';
import { callsRepository } from './calls.repository.js';
import { lineDirectory, type LineDirectory } from './lines.js';
import { telephonyHandlers, telephonySchedules } from './telephony.jobs.js';
import routes from './telephony.routes.js';
import { telephonyService, type TelephonyService } from './telephony.service.js';
import { telephonyCommands } from './telephony.socket.js';
import { twilioGateway } from './twilio-gateway.js';
import { twilioPort, type TwilioPort } from './twilio-port.js';
import { redisMessageLog } from './twilio-sim.js';
import { twimlBuilder } from './twiml.js';
import webhooks from './webhooks.routes.js';

declare module '../../kernel.js' {
  interface Services {
    telephony: TelephonyService;
    /** Twilio for its other users: the gateway, the webhook signature check, the spool. */
    twilio: TwilioPort;
    /** The lines (numbers) calls and texts arrive on and go out from, cached in every process. */
    lines: LineDirectory;
  }
}

export const telephonyFeature = defineFeature({
  name: 'telephony',
  create: (k, services) => {
    const { config, prisma, redis, log } = k;
    const calls = callsRepository(prisma);
    const lines = lineDirectory({ calls, invalidation: k.invalidation, log });
    const gateway = twilioGateway(config, { log, simMessages: redisMessageLog(redis, config.redisPrefix) });
    const twiml = twimlBuilder(config.publicUrl, config.telephony.holdMusicUrl);
    const telephony = telephonyService({
      calls,
      lines,
      operators: services.operators,
      // Listed after telephony (it uses the ports above): read when the reconcile schedule runs.
      conversations: () => services.conversations,
      transaction: k.transaction,
      audit: services.audit,
      events: k.events,
      phones: k.phones,
      emitter: k.emitter,
      callers: services.callers,
      enqueue: k.enqueue,
      invalidation: k.invalidation,
      log,
      gateway,
      twiml,
      config: config.telephony,
    });
    const twilio = twilioPort({ config, log, redis, gateway, twiml, storeAnswers: () => calls.ping() });
    return { telephony, twilio, lines };
  },
  routes: [webhooks, routes],
  commands: telephonyCommands,
  handlers: (services) => ({ telephony: telephonyHandlers(services) }),
  schedules: telephonySchedules,
});
