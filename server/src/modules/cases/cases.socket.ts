import { z } from 'zod';
import { defineCommand } from '../../realtime/commands.js';
import type { Services } from '../../kernel.js';

export const casesCommands = (services: Services) => [
  defineCommand({
    name: 'cases:glimpse',
    access: ['operator', 'coordinator', 'curator', 'supervisor'],
    schema: z.object({ contactId: z.uuid('contactId must be a UUID') }).strict(),
    handler: (p, ctx) => services.cases.service.glimpse(p.contactId, ctx.actor),
  }),
];
