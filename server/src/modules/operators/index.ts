// Operators and routing, shared by every channel: operator states and the wrap-up timer,
// candidate selection (longest idle), capacity per channel, and the channels' routers.
import type { QueueHandlers } from '../../jobs/handlers.js';
import { defineFeature } from '../feature.js';
import { operatorsRepository } from './operators.repository.js';
import { operatorsService, type OperatorsService } from './operators.service.js';
import { operatorsCommands } from './operators.socket.js';
import { wireOperatorsToDisconnects } from './operators.wiring.js';

export type OperatorJobs = Pick<QueueHandlers<'telephony'>, 'operator.wrap-up-end'>;

declare module '../../kernel.js' {
  interface Services {
    operators: OperatorsService & {
      /** Its jobs, run by the queue's owner (the 'telephony' queue predates this module). */
      jobs: OperatorJobs;
    };
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
    const jobs: OperatorJobs = { 'operator.wrap-up-end': async ({ userId, version }) => operators.endWrapUp(userId, version) };
    return { operators: Object.assign(operators, { jobs }) };
  },
  commands: operatorsCommands,
  wiring: wireOperatorsToDisconnects,
});
