// Callers by label and history, and the break-glass reveal of a number.
import { defineFeature } from '../feature.js';
import { callersRepository } from './callers.repository.js';
import routes from './callers.routes.js';
import { callersService, type CallersService } from './callers.service.js';

declare module '../../kernel.js' {
  interface Services {
    /** Callers by label and history, and the break-glass reveal of a number. */
    callers: CallersService;
  }
}

export const callersFeature = defineFeature({
  name: 'callers',
  create: ({ prisma, phones, transaction, emitter }, { audit }) => ({
    callers: callersService({ repo: callersRepository(prisma), phones, audit, transaction, emitter }),
  }),
  routes: [routes],
});
