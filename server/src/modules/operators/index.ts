// Operators and routing, shared by every channel: operator states and the wrap-up timer,
// candidate selection (longest idle), capacity per channel, and the channels' routers.
import { defineFeature } from '../feature.js';
import { operatorsRepository } from './operators.repository.js';
import { operatorsService, type OperatorsService } from './operators.service.js';
import { operatorsCommands } from './operators.socket.js';
import { wireOperatorsToDisconnects } from './operators.wiring.js';

declare module '../../kernel.js' {
  interface Services {
    operators: OperatorsService;
  }
}

export const operatorsFeature = defineFeature({
  name: 'operators',
  create: (k) => {
    const operators = operatorsService({
      repo: operatorsRepository(k.prisma),
      transaction: k.transaction,
      events: k.events,
      emitter: k.emitter,
      enqueue: k.enqueue,
      log: k.log,
      config: k.config.telephony,
    });
    return { operators };
  },
  commands: operatorsCommands,
  // On the 'telephony' queue, which predates this module.
  handlers: ({ operators }) => ({ telephony: { 'operator.wrap-up-end': async ({ userId, version }) => operators.endWrapUp(userId, version) } }),
  wiring: wireOperatorsToDisconnects,
});
