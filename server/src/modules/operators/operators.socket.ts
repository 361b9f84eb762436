// Socket commands for operator states.
import { SetStatePayload } from '@trustline/shared';
import type { Services } from '../../kernel.js';
import { defineCommand } from '../../realtime/commands.js';

export const operatorsCommands = ({ operators }: Services) => [
  defineCommand({
    name: 'operator:set-state',
    access: ['operator', 'supervisor'],
    schema: SetStatePayload,
    handler: (p, { actor }) => operators.setByHand(actor.userId!, p.state, p.reason ?? null),
  }),
];
