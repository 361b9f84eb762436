// Calls and SMS through Twilio (or its simulator): webhooks, the queue, offers to operators,
// conversations, lines and call-backs.
import { jobOf } from '../../jobs/enqueue.js';
import { defineFeature } from '../feature.js';
import { callsRepository } from './calls.repository.js';
import { smsRepository } from './sms.repository.js';
import { telephonyHandlers, telephonySchedules } from './telephony.jobs.js';
import { wireOperatorsToDisconnects } from './telephony.presence.js';
import routes from './telephony.routes.js';
import { telephonyService, type TelephonyService } from './telephony.service.js';
import { telephonyCommands } from './telephony.socket.js';
import { twilioGateway } from './twilio-gateway.js';
import { redisMessageLog } from './twilio-sim.js';
import { twimlBuilder } from './twiml.js';
import webhooks from './webhooks.routes.js';

declare module '../../kernel.js' {
  interface Services {
    telephony: TelephonyService;
    /** The seam for texting anyone: sms.sendToNumber(...), sms.interceptInbound(...). */
    sms: TelephonyService['sms'];
  }
}

export const telephonyFeature = defineFeature({
  name: 'telephony',
  create: (k, { audit, callers }) => {
    const { config, prisma, redis, log } = k;
    const telephony = telephonyService({
      calls: callsRepository(prisma),
      sms: smsRepository(prisma),
      transaction: k.transaction,
      audit,
      events: k.events,
      phones: k.phones,
      emitter: k.emitter,
      callers,
      enqueue: k.enqueue,
      outbox: k.outbox,
      findJob: (jobId) => jobOf(k.infra.queues, 'telephony', jobId),
      redis,
      invalidation: k.invalidation,
      log,
      gateway: twilioGateway(config, { log, simMessages: redisMessageLog(redis, config.redisPrefix) }),
      twiml: twimlBuilder(config.publicUrl, config.telephony.holdMusicUrl),
      config: config.telephony,
    });
    return { telephony, sms: telephony.sms };
  },
  routes: [webhooks, routes],
  commands: telephonyCommands,
  handlers: (services) => ({ telephony: telephonyHandlers(services) }),
  schedules: telephonySchedules,
  wiring: wireOperatorsToDisconnects,
});
