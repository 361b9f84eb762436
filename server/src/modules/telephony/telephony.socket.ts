// Socket commands for the live queue's snapshot and the call panel. Operator states are
// modules/operators' commands, threads modules/conversations'.
import { AssignPayload, CallIdPayload, ListenPayload, OfferPayload, TransferPayload } from '@trustline/shared';
import { z } from 'zod';
import { defineCommand } from '../../realtime/commands.js';
import type { Services } from '../../kernel.js';

const staff = ['operator', 'supervisor'] as const;

export const telephonyCommands = (services: Services) => {
  const { calls } = services.telephony;
  return [
    defineCommand({
      name: 'telephony:snapshot',
      access: [...staff, 'admin'],
      schema: z.object({}).strict(),
      handler: async (_p, { actor }) => ({
        calls: await calls.snapshotCalls(),
        operators: await services.operators.list(),
        conversations: await services.conversations.listOpen(),
        myOffers: await calls.myOffers(actor.userId!),
        mode: services.telephony.mode,
        serverTime: new Date().toISOString(),
      }),
    }),
    defineCommand({ name: 'call:accept', access: staff, schema: CallIdPayload, handler: (p, { actor }) => calls.accept(p.callId, actor) }),
    defineCommand({ name: 'call:decline', access: staff, schema: OfferPayload, handler: (p, { actor }) => calls.decline(p.offerId, actor) }),
    defineCommand({ name: 'call:hold', access: staff, schema: CallIdPayload, handler: (p, { actor }) => calls.setHold(p.callId, true, actor) }),
    defineCommand({ name: 'call:resume', access: staff, schema: CallIdPayload, handler: (p, { actor }) => calls.setHold(p.callId, false, actor) }),
    defineCommand({ name: 'call:hangup', access: staff, schema: CallIdPayload, handler: (p, { actor }) => calls.hangup(p.callId, actor) }),
    defineCommand({
      name: 'call:transfer',
      access: staff,
      schema: TransferPayload,
      handler: (p, { actor }) => calls.transfer(p.callId, p.targetId, p.mode, actor),
    }),
    defineCommand({ name: 'call:complete-transfer', access: staff, schema: CallIdPayload, handler: (p, { actor }) => calls.completeTransfer(p.callId, actor) }),
    defineCommand({
      name: 'call:assign',
      access: ['supervisor'],
      schema: AssignPayload,
      handler: (p, { actor }) => calls.assign(p.callId, p.operatorId, actor),
    }),
    defineCommand({ name: 'call:listen', access: ['supervisor'], schema: ListenPayload, handler: (p, { actor }) => calls.listen(p.callId, p.mode, actor) }),
    defineCommand({
      name: 'call:stop-listening',
      access: ['supervisor'],
      schema: CallIdPayload,
      handler: (p, { actor }) => calls.stopListening(p.callId, actor),
    }),
  ];
};
