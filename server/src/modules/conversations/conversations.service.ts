// Conversations: inbound messages form threads (one open thread per sender and line), offered
// to operators (services.operators picks who), taken by one, replied to through the outbound
// path (delivery.ts), and closed by the operator or after silence. The channel's own rules
// (webhook shape, opt-out keywords, segments, sending) are its adapter's (channel.ts).
//
// Seams for other features (services.sms):
//   - sendToNumber({ toPhone | toSealed, body, purpose, refId }): queue an SMS to anyone (dispatch
//     tells providers and recipients this way). Returns the message id; refuses opted-out numbers.
//   - interceptInbound(name, fn): a feature claims inbound SMS it recognises (dispatch's "ДА 123"),
//     inside the webhook's transaction; a claimed message opens no conversation.
import type { ConversationSummary, MessageSummary } from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import type { Actor } from '../audit/audit.service.js';
import { rooms } from '../../realtime/rooms.js';
import type { InboundMessage } from './channel.js';
import type { ConversationsContext } from './conversations.context.js';
import { delivery as outbound, type SendToNumber } from './delivery.js';

export type { SendToNumber };

export interface InboundSms {
  messageId: string;
  messageSid: string;
  lineId: string | null;
  peerHash: string;
  /** Sealed sender number (services.phones.decrypt server-side only, audited). */
  peerSealed: string;
  body: string;
  mediaUrls: string[];
  receivedAt: Date;
}
/** Return a truthy claim to take the message away from the conversation flow. */
export type InboundInterceptor = (sms: InboundSms, tx: Db) => Promise<boolean>;

type MessageRow = NonNullable<Awaited<ReturnType<ConversationsContext['repo']['findMessage']>>>;
type ConversationRow = NonNullable<Awaited<ReturnType<ConversationsContext['repo']['findConversation']>>>;

export function conversationsService(ctx: ConversationsContext) {
  const { repo, transaction, events, phones, audit } = ctx;
  const interceptors: { name: string; fn: InboundInterceptor }[] = [];

  const messageSummary = (m: MessageRow): MessageSummary => ({
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    body: m.body,
    numMedia: m.numMedia,
    mediaUrls: m.mediaUrls,
    segments: m.segments,
    encoding: m.encoding,
    status: m.status,
    errorCode: m.errorCode,
    senderId: m.senderId,
    createdAt: m.createdAt.toISOString(),
  });
  /** The texter by label and earlier contacts before the thread opened; never a digit of the number. */
  const conversationSummary = async (c: ConversationRow, optedOut = false, messageCount = 0): Promise<ConversationSummary> => ({
    id: c.id,
    lineId: c.lineId,
    peer: await ctx.callers.info(c.peerHash, c.openedAt, { conversationId: c.id }),
    status: c.status,
    operatorId: c.operatorId,
    offeredTo: c.offeredTo,
    openedAt: c.openedAt.toISOString(),
    lastMessageAt: c.lastMessageAt.toISOString(),
    messageCount,
    optedOut,
  });
  /** The summary with its opt-out flag and message count as they are now. */
  async function summarize(c: ConversationRow) {
    const [optedOut, counts] = await Promise.all([repo.isOptedOut(c.peerHash), repo.messageCounts([c.id])]);
    return conversationSummary(c, optedOut, counts.get(c.id) ?? 0);
  }

  async function publishConversation(c: ConversationRow) {
    ctx.publishConversation(await summarize(c));
  }

  const delivery = outbound(ctx);
  const service = {
    messageSummary,
    conversationSummary,

    interceptInbound(name: string, fn: InboundInterceptor) {
      interceptors.push({ name, fn });
    },

    /** An inbound message, normalised by the channel's adapter (the SMS webhook: sms/sms.webhooks.ts).
     * Idempotent on the channel's message id; answers after the commit. `receivedAt` is set when a
     * spooled text is recorded late (inbound-spool.ts), so the thread keeps its order. */
    async inbound(p: InboundMessage, receivedAt?: Date) {
      const line = await ctx.lines.byNumber(p.to);
      const { body, numMedia, mediaUrls, mediaTypes } = p;
      const { channel } = p;
      const adapter = ctx.adapterFor(channel);
      const peerHash = phones.hash(p.from);
      const seg = adapter.segments(body);
      const result = await transaction(async (tx) => {
        if (await repo.findMessageBySid(p.externalId, tx)) return null;
        const keyword = adapter.optOut.keywordOf(body);
        if (keyword?.kind === 'opt-out') await repo.optOut(peerHash, keyword.keyword, tx);
        if (keyword?.kind === 'opt-in') await repo.optIn(peerHash, tx);
        const peerSealed = phones.encrypt(p.from);
        const message = await repo.createMessage(
          {
            messageSid: p.externalId,
            channel,
            lineId: line?.id ?? null,
            direction: 'inbound',
            peerHash,
            peerSealed,
            body,
            numMedia,
            mediaUrls,
            mediaTypes,
            segments: p.segments ?? seg.segments,
            encoding: seg.encoding,
            status: 'received',
            ...(receivedAt && { createdAt: receivedAt }),
          },
          tx,
        );
        const sms: InboundSms = {
          messageId: message.id,
          messageSid: p.externalId,
          lineId: line?.id ?? null,
          peerHash,
          peerSealed,
          body,
          mediaUrls,
          receivedAt: message.createdAt,
        };
        let claimedBy: string | null = null;
        if (!keyword) {
          for (const i of interceptors) {
            if (await i.fn(sms, tx)) {
              claimedBy = i.name;
              break;
            }
          }
        }
        let conversation: ConversationRow | null = null;
        let created = false;
        if (claimedBy) {
          await repo.updateMessage(message.id, { claimedBy }, tx);
        } else {
          conversation = await repo.findOpenConversation(channel, peerHash, line?.id ?? null, tx);
          if (!conversation) {
            conversation = await repo.createConversation({ channel, lineId: line?.id ?? null, peerHash, peerSealed }, tx);
            created = true;
            await events.emitWithin('conversation.created', { conversationId: conversation.id, channel, lineId: conversation.lineId, peerHash }, tx);
          } else {
            conversation = await repo.updateConversation(conversation.id, { lastMessageAt: message.createdAt }, tx);
          }
          await repo.updateMessage(message.id, { conversation: { connect: { id: conversation.id } } }, tx);
        }
        const received = { messageId: message.id, conversationId: conversation?.id ?? null, lineId: line?.id ?? null, peerHash, claimedBy };
        return { message: { ...message, conversationId: conversation?.id ?? null, claimedBy }, conversation, created, received };
      });
      if (!result) return { duplicate: true };
      if (result.conversation) {
        await publishConversation(result.conversation);
        ctx.publishMessage(messageSummary(result.message), result.conversation.operatorId);
        await ctx.enqueue(
          'conversation.silence',
          { conversationId: result.conversation.id },
          {
            jobId: `silence-${result.conversation.id}-${result.message.createdAt.getTime()}`,
            delay: ctx.config.smsSilenceMs,
          },
        );
      }
      if (result.conversation && !result.conversation.operatorId) await service.route(result.conversation.id);
      if (result.created)
        await events.emitAfter('conversation.created', {
          conversationId: result.conversation!.id,
          channel,
          lineId: result.conversation!.lineId,
          peerHash,
        });
      await events.emitAfter('sms.received', result.received);
      return { duplicate: false, messageId: result.message.id, conversationId: result.conversation?.id ?? null };
    },

    /** Offers an unassigned thread to the longest-idle available operator (services.operators),
     * as calls are offered: not to one who declined it, nor to one with a thread ringing already. */
    async route(conversationId: string) {
      const offered = await transaction(async (tx) => {
        await ctx.operators.lockRouting(tx);
        const c = await repo.findConversation(conversationId, tx);
        if (!c || c.status !== 'open' || c.operatorId) return null;
        if (c.offeredTo && c.offerExpiresAt && c.offerExpiresAt > ctx.now()) return null;
        const operatorId = await ctx.operators.nextCandidate({ exclude: [...c.declinedBy, ...(await repo.ringingOperators(tx))] }, tx);
        if (!operatorId) return c.offeredTo ? repo.updateConversation(c.id, { offeredTo: null, offerExpiresAt: null }, tx) : null;
        return repo.updateConversation(c.id, { offeredTo: operatorId, offerExpiresAt: new Date(ctx.now().getTime() + ctx.config.offerTimeoutMs) }, tx);
      });
      if (!offered) return null;
      await publishConversation(offered);
      if (!offered.offeredTo) return null;
      const summary = await summarize(offered);
      ctx.emitter.to(rooms.user(offered.offeredTo)).emit('conversation:offered', { conversation: summary, expiresAt: offered.offerExpiresAt!.toISOString() });
      await ctx.enqueue(
        'conversation.offer-expire',
        { conversationId },
        { jobId: `conv-offer-${conversationId}-${offered.offerExpiresAt!.getTime()}`, delay: ctx.config.offerTimeoutMs },
      );
      return offered.offeredTo;
    },

    /** Declined, or the ring ran out (job): the thread moves on to the next operator. */
    async passOn(conversationId: string, operatorId: string | null) {
      const moved = await transaction(async (tx) => {
        const c = await repo.findConversation(conversationId, tx);
        if (!c || c.operatorId || !c.offeredTo) return false;
        if (operatorId ? c.offeredTo !== operatorId : c.offerExpiresAt && c.offerExpiresAt > ctx.now()) return false;
        await repo.updateConversation(c.id, { offeredTo: null, offerExpiresAt: null, declinedBy: [...c.declinedBy, c.offeredTo] }, tx);
        return true;
      });
      if (moved) await service.route(conversationId);
      return { ok: true as const };
    },

    async routeWaiting() {
      for (const c of await repo.unassignedConversations()) if (!(await service.route(c.id))) break;
    },

    async listOpen() {
      const rows = await repo.openConversations();
      const [optedOut, counts] = await Promise.all([repo.optedOutAmong(rows.map((r) => r.peerHash)), repo.messageCounts(rows.map((r) => r.id))]);
      const opted = new Set(optedOut.map((o) => o.peerHash));
      return Promise.all(rows.map((r) => conversationSummary(r, opted.has(r.peerHash), counts.get(r.id) ?? 0)));
    },

    /** A thread's texts, audited. Only the operator holding it, or a supervisor who opens it on
     * purpose: a waiting thread's words are not for every operator on shift. `onAllowed` runs after
     * the check and before the read (the socket joins the thread's room there, so no live message
     * falls between the read and the join). */
    async messages(conversationId: string, actor: Actor, roles: readonly string[], onAllowed?: (as: 'holder' | 'supervisor') => unknown) {
      const c = await repo.findConversation(conversationId);
      if (!c) throw notFound('conversation');
      const as = c.operatorId && c.operatorId === actor.userId ? 'holder' : roles.includes('supervisor') ? 'supervisor' : null;
      if (!as)
        throw new DomainError('CONVERSATION_NOT_YOURS', 'only the operator who took this conversation, or a supervisor, may read it; take it first', 403);
      await audit.record(actor, 'telephony.conversation.read', { entity: 'Conversation', entityId: c.id, detail: { as } });
      await onAllowed?.(as);
      return (await repo.messagesOf(conversationId)).map(messageSummary);
    },

    /** An operator takes the conversation; one operator only. */
    async accept(conversationId: string, operatorId: string) {
      const c = await transaction(async (tx) => {
        const n = await repo.updateConversationWhere(
          { id: conversationId, status: 'open', operatorId: null },
          { operatorId, offeredTo: null, offerExpiresAt: null },
          tx,
        );
        const row = await repo.findConversation(conversationId, tx);
        if (!row) throw notFound('conversation');
        if (n === 0 && row.operatorId !== operatorId) throw new DomainError('CONVERSATION_ALREADY_TAKEN', 'another operator has this conversation', 409);
        if (n === 1) await events.emitWithin('conversation.assigned', { conversationId, channel: row.channel, operatorId }, tx);
        return row;
      });
      await publishConversation(c);
      await events.emitAfter('conversation.assigned', { conversationId, channel: c.channel, operatorId });
      return summarize(c);
    },

    async reply(conversationId: string, body: string, actor: Actor) {
      const c = await repo.findConversation(conversationId);
      if (!c) throw notFound('conversation');
      if (c.operatorId && c.operatorId !== actor.userId) throw new DomainError('CONVERSATION_ALREADY_TAKEN', 'another operator has this conversation', 409);
      const { messageId } = await delivery.sendToNumber({
        toSealed: c.peerSealed,
        body,
        purpose: 'conversation.reply',
        refId: c.id,
        lineId: c.lineId,
        senderId: actor.userId,
        conversationId: c.id,
        channel: c.channel,
      });
      const { m, holderId } = await transaction(async (tx) => {
        if (!c.operatorId) await repo.updateConversationWhere({ id: c.id, operatorId: null }, { operatorId: actor.userId }, tx);
        const row = await repo.updateConversation(c.id, { lastMessageAt: new Date() }, tx);
        await audit.record(actor, 'telephony.sms.reply', { entity: 'Conversation', entityId: c.id, detail: { messageId } }, tx);
        return { m: await repo.findMessage(messageId, tx), holderId: row.operatorId };
      });
      const summary = messageSummary(m!);
      ctx.publishMessage(summary, holderId);
      return summary;
    },

    async close(conversationId: string, reason: 'operator' | 'silence', actor: Actor) {
      const c = await transaction(async (tx) => {
        const n = await repo.updateConversationWhere(
          { id: conversationId, status: 'open' },
          { status: 'closed', closedAt: new Date(), closeReason: reason },
          tx,
        );
        const row = await repo.findConversation(conversationId, tx);
        if (!row) throw notFound('conversation');
        if (n === 1) {
          await audit.record(actor, 'telephony.conversation.close', { entity: 'Conversation', entityId: conversationId, detail: { reason } }, tx);
        }
        return { row, closed: n === 1 };
      });
      if (c.closed) {
        await publishConversation(c.row);
        await events.emitAfter('conversation.closed', { conversationId, reason });
      }
      return summarize(c.row);
    },

    /** Job: close after the configured silence, unless a newer message came. */
    async closeIfSilent(conversationId: string, actor: Actor) {
      const c = await repo.findConversation(conversationId);
      if (!c || c.status !== 'open') return;
      if (ctx.now().getTime() - c.lastMessageAt.getTime() < ctx.config.smsSilenceMs - 50) return;
      await service.close(conversationId, 'silence', actor);
    },
  };

  return Object.assign(service, delivery);
}
export type ConversationsService = ReturnType<typeof conversationsService>;
