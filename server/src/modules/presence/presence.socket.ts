import { z } from 'zod';
import { defineCommand } from '../../realtime/commands.js';
import type { Services } from '../../kernel.js';

export const presenceCommands = (services: Services) => [
  defineCommand({
    name: 'presence:list',
    access: ['supervisor', 'admin', 'coordinator', 'operator'],
    schema: z.object({}).strict(),
    handler: () => services.presence.list(),
  }),
];
