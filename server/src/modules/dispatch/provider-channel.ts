// The provider's side, who has no account: the offer SMS handed to telephony, SMS answers claimed
// from telephony's inbound webhook, delivery states, the recipient's SMS, and the signed link page.
import type { Db } from '../../db/tx.js';
import { isOpen, type DispatchCore } from './dispatch.core.js';
import { parseProviderReply, type ProviderAnswer } from './sms-replies.js';
import { offerSmsText, recipientSmsText } from './sms-texts.js';

type Answer = (
  offerId: string,
  answer: ProviderAnswer | 'in_progress' | 'note',
  via: 'sms' | 'link',
  note?: string | null,
) => Promise<{ ok: true; state: string } | { ok: false; reason: string }>;

export function providerChannel(core: DispatchCore, answer: Answer) {
  const { repo, sms, links, settings, log, outbox } = core.deps;
  const { run, step, names, offerNext } = core;
  const service = { answer };
  const channel = {
    /** Telephony's inbound interceptor, inside its webhook transaction: claims "ДА 123" from the
     * phone the offer went to, and queues the answer (outbox) to run after that commit. Anything
     * else, including a right-looking reply from another number, stays a conversation that an
     * operator reads: a person in crisis texting "да 123" must not vanish. */
    async claimProviderSms(sms: { messageId: string; peerHash: string; body: string }, tx: Db) {
      const parsed = parseProviderReply(sms.body);
      if (!parsed) return false;
      for (const o of await repo.openOffersByCode(parsed.code, tx)) {
        const phone = o.phoneId ? await repo.phone(o.phoneId, tx) : null;
        if (phone?.numberHash !== sms.peerHash) continue;
        await outbox.write(
          [
            {
              queue: 'dispatch',
              name: 'provider.reply',
              jobId: `provider-reply-${sms.messageId}`,
              data: { offerId: o.id, answer: parsed.answer, messageId: sms.messageId },
            },
          ],
          tx,
        );
        return true;
      }
      return false;
    },

    /** Job: apply a provider's SMS answer, then confirm by SMS (once per inbound message). */
    async applyProviderSms(offerId: string, answer: ProviderAnswer, messageId: string) {
      const res = await service.answer(offerId, answer, 'sms');
      log.info({ offerId, answer, ok: res.ok }, 'provider answered by SMS');
      const offer = await repo.findOffer(offerId);
      const phone = offer?.phoneId ? await repo.phone(offer.phoneId) : null;
      if (!offer || !phone) return res;
      const text = res.ok
        ? `Принято: ${offer.code}. Спасибо. / Received, thank you.`
        : `Код ${offer.code}: запрос уже закрыт или передан другому. / No longer open.`;
      await run(async (tx) => {
        if (await repo.hasEvent(offer.dispatchId, 'reply_sent', messageId, tx)) return null;
        const q = await sms.queue({ toSealed: phone.numberEnc, body: text, purpose: 'dispatch.reply', refId: offerId }, tx);
        await repo.addEvent({ dispatchId: offer.dispatchId, type: 'reply_sent', serviceId: offer.serviceId, detail: { key: messageId } }, tx);
        return 'messageId' in q ? q.messageId : null;
      });
      return res;
    },

    /** Delivery states of offer SMS, from telephony's status callbacks. */
    async offerSmsStatus(offerId: string, status: string) {
      const offer = await repo.findOffer(offerId);
      if (!offer) return;
      await run(async (tx, post) => {
        await repo.updateOffer(offerId, { smsStatus: status }, tx);
        if (status === 'delivered' || status === 'failed' || status === 'undelivered')
          await step(tx, offer.dispatch, `sms_${status}`, { serviceId: offer.serviceId });
        post.cards.add(offer.dispatchId);
      });
    },

    // ─── Jobs (dispatch.jobs.ts) ───────────────────────────────────────────
    /** Job: hand the offer SMS to telephony, inside a transaction that marks it handed over. */
    async sendOfferSms(offerId: string) {
      const first = await repo.findOffer(offerId);
      if (!first || first.state !== 'pending' || first.smsStatus !== 'queued') return 'skipped';
      const link = `${settings.publicUrl}/p/offer/${links.sign(first.id, new Date(first.deadline.getTime() + settings.linkTtlMs))}`;
      const result = await run(async (tx, post) => {
        await repo.lock(first.dispatchId, tx);
        const offer = await repo.findOffer(offerId, tx);
        if (!offer || offer.state !== 'pending' || offer.smsStatus !== 'queued') return { status: 'skipped' as const };
        const phone = offer.phoneId ? await repo.phone(offer.phoneId, tx) : null;
        if (!phone) return { status: 'no-phone' as const };
        const q = await sms.queue(
          { toSealed: phone.numberEnc, body: offerSmsText(offer.dispatch, offer.code, link), purpose: 'dispatch.offer', refId: offer.id },
          tx,
        );
        post.cards.add(offer.dispatchId);
        if ('optedOut' in q) {
          await repo.updateOffer(offer.id, { smsStatus: 'opted-out', state: 'expired' }, tx);
          await step(tx, offer.dispatch, 'sms_opted_out', { serviceId: offer.serviceId });
          await offerNext(tx, post, (await repo.find(offer.dispatchId, tx))!);
          return { status: 'opted-out' as const };
        }
        await repo.updateOffer(offer.id, { smsStatus: 'pending', smsAttempts: { increment: 1 } }, tx);
        await step(tx, offer.dispatch, 'sms_queued', { serviceId: offer.serviceId });
        return { status: 'queued' as const, messageId: q.messageId };
      });
      return result.status;
    },

    async notifyRecipient(offerId: string) {
      const provider = await (async () => {
        const o = await repo.findOffer(offerId);
        return o ? ((await names([o.serviceId])).get(o.serviceId) ?? '') : '';
      })();
      const res = await run(async (tx) => {
        const offer = await repo.findOffer(offerId, tx);
        if (!offer || offer.state !== 'accepted' || !offer.dispatch.recipientPhoneEnc || !offer.dispatch.notifyRecipient) return null;
        if (await repo.hasEvent(offer.dispatchId, 'recipient_told', offerId, tx)) return null;
        const q = await sms.queue(
          {
            toSealed: offer.dispatch.recipientPhoneEnc,
            body: recipientSmsText(offer.dispatch, provider),
            purpose: 'dispatch.recipient',
            refId: offer.dispatchId,
          },
          tx,
        );
        await step(tx, offer.dispatch, 'optedOut' in q ? 'recipient_opted_out' : 'recipient_told', { serviceId: offer.serviceId, detail: { key: offerId } });
        return 'messageId' in q ? q.messageId : null;
      });
      return res ? 'queued' : 'skipped';
    },

    async linkView(token: string) {
      const check = links.verify(token);
      if (!check.ok) return { ok: false as const, reason: check.reason };
      const offer = await repo.findOffer(check.offerId);
      if (!offer) return { ok: false as const, reason: 'tampered' as const };
      const d = offer.dispatch;
      const open = d.currentOfferId === offer.id && isOpen(d.state) && (offer.state === 'pending' || offer.state === 'accepted') && !offer.linkClosedAt;
      if (!open) return { ok: false as const, reason: 'used' as const, state: offer.state };
      const provider = (await names([offer.serviceId])).get(offer.serviceId) ?? '';
      return {
        ok: true as const,
        offerId: offer.id,
        offerState: offer.state,
        dispatch: {
          number: d.number,
          kind: d.kind,
          urgency: d.urgency,
          district: d.district,
          childrenInvolved: d.childrenInvolved,
          quantity: d.quantity,
          state: d.state,
          // What the provider needs, and only once they have taken the job: the address and name.
          address: offer.state === 'accepted' ? d.address : null,
          recipientName: offer.state === 'accepted' ? d.recipientName : null,
          providerNote: d.providerNote,
          deadline: (offer.state === 'pending' ? offer.deadline : d.deliveryDeadline)?.toISOString() ?? null,
        },
        provider,
        code: offer.code,
      };
    },

    async linkAction(token: string, action: 'accept' | 'decline' | 'in_progress' | 'delivered' | 'note', note: string | null) {
      const view = await channel.linkView(token);
      if (!view.ok) return view;
      const res = await service.answer(view.offerId, action, 'link', note);
      return res.ok ? { ok: true as const, state: res.state } : { ok: false as const, reason: 'used' as const };
    },
  };
  return channel;
}
