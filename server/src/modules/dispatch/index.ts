// Urgent social services: a request matched to a provider from the directory, offered by SMS or
// signed link, accepted, delivered; deadlines and escalation to the duty coordinator.
import { defineFeature } from '../feature.js';
import { dispatchHandlers, dispatchRetiredSchedules } from './dispatch.jobs.js';
import { dispatchRepository } from './dispatch.repository.js';
import routes from './dispatch.routes.js';
import { dispatchService, type DispatchService } from './dispatch.service.js';
import { dispatchWiring } from './dispatch.wiring.js';
import { linkSigner } from './links.js';
import providerPage from './provider-page.routes.js';
import { telephonySmsGateway } from './sms-gateway.js';

declare module '../../kernel.js' {
  interface Services {
    dispatch: DispatchService;
  }
}

export const dispatchFeature = defineFeature({
  name: 'dispatch',
  create: (k, { audit, providerPool, sms }) => ({
    dispatch: dispatchService({
      repo: dispatchRepository(k.prisma),
      directory: providerPool,
      transaction: k.transaction,
      audit,
      phones: k.phones,
      outbox: k.outbox,
      emitter: k.emitter,
      events: k.events,
      sms: telephonySmsGateway(sms),
      log: k.log,
      links: linkSigner(k.config.appSecret),
      settings: { ...k.config.dispatch, timeZone: k.config.timezone, publicUrl: k.config.publicUrl },
    }),
  }),
  routes: [routes, providerPage],
  handlers: (services) => ({ dispatch: dispatchHandlers(services) }),
  retiredSchedules: dispatchRetiredSchedules,
  wiring: dispatchWiring,
});
