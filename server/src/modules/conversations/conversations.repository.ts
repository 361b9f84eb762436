// Conversations, messages and opt-outs: the only Prisma user for conversations.
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';

export function conversationsRepository(db: Db) {
  return {
    findMessage(id: string, tx: Db = db) {
      return tx.message.findUnique({ where: { id } });
    },
    findMessageBySid(messageSid: string, tx: Db = db) {
      return tx.message.findUnique({ where: { messageSid } });
    },
    async insertMessageOnce(data: Prisma.MessageCreateManyInput, tx: Db = db) {
      const inserted = await tx.message.createMany({ data: [data], skipDuplicates: true });
      return inserted.count === 1;
    },
    createMessage(data: Prisma.MessageCreateManyInput, tx: Db = db) {
      return tx.message.create({ data });
    },
    updateMessage(id: string, data: Prisma.MessageUpdateInput, tx: Db = db) {
      return tx.message.update({ where: { id }, data });
    },
    /** Marks the start of a hand-over to Twilio, if the message is as this worker read it: still
     * pending, no sid, and the same earlier hand-over (or none). False: another attempt has it. */
    async claimHandover(id: string, seen: Date | null, at: Date, tx: Db = db) {
      const claimed = await tx.message.updateMany({ where: { id, status: 'pending', messageSid: null, handoverAt: seen }, data: { handoverAt: at } });
      return claimed.count === 1;
    },
    /** Outbound messages not handed to Twilio after `before`, oldest first: what supervisors see as stuck. */
    stuckOutbound(before: Date, take: number, tx: Db = db) {
      return tx.message.findMany({
        where: { direction: 'outbound', status: 'pending', createdAt: { lt: before } },
        select: { id: true, purpose: true, refId: true, conversationId: true, lineId: true, createdAt: true, handoverAt: true, errorCode: true },
        orderBy: { createdAt: 'asc' },
        take,
      });
    },
    countStuckOutbound(before: Date, tx: Db = db) {
      return tx.message.count({ where: { direction: 'outbound', status: 'pending', createdAt: { lt: before } } });
    },
    pendingMessagesOlderThan(before: Date, tx: Db = db) {
      return tx.message.findMany({ where: { direction: 'outbound', status: 'pending', createdAt: { lt: before } }, select: { id: true }, take: 500 });
    },
    messagesOf(conversationId: string, tx: Db = db) {
      return tx.message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' }, take: 1000 });
    },
    /** Messages per conversation, for the queue's counts (ids with none are left out). */
    async messageCounts(conversationIds: string[], tx: Db = db) {
      if (!conversationIds.length) return new Map<string, number>();
      const rows = await tx.message.groupBy({ by: ['conversationId'], where: { conversationId: { in: conversationIds } }, _count: { _all: true } });
      return new Map(rows.map((r) => [r.conversationId!, r._count._all]));
    },
    findOpenConversation(channel: string, peerHash: string, lineId: string | null, tx: Db = db) {
      return tx.conversation.findFirst({ where: { channel, peerHash, lineId, status: 'open' }, orderBy: { openedAt: 'desc' } });
    },
    findConversation(id: string, tx: Db = db) {
      return tx.conversation.findUnique({ where: { id } });
    },
    createConversation(data: Prisma.ConversationCreateManyInput, tx: Db = db) {
      return tx.conversation.create({ data });
    },
    updateConversation(id: string, data: Prisma.ConversationUpdateInput, tx: Db = db) {
      return tx.conversation.update({ where: { id }, data });
    },
    async updateConversationWhere(where: Prisma.ConversationWhereInput & { id: string }, data: Prisma.ConversationUpdateManyMutationInput, tx: Db = db) {
      return (await tx.conversation.updateMany({ where, data })).count;
    },
    /** Operators with a thread ringing for them now: no second thread rings until it is decided. */
    async ringingOperators(tx: Db = db): Promise<string[]> {
      const rows = await tx.$queryRaw<{ offeredTo: string }[]>`
        SELECT DISTINCT c."offeredTo" FROM "Conversation" c
        WHERE c."offeredTo" IS NOT NULL AND c."operatorId" IS NULL AND c.status = 'open' AND c."offerExpiresAt" > now()`;
      return rows.map((r) => r.offeredTo);
    },
    unassignedConversations(tx: Db = db) {
      return tx.conversation.findMany({
        where: { status: 'open', operatorId: null, OR: [{ offeredTo: null }, { offerExpiresAt: { lt: new Date() } }] },
        orderBy: { lastMessageAt: 'asc' },
        select: { id: true },
        take: 100,
      });
    },
    openConversations(tx: Db = db) {
      return tx.conversation.findMany({ where: { status: 'open' }, orderBy: { lastMessageAt: 'desc' }, take: 500 });
    },
    async isOptedOut(peerHash: string, tx: Db = db) {
      return (await tx.optOut.count({ where: { peerHash } })) > 0;
    },
    optedOutAmong(peerHashes: string[], tx: Db = db) {
      return tx.optOut.findMany({ where: { peerHash: { in: peerHashes } }, select: { peerHash: true } });
    },
    optOut(peerHash: string, keyword: string, tx: Db = db) {
      return tx.optOut.upsert({ where: { peerHash }, create: { peerHash, keyword }, update: {} });
    },
    optIn(peerHash: string, tx: Db = db) {
      return tx.optOut.deleteMany({ where: { peerHash } });
    },
  };
}
export type ConversationsRepository = ReturnType<typeof conversationsRepository>;
