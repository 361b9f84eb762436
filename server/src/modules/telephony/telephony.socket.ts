// Socket commands for the live queue, the call panel, operator states and SMS threads.
import {
  AssignPayload,
  CallIdPayload,
  ConversationPayload,
  ListenPayload,
  OfferPayload,
  ReplyPayload,
  SetStatePayload,
  TransferPayload,
} from '@trustline/shared';
import { z } from 'zod';
import { defineCommand } from '../../realtime/commands.js';
import { rooms } from '../../realtime/rooms.js';
import type { Services } from '../../kernel.js';

const staff = ['operator', 'supervisor'] as const;

export const telephonyCommands = (services: Services) => {
  const { calls, operators, sms } = services.telephony;
  return [
    defineCommand({
      name: 'telephony:snapshot',
      access: [...staff, 'admin'],
      schema: z.object({}).strict(),
      handler: async (_p, { actor }) => ({
        calls: await calls.snapshotCalls(),
        operators: await operators.list(),
        conversations: await sms.listOpen(),
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
    defineCommand({
      name: 'operator:set-state',
      access: staff,
      schema: SetStatePayload,
      handler: (p, { actor }) => operators.setByHand(actor.userId!, p.state, p.reason ?? null),
    }),
    defineCommand({
      name: 'conversation:accept',
      access: staff,
      schema: ConversationPayload,
      handler: (p, { actor }) => sms.accept(p.conversationId, actor.userId!),
    }),
    defineCommand({
      name: 'conversation:decline',
      access: staff,
      schema: ConversationPayload,
      handler: (p, { actor }) => sms.passOn(p.conversationId, actor.userId!),
    }),
    defineCommand({
      name: 'conversation:messages',
      access: staff,
      schema: ConversationPayload,
      // A supervisor who opens a thread follows it live until they close it (or the socket goes).
      handler: (p, { actor, data, socket }) =>
        sms.messages(p.conversationId, actor, data.roles, (as) => as === 'supervisor' && socket.join(rooms.conversation(p.conversationId))),
    }),
    defineCommand({
      name: 'conversation:leave',
      access: staff,
      schema: ConversationPayload,
      handler: async (p, { socket }) => {
        await socket.leave(rooms.conversation(p.conversationId));
        return { ok: true as const };
      },
    }),
    defineCommand({ name: 'conversation:reply', access: staff, schema: ReplyPayload, handler: (p, { actor }) => sms.reply(p.conversationId, p.body, actor) }),
    defineCommand({
      name: 'conversation:close',
      access: staff,
      schema: ConversationPayload,
      handler: (p, { actor }) => sms.close(p.conversationId, 'operator', actor),
    }),
  ];
};
