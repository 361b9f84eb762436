// Socket commands for threads: take, pass on, read, reply, close.
import { ConversationPayload, ReplyPayload } from '@trustline/shared';
import type { Services } from '../../kernel.js';
import { defineCommand } from '../../realtime/commands.js';
import { rooms } from '../../realtime/rooms.js';

const staff = ['operator', 'supervisor'] as const;

export const conversationsCommands = ({ conversations }: Services) => [
  defineCommand({
    name: 'conversation:accept',
    access: staff,
    schema: ConversationPayload,
    handler: (p, { actor }) => conversations.accept(p.conversationId, actor.userId!),
  }),
  defineCommand({
    name: 'conversation:decline',
    access: staff,
    schema: ConversationPayload,
    handler: (p, { actor }) => conversations.passOn(p.conversationId, actor.userId!),
  }),
  defineCommand({
    name: 'conversation:messages',
    access: staff,
    schema: ConversationPayload,
    // A supervisor who opens a thread follows it live until they close it (or the socket goes).
    handler: (p, { actor, data, socket }) =>
      conversations.messages(p.conversationId, actor, data.roles, (as) => as === 'supervisor' && socket.join(rooms.conversation(p.conversationId))),
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
  defineCommand({
    name: 'conversation:reply',
    access: staff,
    schema: ReplyPayload,
    handler: (p, { actor }) => conversations.reply(p.conversationId, p.body, actor),
  }),
  defineCommand({
    name: 'conversation:close',
    access: staff,
    schema: ConversationPayload,
    handler: (p, { actor }) => conversations.close(p.conversationId, 'operator', actor),
  }),
];
