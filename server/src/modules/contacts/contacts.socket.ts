// Autosave over the socket: the same service calls as the HTTP routes, for consoles that keep
// one connection open. A conflict answers CONTACT_VERSION_CONFLICT; the console then fetches the
// server copy with contact:get and shows both.
import { PatchContactBody, rolesFor } from '@trustline/shared';
import { z } from 'zod';
import { defineCommand, type CommandContext } from '../../realtime/commands.js';
import type { Services } from '../../kernel.js';
import type { StaffActor } from './contacts.service.js';

const staff = (ctx: CommandContext): StaffActor => ({ ...ctx.actor, userId: ctx.data.userId, roles: ctx.data.roles });

export const contactsCommands = (services: Services) => [
  defineCommand({
    name: 'contact:save',
    access: rolesFor('contact.edit'),
    schema: z.object({ id: z.uuid(), patch: PatchContactBody }),
    handler: (p, ctx) => services.contacts.patch(p.id, p.patch, staff(ctx)),
  }),
  defineCommand({
    name: 'contact:get',
    access: [...new Set([...rolesFor('contact.read-full'), ...rolesFor('contact.read-dispatch'), ...rolesFor('contact.read-summary')])],
    schema: z.object({ id: z.uuid() }),
    handler: (p, ctx) => services.contacts.get(p.id, staff(ctx)),
  }),
];
