import { z } from 'zod';
import { defineCommand } from '../../realtime/commands.js';
import { rooms } from '../../realtime/rooms.js';
import type { Services } from '../../kernel.js';
import { BroadcastBody } from '@trustline/shared';
import { WALLBOARD_VIEWERS } from './wallboard.access.js';
import { supervisorActions } from './wallboard.actions.js';

export const wallboardCommands = (services: Services) => {
  const actions = supervisorActions(services);
  return [
    defineCommand({
      name: 'wallboard:subscribe',
      access: WALLBOARD_VIEWERS,
      schema: z.object({}).strict(),
      // Join first, then read: a change between the two arrives as a delta after the snapshot.
      handler: async (_p, ctx) => {
        await ctx.socket.join(rooms.wallboard());
        return services.wallboard.snapshot();
      },
    }),
    defineCommand({
      name: 'wallboard:unsubscribe',
      access: WALLBOARD_VIEWERS,
      schema: z.object({}).strict(),
      handler: async (_p, ctx) => {
        await ctx.socket.leave(rooms.wallboard());
        return null;
      },
    }),
    defineCommand({
      name: 'wallboard:broadcast',
      access: ['supervisor', 'admin'],
      schema: BroadcastBody,
      handler: (p, ctx) => actions.broadcast(p, ctx.actor),
    }),
  ];
};
