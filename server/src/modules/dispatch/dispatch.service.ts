// The dispatch lifecycle: requested → offered → accepted → in progress → delivered, or failed, or
// cancelled. A declined or lapsed offer moves on to the next ranked provider, or to the
// coordinator when none is left or after DISPATCH_MAX_OFFERS. Every change, its step on the
// timeline and the jobs it needs (SMS, deadlines, warnings) are written in one transaction; the
// outbox relay hands the jobs to BullMQ after the commit (invariant 3). Handlers re-check the
// current state, so a job relayed or run twice does nothing the second time.
import type { CreateDispatchBody, DispatchUrgency, RankedProvider } from '@trustline/shared';
import { CreateDispatchBody as CreateDispatchSchema } from '@trustline/shared';
import { conflict, notFound } from '../../errors.js';
import type { Actor } from '../audit/audit.service.js';
import { dispatchCore, isOpen, type DispatchDeps } from './dispatch.core.js';
import type { DispatchRow } from './dispatch.repository.js';
import { dispatchReads } from './dispatch.reads.js';
import { rankProviders } from './matching.js';
import { providerChannel } from './provider-channel.js';
import type { ProviderAnswer } from './sms-replies.js';

export type { DispatchSettings } from './dispatch.core.js';

export function dispatchService(deps: DispatchDeps) {
  const core = dispatchCore(deps);
  const { repo, directory, audit, settings, phones } = deps;
  const { run, step, candidates, recentCandidates, matchRequest, makeOffer, escalate, offerNext, releaseHolds, withdrawCurrent, lockOpen } = core;

  const lifecycle = {
    async create(input: CreateDispatchBody, actor: Actor) {
      const body = CreateDispatchSchema.parse(input);
      // Ranked before the transaction opens, so the transaction holds its connection only to write.
      const ranked = rankProviders(matchRequest(body), await recentCandidates(body.kind), { now: new Date(), timeZone: settings.timeZone });
      return run(async (tx, post) => {
        const created = await repo.create(
          {
            contactId: body.contactId,
            referral: body.referral,
            kind: body.kind,
            recipientName: body.recipientName,
            recipientPhoneEnc: body.recipientPhone ? phones.encrypt(body.recipientPhone) : null,
            recipientPhoneHash: body.recipientPhone ? phones.hash(body.recipientPhone) : null,
            notifyRecipient: body.notifyRecipient,
            district: body.district,
            address: body.address,
            urgency: body.urgency,
            childrenInvolved: body.childrenInvolved,
            risk: body.risk,
            quantity: body.quantity,
            providerNote: body.providerNote,
            createdById: actor.userId,
          },
          tx,
        );
        await step(tx, created, 'requested', { actor });
        await audit.record(
          actor,
          'dispatch.create',
          {
            entity: 'Dispatch',
            entityId: created.id,
            detail: { kind: body.kind, contactId: body.contactId, identified: !!(body.recipientName || body.recipientPhone) },
          },
          tx,
        );
        const d: DispatchRow = { ...created, offers: [] };
        const next = ranked.find((r) => r.eligible);
        if (next) await makeOffer(tx, post, d, next.serviceId, next.reasons, 1, 'system:dispatch');
        else await escalate(tx, post, d, 'no_provider');
        post.cards.add(d.id);
        return { id: created.id, number: created.number };
      });
    },

    async suggest(q: { kind: string; district: string; urgency: DispatchUrgency; childrenInvolved: boolean; quantity: number }): Promise<RankedProvider[]> {
      return rankProviders({ ...q, risk: 'none' }, await recentCandidates(q.kind), { now: new Date(), timeZone: settings.timeZone });
    },
    async suggestFor(id: string): Promise<RankedProvider[]> {
      const d = await repo.find(id);
      if (!d) throw notFound('dispatch');
      return rankProviders(matchRequest(d), await candidates(d.kind), { now: new Date(), timeZone: settings.timeZone });
    },

    /** Coordinator: offer to a chosen provider (also reassigns an accepted dispatch). */
    async offerTo(id: string, serviceId: string, note: string | null, actor: Actor) {
      await run(async (tx, post) => {
        const d = await lockOpen(tx, id);
        const target = await directory.candidates(d.kind, tx);
        if (!target.some((s) => s.id === serviceId) && !(await repo.serviceNames([serviceId], tx)).length) throw notFound('service');
        if (d.state === 'accepted' || d.state === 'in_progress') {
          await releaseHolds(tx, d);
          await step(tx, d, 'reassigned', { actor, serviceId: d.serviceId, note });
        }
        await withdrawCurrent(tx, d);
        const ranked = rankProviders(matchRequest(d), await candidates(d.kind, tx), { now: new Date(), timeZone: settings.timeZone });
        await makeOffer(tx, post, d, serviceId, ranked.find((r) => r.serviceId === serviceId)?.reasons ?? [], d.offers.length + 1, actor);
        await audit.record(actor, 'dispatch.offer-to', { entity: 'Dispatch', entityId: id, detail: { serviceId } }, tx);
      });
    },

    async cancel(id: string, reason: string, actor: Actor) {
      await run(async (tx, post) => {
        const d = await lockOpen(tx, id);
        await withdrawCurrent(tx, d);
        await releaseHolds(tx, d);
        await repo.update(id, { state: 'cancelled', closeReason: reason, closedAt: new Date(), escalated: false }, tx);
        await step(tx, d, 'cancelled', { actor, note: reason });
        await audit.record(actor, 'dispatch.cancel', { entity: 'Dispatch', entityId: id }, tx);
        post.cards.add(id);
      });
    },

    async fail(id: string, reason: string, actor: Actor | string) {
      await run(async (tx, post) => {
        const d = await lockOpen(tx, id);
        await withdrawCurrent(tx, d);
        await releaseHolds(tx, d);
        await repo.update(id, { state: 'failed', closeReason: reason, closedAt: new Date(), escalated: false }, tx);
        await step(tx, d, 'failed', { actor, serviceId: d.serviceId, note: reason });
        if (typeof actor === 'object') await audit.record(actor, 'dispatch.fail', { entity: 'Dispatch', entityId: id }, tx);
        post.cards.add(id);
      });
    },

    /** Coordinator marks delivered on the provider's behalf (e.g. they phoned). */
    async markDelivered(id: string, note: string | null, actor: Actor) {
      await run(async (tx, post) => {
        const d = await lockOpen(tx, id);
        if (d.state !== 'accepted' && d.state !== 'in_progress') throw conflict('DISPATCH_NOT_ACCEPTED', 'only an accepted dispatch can be marked delivered');
        await repo.update(id, { state: 'delivered', deliveredAt: new Date(), closedAt: new Date() }, tx);
        await step(tx, d, 'delivered', { actor, serviceId: d.serviceId, note, detail: { onBehalf: true } });
        await audit.record(actor, 'dispatch.mark-delivered', { entity: 'Dispatch', entityId: id }, tx);
        post.cards.add(id);
      });
    },

    /** A provider's answer by SMS, link or on their behalf. Never throws for a stale answer. */
    async answer(offerId: string, answer: ProviderAnswer | 'in_progress' | 'note', via: 'sms' | 'link', note: string | null = null) {
      return run(async (tx, post) => {
        const offer = await repo.findOffer(offerId, tx);
        if (!offer) return { ok: false as const, reason: 'unknown' as const };
        const d = await repo.lock(offer.dispatchId, tx);
        if (!d || d.currentOfferId !== offer.id || !isOpen(d.state)) return { ok: false as const, reason: 'closed' as const };
        const actor = `provider:${via}`;
        const now = new Date();
        if (answer === 'accept' || answer === 'decline') {
          if (offer.state !== 'pending' || d.state !== 'offered')
            return { ok: false as const, reason: offer.state === 'accepted' ? ('already' as const) : ('closed' as const) };
          if (answer === 'decline') {
            await repo.updateOffer(offer.id, { state: 'declined', answeredAt: now, answeredVia: via, linkClosedAt: now }, tx);
            await step(tx, d, 'declined', { actor, serviceId: offer.serviceId, note });
            const fresh = (await repo.find(d.id, tx))!;
            await offerNext(tx, post, fresh);
            post.cards.add(d.id);
            return { ok: true as const, state: 'declined' as const };
          }
          const deliveryDeadline = new Date(now.getTime() + settings.deliveryMs[d.urgency]);
          await repo.updateOffer(offer.id, { state: 'accepted', answeredAt: now, answeredVia: via }, tx);
          await repo.update(d.id, { state: 'accepted', acceptedAt: now, deliveryDeadline, escalated: false }, tx);
          await step(tx, d, 'accepted', { actor, serviceId: offer.serviceId, note });
          const cap = await repo.capacityOf(offer.serviceId, tx);
          if (cap) {
            if (await directory.takeCapacity(cap.id, d.quantity, tx)) {
              await repo.createHold({ dispatchId: d.id, capacityId: cap.id, quantity: d.quantity }, tx);
              await step(tx, d, 'capacity_held', { serviceId: offer.serviceId, detail: { quantity: d.quantity } });
            } else await step(tx, d, 'capacity_short', { serviceId: offer.serviceId, detail: { quantity: d.quantity } });
          }
          await deps.outbox.write(
            [
              {
                queue: 'dispatch',
                name: 'delivery.warning',
                jobId: `delivery-warning-${offer.id}`,
                data: { offerId: offer.id },
                runAt: new Date(now.getTime() + settings.deliveryMs[d.urgency] * settings.warningFraction),
              },
              { queue: 'dispatch', name: 'delivery.deadline', jobId: `delivery-deadline-${offer.id}`, data: { offerId: offer.id }, runAt: deliveryDeadline },
              ...(d.notifyRecipient && d.recipientPhoneEnc
                ? [{ queue: 'dispatch' as const, name: 'recipient.notify' as const, jobId: `recipient-notify-${offer.id}`, data: { offerId: offer.id } }]
                : []),
            ],
            tx,
          );
          post.cards.add(d.id);
          return { ok: true as const, state: 'accepted' as const };
        }
        if (offer.state !== 'accepted') return { ok: false as const, reason: 'not_accepted' as const };
        if (answer === 'note') {
          await step(tx, d, 'note', { actor, serviceId: offer.serviceId, note });
          return { ok: true as const, state: d.state };
        }
        if (answer === 'in_progress') {
          if (d.state !== 'accepted') return { ok: false as const, reason: 'already' as const };
          await repo.update(d.id, { state: 'in_progress' }, tx);
          await step(tx, d, 'in_progress', { actor, serviceId: offer.serviceId, note });
          post.cards.add(d.id);
          return { ok: true as const, state: 'in_progress' as const };
        }
        await repo.update(d.id, { state: 'delivered', deliveredAt: now, closedAt: now }, tx);
        await repo.updateOffer(offer.id, { linkClosedAt: now }, tx);
        await step(tx, d, 'delivered', { actor, serviceId: offer.serviceId, note });
        post.cards.add(d.id);
        return { ok: true as const, state: 'delivered' as const };
      });
    },

    async expireOffer(offerId: string) {
      return run(async (tx, post) => {
        const offer = await repo.findOffer(offerId, tx);
        if (!offer || offer.state !== 'pending') return 'stale';
        if (offer.deadline.getTime() > Date.now() + 1000) return 'early';
        const d = await repo.lock(offer.dispatchId, tx);
        await repo.updateOffer(offer.id, { state: 'expired', linkClosedAt: new Date() }, tx);
        if (!d || d.currentOfferId !== offer.id || d.state !== 'offered') return 'stale';
        await step(tx, d, 'expired', { actor: 'system:dispatch', serviceId: offer.serviceId });
        await offerNext(tx, post, (await repo.find(d.id, tx))!);
        return 'moved-on';
      });
    },

    async deadlineAlert(offerId: string, which: 'ack-warning' | 'delivery-warning' | 'delivery-overdue') {
      return run(async (tx, post) => {
        const offer = await repo.findOffer(offerId, tx);
        const d = offer ? await repo.find(offer.dispatchId, tx) : null;
        if (!offer || !d || d.currentOfferId !== offer.id) return 'stale';
        const live =
          which === 'ack-warning'
            ? offer.state === 'pending' && d.state === 'offered'
            : offer.state === 'accepted' && (d.state === 'accepted' || d.state === 'in_progress');
        if (!live) return 'stale';
        if (await repo.hasEvent(d.id, which === 'delivery-overdue' ? 'overdue' : 'deadline_warning', `${which}:${offer.id}`, tx)) return 'done-before';
        await step(tx, d, which === 'delivery-overdue' ? 'overdue' : 'deadline_warning', {
          actor: 'system:dispatch',
          serviceId: offer.serviceId,
          detail: { key: `${which}:${offer.id}` },
        });
        post.cards.add(d.id);
        post.alerts.push({
          dispatchId: d.id,
          level: which === 'delivery-overdue' ? 'overdue' : 'warning',
          deadline: which === 'ack-warning' ? 'ack' : 'delivery',
        });
        return 'raised';
      });
    },
  };
  return { ...lifecycle, ...providerChannel(core, lifecycle.answer), ...dispatchReads(core) };
}
export type DispatchService = ReturnType<typeof dispatchService>;
