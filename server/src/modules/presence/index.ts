// Who is online, across every server process.
import { defineFeature } from '../feature.js';
import { presenceCommands } from './presence.socket.js';
import { presenceService, type PresenceService } from './presence.service.js';

declare module '../../kernel.js' {
  interface Services {
    presence: PresenceService;
  }
}

export const presenceFeature = defineFeature({
  name: 'presence',
  create: ({ redis, emitter, config }) => ({ presence: presenceService({ redis, emitter, prefix: config.redisPrefix }) }),
  commands: presenceCommands,
});
