// Outbound messages: the seam other features use (sendToNumber), the 'sms.send' job that hands a
// message to the channel (its adapter's send) with retries, and delivery states that only move
// forward. STOP is checked before anything is queued and again before sending; the provider's
// opted-out error (Twilio's 21610) marks the number opted out.
import type { StuckMessages } from '@trustline/shared';
import { UnrecoverableError } from 'bullmq';
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import { rooms } from '../../realtime/rooms.js';
import type { DeliveryUpdate } from './channel.js';
import type { ConversationsContext } from './conversations.context.js';
import { messageStatusAdvances } from './delivery-states.js';

export interface SendToNumber {
  toPhone?: string;
  toSealed?: string;
  body: string;
  /** What the message is for, e.g. 'dispatch.offer' (kept with the message, shown in audit). */
  purpose: string;
  refId?: string;
  lineId?: string | null;
  senderId?: string | null;
  conversationId?: string | null;
  /** A reply goes by its thread's channel; anything else is an SMS to a phone number. */
  channel?: string;
}

type MessageRow = NonNullable<Awaited<ReturnType<ConversationsContext['repo']['findMessage']>>>;

export function delivery(ctx: ConversationsContext) {
  const { repo, transaction, events, phones } = ctx;
  const publishStatus = (m: { id: string; conversationId: string | null; status: string; errorCode: number | null }) =>
    ctx.emitter.to(rooms.queueWatchers()).emit('message:status', { id: m.id, conversationId: m.conversationId, status: m.status, errorCode: m.errorCode });

  const service = {
    /** The seam other features use to text anyone. Queued as a job; refuses opted-out numbers. */
    async sendToNumber(m: SendToNumber, tx?: Db): Promise<{ messageId: string }> {
      const phone = m.toPhone ?? (m.toSealed ? phones.decrypt(m.toSealed) : undefined);
      if (!phone) throw new DomainError('SMS_NO_RECIPIENT', 'toPhone or toSealed is required', 400);
      const peerHash = phones.hash(phone);
      const channel = m.channel ?? 'sms';
      const seg = ctx.adapterFor(channel).segments(m.body);
      const write = async (db: Db) => {
        if (await repo.isOptedOut(peerHash, db)) {
          throw new DomainError('SMS_OPTED_OUT', 'this number has opted out of SMS (STOP); it is never texted', 409);
        }
        return repo.createMessage(
          {
            direction: 'outbound',
            channel,
            peerHash,
            peerSealed: m.toSealed ?? phones.encrypt(phone),
            body: m.body,
            segments: seg.segments,
            encoding: seg.encoding,
            status: 'pending',
            purpose: m.purpose,
            refId: m.refId ?? null,
            lineId: m.lineId ?? null,
            senderId: m.senderId ?? null,
            conversationId: m.conversationId ?? null,
            mediaUrls: [],
            mediaTypes: [],
          },
          db,
        );
      };
      // The message and its send job commit together (the outbox): inside a caller's transaction
      // they go out once that commits and the caller kicks the outbox, or with the
      // outbox sweep at worst; the job is never lost between the commit and Redis.
      const writeWithJob = async (db: Db) => {
        const message = await write(db);
        await ctx.outbox.write([{ queue: 'telephony', name: 'sms.send', jobId: `sms-send-${message.id}`, data: { messageId: message.id } }], db);
        return message;
      };
      if (tx) return { messageId: (await writeWithJob(tx)).id };
      const message = await transaction(writeWithJob);
      ctx.outbox.kick();
      return { messageId: message.id };
    },

    /** Job: hand the message to the channel. Retries with backoff; the provider's opted-out error
     * (Twilio's 21610) marks the number opted out. */
    async deliver(messageId: string) {
      const m = await repo.findMessage(messageId);
      if (!m) throw new UnrecoverableError('message not found');
      if (m.status !== 'pending' || m.messageSid) return { skipped: m.status };
      const adapter = ctx.adapterFor(m.channel);
      const OPTED_OUT = adapter.optOut.providerError;
      if (await repo.isOptedOut(m.peerHash)) {
        await markFailed(m, OPTED_OUT);
        throw new UnrecoverableError('recipient opted out');
      }
      const from = await adapter.senderFor(m.lineId);
      const to = phones.decrypt(m.peerSealed);
      if (m.handoverAt) {
        // An earlier attempt began handing this message over and never recorded Twilio's answer:
        // its worker was killed, or the database failed just after. Twilio may have it already,
        // so it is asked before the message is sent again.
        const accepted = await adapter.findSent({ to, from, body: m.body, since: m.handoverAt });
        if (accepted) return { sid: (await recordAccepted(m.id, accepted)).messageSid, adopted: true };
      }
      // One hand-over at a time: a second job for the same message (a requeue racing a retry)
      // finds the claim taken and sends nothing.
      if (!(await repo.claimHandover(m.id, m.handoverAt, ctx.now()))) return { skipped: 'handover-in-progress' };
      try {
        const res = await adapter.send({ messageId: m.id, to, from, body: m.body });
        await recordAccepted(m.id, res);
        return { sid: res.externalId };
      } catch (err) {
        const code = (err as { code?: number }).code;
        const status = (err as { status?: number }).status;
        if (code === OPTED_OUT) {
          await transaction((tx) => repo.optOut(m.peerHash, adapter.optOut.providerKeyword, tx));
          await markFailed(m, code);
          throw new UnrecoverableError('recipient opted out (21610)');
        }
        if (status && status >= 400 && status < 500 && status !== 429) {
          await markFailed(m, code ?? null);
          throw new UnrecoverableError(`Twilio refused the message (${code ?? status})`);
        }
        throw err;
      }
    },

    /** A delivery status from the channel (POST /twilio/sms/status, normalised by the adapter).
     * Only moves forward; the provider's opted-out error also records the opt-out. */
    async statusCallback(messageId: string | undefined, p: DeliveryUpdate) {
      const { status, errorCode } = p;
      const result = await transaction(async (tx) => {
        const m =
          (messageId ? await repo.findMessage(messageId, tx).catch(() => null) : null) ?? (p.externalId ? await repo.findMessageBySid(p.externalId, tx) : null);
        if (!m) return null;
        const { optOut } = ctx.adapterFor(m.channel);
        if (errorCode === optOut.providerError) await repo.optOut(m.peerHash, optOut.providerKeyword, tx);
        if (!messageStatusAdvances(m.status, status)) return null;
        const updated = await repo.updateMessage(
          m.id,
          { status, errorCode: errorCode ?? m.errorCode, ...(m.messageSid ? {} : p.externalId ? { messageSid: p.externalId } : {}) },
          tx,
        );
        return updated;
      });
      if (!result) return;
      publishStatus(result);
      await events.emitAfter('sms.status-changed', {
        messageId: result.id,
        status: result.status,
        errorCode: result.errorCode,
        purpose: result.purpose,
        refId: result.refId,
      });
    },

    /** Reconcile: a message still pending a minute after it was written is queued again, unless
     * its job is still waiting or retrying. A job that failed (no sender then, Twilio down) or was
     * lost is removed first, because BullMQ ignores an add whose id it still holds; one id per
     * message keeps two jobs from sending the same message at once. */
    async requeuePending() {
      const rows = await repo.pendingMessagesOlderThan(new Date(Date.now() - 60_000));
      let requeued = 0;
      for (const r of rows) {
        const jobId = `sms-send-${r.id}`;
        const job = await ctx.findJob(jobId);
        if (job) {
          const state = await job.getState();
          if (state !== 'failed' && state !== 'completed') continue;
          await job.remove();
        }
        await ctx.enqueue('sms.send', { messageId: r.id }, { jobId });
        requeued++;
      }
      return requeued;
    },

    /** Outbound SMS still not handed to Twilio two minutes after they were written, oldest first
     * (the reconcile schedule keeps retrying them; supervisors see them meanwhile). */
    async stuckMessages(): Promise<StuckMessages> {
      const olderThanSeconds = 120;
      const before = new Date(ctx.now().getTime() - olderThanSeconds * 1000);
      const [rows, total] = await Promise.all([repo.stuckOutbound(before, 50), repo.countStuckOutbound(before)]);
      const messages = await Promise.all(
        rows.map(async (m) => ({
          id: m.id,
          purpose: m.purpose,
          refId: m.refId,
          conversationId: m.conversationId,
          lineName: (await ctx.lines.byId(m.lineId))?.name ?? null,
          createdAt: m.createdAt.toISOString(),
          handoverAt: m.handoverAt?.toISOString() ?? null,
        })),
      );
      return { total, olderThanSeconds, messages };
    },
  };

  /** The provider took the message: its id, and its status if that moves forward. */
  async function recordAccepted(id: string, res: { externalId: string; status: string }) {
    const updated = await transaction(async (tx) => {
      const cur = await repo.findMessage(id, tx);
      return repo.updateMessage(id, { messageSid: res.externalId, ...(messageStatusAdvances(cur?.status, res.status) ? { status: res.status } : {}) }, tx);
    });
    publishStatus(updated);
    return updated;
  }

  async function markFailed(m: MessageRow, errorCode: number | null) {
    const updated = await repo.updateMessage(m.id, { status: 'failed', errorCode });
    publishStatus(updated);
    await events.emitAfter('sms.status-changed', { messageId: m.id, status: 'failed', errorCode, purpose: m.purpose, refId: m.refId });
  }

  return service;
}
