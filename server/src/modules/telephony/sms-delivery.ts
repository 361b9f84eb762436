// Outbound SMS: the seam other features use (sendToNumber), the 'sms.send' job that hands a
// message to Twilio with retries, and delivery states that only move forward. STOP is checked
// before anything is queued and again before sending; Twilio's 21610 marks the number opted out.
import { UnrecoverableError } from 'bullmq';
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import { segmentInfo, TWILIO_OPTED_OUT_ERROR } from './sms-text.js';
import { messageStatusAdvances } from './status-rank.js';
import { rooms } from '../../realtime/rooms.js';
import type { TelephonyContext } from './telephony.context.js';

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
}

type MessageRow = NonNullable<Awaited<ReturnType<TelephonyContext['sms']['findMessage']>>>;

export function smsDelivery(ctx: TelephonyContext) {
  const { sms: repo, transaction, events, phones } = ctx;
  const statusCallbackUrl = (messageId: string) => `${ctx.gateway.publicUrl}/twilio/sms/status?m=${messageId}`;
  const publishStatus = (m: { id: string; conversationId: string | null; status: string; errorCode: number | null }) =>
    ctx.emitter.to(rooms.queueWatchers()).emit('message:status', { id: m.id, conversationId: m.conversationId, status: m.status, errorCode: m.errorCode });

  const delivery = {
    /** The seam other features use to text anyone. Queued as a job; refuses opted-out numbers. */
    async sendToNumber(m: SendToNumber, tx?: Db): Promise<{ messageId: string }> {
      const phone = m.toPhone ?? (m.toSealed ? phones.decrypt(m.toSealed) : undefined);
      if (!phone) throw new DomainError('SMS_NO_RECIPIENT', 'toPhone or toSealed is required', 400);
      const peerHash = phones.hash(phone);
      const seg = segmentInfo(m.body);
      const write = async (db: Db) => {
        if (await repo.isOptedOut(peerHash, db)) {
          throw new DomainError('SMS_OPTED_OUT', 'this number has opted out of SMS (STOP); it is never texted', 409);
        }
        return repo.createMessage(
          {
            direction: 'outbound',
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
      // they go out once that commits and the caller kicks the relay (dispatchQueued), or with the
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

    /** After the commit of another feature's transaction that queued a message: relay its send
     * job now (the outbox sweep would within two seconds). */
    async dispatchQueued(_messageId: string) {
      ctx.outbox.kick();
    },

    /** Job: hand the message to Twilio. Retries with backoff; 21610 marks the number opted out. */
    async deliver(messageId: string) {
      const m = await repo.findMessage(messageId);
      if (!m) throw new UnrecoverableError('message not found');
      if (m.status !== 'pending' || m.messageSid) return { skipped: m.status };
      if (await repo.isOptedOut(m.peerHash)) {
        await markFailed(m, TWILIO_OPTED_OUT_ERROR);
        throw new UnrecoverableError('recipient opted out');
      }
      // A worker process has never seen a webhook: the line is read from the database if need be.
      // Its own line, else TWILIO_SMS_FROM, else the first active line.
      const line = (await ctx.lines.byId(m.lineId)) ?? (ctx.config.smsFrom ? null : await ctx.lines.sender(null));
      const from = line?.number ?? ctx.config.smsFrom;
      // Not unrecoverable: the message stays pending, the job retries with backoff, and once its
      // attempts are spent the reconcile schedule queues it again (a line may be added meanwhile).
      if (!from) throw new Error('no sender number: add a line or set TWILIO_SMS_FROM');
      const to = phones.decrypt(m.peerSealed);
      if (m.handoverAt) {
        // An earlier attempt began handing this message over and never recorded Twilio's answer:
        // its worker was killed, or the database failed just after. Twilio may have it already,
        // so it is asked before the message is sent again.
        const accepted = await ctx.gateway.findAccepted({ to, from, body: m.body, since: m.handoverAt });
        if (accepted) return { sid: (await recordAccepted(m.id, accepted)).messageSid, adopted: true };
      }
      // One hand-over at a time: a second job for the same message (a requeue racing a retry)
      // finds the claim taken and sends nothing.
      if (!(await repo.claimHandover(m.id, m.handoverAt, ctx.now()))) return { skipped: 'handover-in-progress' };
      try {
        const res = await ctx.gateway.sendSms({ to, from, body: m.body, statusCallback: statusCallbackUrl(m.id) });
        await recordAccepted(m.id, res);
        return { sid: res.sid };
      } catch (err) {
        const code = (err as { code?: number }).code;
        const status = (err as { status?: number }).status;
        if (code === TWILIO_OPTED_OUT_ERROR) {
          await transaction((tx) => repo.optOut(m.peerHash, 'twilio-21610', tx));
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

    /** POST /twilio/sms/status. Only moves forward; 21610 also records the opt-out. */
    async statusCallback(messageId: string | undefined, p: { MessageSid?: string; MessageStatus?: string; SmsStatus?: string; ErrorCode?: string }) {
      const status = p.MessageStatus ?? p.SmsStatus ?? '';
      const errorCode = p.ErrorCode ? Number.parseInt(p.ErrorCode, 10) || null : null;
      const result = await transaction(async (tx) => {
        const m =
          (messageId ? await repo.findMessage(messageId, tx).catch(() => null) : null) ?? (p.MessageSid ? await repo.findMessageBySid(p.MessageSid, tx) : null);
        if (!m) return null;
        if (errorCode === TWILIO_OPTED_OUT_ERROR) await repo.optOut(m.peerHash, 'twilio-21610', tx);
        if (!messageStatusAdvances(m.status, status)) return null;
        const updated = await repo.updateMessage(
          m.id,
          { status, errorCode: errorCode ?? m.errorCode, ...(m.messageSid ? {} : p.MessageSid ? { messageSid: p.MessageSid } : {}) },
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
  };

  /** Twilio took the message: its sid, and its status if that moves forward. */
  async function recordAccepted(id: string, res: { sid: string; status: string }) {
    const updated = await transaction(async (tx) => {
      const cur = await repo.findMessage(id, tx);
      return repo.updateMessage(id, { messageSid: res.sid, ...(messageStatusAdvances(cur?.status, res.status) ? { status: res.status } : {}) }, tx);
    });
    publishStatus(updated);
    return updated;
  }

  async function markFailed(m: MessageRow, errorCode: number | null) {
    const updated = await repo.updateMessage(m.id, { status: 'failed', errorCode });
    publishStatus(updated);
    await events.emitAfter('sms.status-changed', { messageId: m.id, status: 'failed', errorCode, purpose: m.purpose, refId: m.refId });
  }

  return delivery;
}
