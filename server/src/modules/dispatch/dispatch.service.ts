// The dispatch lifecycle: requested → offered → accepted → in progress → delivered, or failed, or
// cancelled. A declined or lapsed offer moves on to the next ranked provider, or to the
// coordinator when none is left or after DISPATCH_MAX_OFFERS. Every change, its step on the
// timeline and the jobs it needs (SMS, deadlines, warnings) are written in one transaction; the
// outbox relay hands the jobs to BullMQ after the commit (invariant 3). Handlers re-check the
// current state, so a job relayed or run twice does nothing the second time.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { CreateDispatchBody, DispatchAlert, DispatchUrgency, MatchReason, RankedProvider } from '@trustline/shared';
import { CreateDispatchBody as CreateDispatchSchema, rooms } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { conflict, DomainError, notFound } from '../../errors.js';
import { maskPhone, type PhoneCrypto } from '../../crypto/phone.js';
import type { Io } from '../../realtime/io.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { DirectoryRepository } from '../directory/directory.repository.js';
import type { DispatchRepository, DispatchRow } from './dispatch.repository.js';
import { toCard, toDetail } from './dispatch.views.js';
import type { LinkSigner } from './links.js';
import { rankProviders, type Candidate, type MatchRequest } from './matching.js';
import type { OutboxRelay } from './outbox.js';
import { parseProviderReply, type ProviderAnswer } from './sms-replies.js';
import type { DispatchSmsGateway } from './sms-gateway.js';
import { offerSmsText, recipientSmsText } from './sms-texts.js';

declare module '../../domain-events.js' {
  interface DomainEventMap {
    /** A dispatch took a step; contacts shows it on the contact's timeline (same transaction). */
    'dispatch.step': { dispatchId: string; contactId: string | null; number: number; step: string; kind: string; provider: string | null; actorId: string | null };
  }
}

export interface DispatchSettings {
  ackMs: Record<DispatchUrgency, number>;
  deliveryMs: Record<DispatchUrgency, number>;
  maxOffers: number;
  warningFraction: number;
  linkTtlMs: number;
  timeZone: string;
  publicUrl: string;
}

type Post = { cards: Set<string>; alerts: DispatchAlert[] };
const OPEN = ['requested', 'offered', 'accepted', 'in_progress'];
const Q = 'dispatch';

export function dispatchService(deps: {
  repo: DispatchRepository; directory: DirectoryRepository; transaction: Transactor; audit: AuditService; phones: PhoneCrypto;
  relay: OutboxRelay; io: Io; links: LinkSigner; events: DomainEvents; sms: DispatchSmsGateway; settings: DispatchSettings; log: Logger;
}) {
  const { repo, directory, transaction, audit, phones, relay, io, links, events, sms, settings, log } = deps;

  async function names(ids: (string | null)[], tx?: Db) {
    const rows = await repo.serviceNames([...new Set(ids.filter((i): i is string => !!i))], tx);
    return new Map(rows.map((r) => [r.id, `${r.organization.name} — ${r.name}`]));
  }

  /** Commit, then relay the outbox, then tell the board. */
  async function run<T>(fn: (tx: Db, post: Post) => Promise<T>): Promise<T> {
    const post: Post = { cards: new Set(), alerts: [] };
    const result = await transaction((tx) => fn(tx, post));
    relay.kick();
    await publish(post);
    return result;
  }

  async function publish(post: Post) {
    const room = [rooms.role('coordinator'), rooms.role('supervisor')];
    for (const id of post.cards) {
      const d = await repo.find(id);
      if (!d) continue;
      io.to(room).emit('dispatch:changed', toCard(d, await names([d.serviceId]), settings.warningFraction));
    }
    for (const a of post.alerts) io.to(room).emit('dispatch:alert', a);
  }

  async function step(tx: Db, d: Pick<DispatchRow, 'id' | 'contactId' | 'number' | 'kind'>, type: string, more: { actor?: Actor | string | null; serviceId?: string | null; note?: string | null; detail?: Record<string, string | number | boolean | null> } = {}) {
    const actorLabel = typeof more.actor === 'string' ? more.actor : (more.actor?.label ?? null);
    await repo.addEvent({ dispatchId: d.id, type, actorLabel, serviceId: more.serviceId ?? null, note: more.note ?? null, detail: more.detail ?? undefined }, tx);
    // The provider's name is only needed on a contact's timeline.
    const provider = d.contactId && more.serviceId ? ((await names([more.serviceId], tx)).get(more.serviceId) ?? null) : null;
    await events.emitWithin('dispatch.step', { dispatchId: d.id, contactId: d.contactId, number: d.number, step: type, kind: d.kind, provider, actorId: typeof more.actor === 'object' ? (more.actor?.userId ?? null) : null }, tx);
  }

  async function candidates(kind: string, tx?: Db): Promise<Candidate[]> {
    const services = await directory.candidates(kind as never, tx);
    const stats = await repo.offerStats(services.map((s) => s.id), tx);
    return services.map((s) => {
      const cap = [...s.capacities].sort((a, b) => b.updated.getTime() - a.updated.getTime())[0];
      return {
        serviceId: s.id,
        serviceName: s.name,
        organizationName: s.organization.name,
        kinds: s.urgentKinds,
        areas: s.areas.map((a) => a.name ?? '').filter(Boolean),
        locationDistricts: s.locations.map((l) => l.location.district ?? '').filter(Boolean),
        schedules: s.schedules,
        minimumAge: s.minimumAge,
        maximumAge: s.maximumAge,
        capacity: cap ? { available: cap.available, unit: cap.unit.name, updated: cap.updated } : null,
        hasSmsPhone: s.phones.some((p) => p.type === 'text' || p.type === 'cell'),
        stats: stats.get(s.id) ?? { offers: 0, accepted: 0, avgAcceptSeconds: null },
      };
    });
  }

  // New requests rank against a snapshot of the directory at most two seconds old (the directory
  // changes rarely; capacity is checked again when a provider accepts). Re-offers read it fresh.
  const snapshot = new Map<string, { at: number; value: Promise<Candidate[]> }>();
  function recentCandidates(kind: string) {
    const hit = snapshot.get(kind);
    if (hit && Date.now() - hit.at < 2_000) return hit.value;
    const value = candidates(kind);
    snapshot.set(kind, { at: Date.now(), value });
    value.catch(() => snapshot.delete(kind));
    return value;
  }

  const matchRequest = (d: Pick<DispatchRow, 'kind' | 'district' | 'urgency' | 'childrenInvolved' | 'risk' | 'quantity'>): MatchRequest => ({
    kind: d.kind, district: d.district, urgency: d.urgency, childrenInvolved: d.childrenInvolved, risk: d.risk as MatchRequest['risk'], quantity: d.quantity,
  });

  async function newCode(tx: Db) {
    for (let digits = 3; digits <= 6; digits++) {
      for (let i = 0; i < 20; i++) {
        const code = String(randomInt(10 ** (digits - 1), 10 ** digits));
        if (!(await repo.codeInUse(code, tx))) return code;
      }
    }
    throw new DomainError('NO_CODE', 'no free reply code', 503);
  }

  async function makeOffer(tx: Db, post: Post, d: DispatchRow, serviceId: string, reasons: MatchReason[], rank: number, actor: Actor | string) {
    const now = new Date();
    const deadline = new Date(now.getTime() + settings.ackMs[d.urgency]);
    const phone = await repo.smsPhoneOf(serviceId, tx);
    const offer = await repo.createOffer({ dispatchId: d.id, serviceId, phoneId: phone?.id ?? null, code: await newCode(tx), rank, reasons, deadline, smsStatus: phone ? 'queued' : 'skipped' }, tx);
    await repo.update(d.id, { state: 'offered', currentOfferId: offer.id, serviceId, ackDeadline: deadline, deliveryDeadline: null, offerCount: { increment: 1 }, escalated: false, escalatedReason: null }, tx);
    await step(tx, d, 'offered', { actor, serviceId });
    const warnAt = new Date(now.getTime() + settings.ackMs[d.urgency] * settings.warningFraction);
    await repo.addOutbox([
      ...(phone ? [{ queue: Q, name: 'offer.send-sms', jobId: `offer-sms-${offer.id}`, data: { offerId: offer.id } }] : []),
      { queue: Q, name: 'offer.warning', jobId: `offer-warning-${offer.id}`, data: { offerId: offer.id }, runAt: warnAt },
      { queue: Q, name: 'offer.deadline', jobId: `offer-deadline-${offer.id}`, data: { offerId: offer.id }, runAt: deadline },
    ], tx);
    post.cards.add(d.id);
    return offer;
  }

  async function escalate(tx: Db, post: Post, d: DispatchRow, reason: 'no_provider' | 'max_offers' | 'sms_failed') {
    await repo.update(d.id, { state: 'requested', escalated: true, escalatedReason: reason, currentOfferId: null, serviceId: null, ackDeadline: null }, tx);
    await step(tx, d, 'escalated', { actor: 'system:dispatch', detail: { reason } });
    post.cards.add(d.id);
    post.alerts.push({ dispatchId: d.id, level: 'escalated', deadline: null });
  }

  /** The next ranked provider, or the coordinator. */
  async function offerNext(tx: Db, post: Post, d: DispatchRow) {
    if (d.offers.length >= settings.maxOffers) return escalate(tx, post, d, 'max_offers');
    const tried = new Set(d.offers.map((o) => o.serviceId));
    const ranked = rankProviders(matchRequest(d), await candidates(d.kind, tx), { now: new Date(), timeZone: settings.timeZone, exclude: tried });
    const next = ranked.find((r) => r.eligible);
    if (!next) return escalate(tx, post, d, 'no_provider');
    return makeOffer(tx, post, d, next.serviceId, next.reasons, d.offers.length + 1, 'system:dispatch');
  }

  async function releaseHolds(tx: Db, d: DispatchRow) {
    for (const h of await repo.activeHolds(d.id, tx)) {
      await directory.giveBackCapacity(h.capacityId, h.quantity, tx);
      await repo.releaseHold(h.id, tx);
      await step(tx, d, 'capacity_released', { detail: { quantity: h.quantity } });
    }
  }

  async function withdrawCurrent(tx: Db, d: DispatchRow) {
    if (!d.currentOfferId) return;
    const o = d.offers.find((x) => x.id === d.currentOfferId);
    if (o && (o.state === 'pending' || o.state === 'accepted')) await repo.updateOffer(o.id, { state: 'withdrawn', linkClosedAt: new Date() }, tx);
  }

  async function lockOpen(tx: Db, id: string) {
    const d = await repo.lock(id, tx);
    if (!d) throw notFound('dispatch');
    if (!OPEN.includes(d.state)) throw conflict('DISPATCH_CLOSED', `this dispatch is already ${d.state}`);
    return d;
  }

  const service = {
    async create(input: CreateDispatchBody, actor: Actor) {
      const body = CreateDispatchSchema.parse(input);
      // Ranked before the transaction opens, so the transaction holds its connection only to write.
      const ranked = rankProviders(matchRequest(body), await recentCandidates(body.kind), { now: new Date(), timeZone: settings.timeZone });
      return run(async (tx, post) => {
        const created = await repo.create({
          contactId: body.contactId, referral: body.referral, kind: body.kind, recipientName: body.recipientName,
          recipientPhoneEnc: body.recipientPhone ? phones.encrypt(body.recipientPhone) : null,
          recipientPhoneHash: body.recipientPhone ? phones.hash(body.recipientPhone) : null,
          notifyRecipient: body.notifyRecipient, district: body.district, address: body.address, urgency: body.urgency,
          childrenInvolved: body.childrenInvolved, risk: body.risk, quantity: body.quantity, providerNote: body.providerNote, createdById: actor.userId,
        }, tx);
        await step(tx, created, 'requested', { actor });
        await audit.record(actor, 'dispatch.create', { entity: 'Dispatch', entityId: created.id, detail: { kind: body.kind, contactId: body.contactId, identified: !!(body.recipientName || body.recipientPhone) } }, tx);
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
        if (!d || d.currentOfferId !== offer.id || !OPEN.includes(d.state)) return { ok: false as const, reason: 'closed' as const };
        const actor = `provider:${via}`;
        const now = new Date();
        if (answer === 'accept' || answer === 'decline') {
          if (offer.state !== 'pending' || d.state !== 'offered') return { ok: false as const, reason: offer.state === 'accepted' ? ('already' as const) : ('closed' as const) };
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
          await repo.addOutbox([
            { queue: Q, name: 'delivery.warning', jobId: `delivery-warning-${offer.id}`, data: { offerId: offer.id }, runAt: new Date(now.getTime() + settings.deliveryMs[d.urgency] * settings.warningFraction) },
            { queue: Q, name: 'delivery.deadline', jobId: `delivery-deadline-${offer.id}`, data: { offerId: offer.id }, runAt: deliveryDeadline },
            ...(d.notifyRecipient && d.recipientPhoneEnc ? [{ queue: Q, name: 'recipient.notify', jobId: `recipient-notify-${offer.id}`, data: { offerId: offer.id } }] : []),
          ], tx);
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
        await repo.addOutbox([{ queue: Q, name: 'provider.reply', jobId: `provider-reply-${sms.messageId}`, data: { offerId: o.id, answer: parsed.answer, messageId: sms.messageId } }], tx);
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
      const text = res.ok ? `Принято: ${offer.code}. Спасибо. / Received, thank you.` : `Код ${offer.code}: запрос уже закрыт или передан другому. / No longer open.`;
      const queued = await run(async (tx) => {
        if (await repo.hasEvent(offer.dispatchId, 'reply_sent', messageId, tx)) return null;
        const q = await sms.queue({ toSealed: phone.numberEnc, body: text, purpose: 'dispatch.reply', refId: offerId }, tx);
        await repo.addEvent({ dispatchId: offer.dispatchId, type: 'reply_sent', serviceId: offer.serviceId, detail: { key: messageId } }, tx);
        return 'messageId' in q ? q.messageId : null;
      });
      if (queued) await sms.flush(queued);
      return res;
    },

    /** Delivery states of offer SMS, from telephony's status callbacks. */
    async offerSmsStatus(offerId: string, status: string) {
      const offer = await repo.findOffer(offerId);
      if (!offer) return;
      await run(async (tx, post) => {
        await repo.updateOffer(offerId, { smsStatus: status }, tx);
        if (status === 'delivered' || status === 'failed' || status === 'undelivered') await step(tx, offer.dispatch, `sms_${status}`, { serviceId: offer.serviceId });
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
        const q = await sms.queue({ toSealed: phone.numberEnc, body: offerSmsText(offer.dispatch, offer.code, link), purpose: 'dispatch.offer', refId: offer.id }, tx);
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
      if (result.status === 'queued') await sms.flush(result.messageId);
      return result.status;
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
        const live = which === 'ack-warning' ? offer.state === 'pending' && d.state === 'offered' : offer.state === 'accepted' && (d.state === 'accepted' || d.state === 'in_progress');
        if (!live) return 'stale';
        if (await repo.hasEvent(d.id, which === 'delivery-overdue' ? 'overdue' : 'deadline_warning', `${which}:${offer.id}`, tx)) return 'done-before';
        await step(tx, d, which === 'delivery-overdue' ? 'overdue' : 'deadline_warning', { actor: 'system:dispatch', serviceId: offer.serviceId, detail: { key: `${which}:${offer.id}` } });
        post.cards.add(d.id);
        post.alerts.push({ dispatchId: d.id, level: which === 'delivery-overdue' ? 'overdue' : 'warning', deadline: which === 'ack-warning' ? 'ack' : 'delivery' });
        return 'raised';
      });
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
        const q = await sms.queue({ toSealed: offer.dispatch.recipientPhoneEnc, body: recipientSmsText(offer.dispatch, provider), purpose: 'dispatch.recipient', refId: offer.dispatchId }, tx);
        await step(tx, offer.dispatch, 'optedOut' in q ? 'recipient_opted_out' : 'recipient_told', { serviceId: offer.serviceId, detail: { key: offerId } });
        return 'messageId' in q ? q.messageId : null;
      });
      if (res) await sms.flush(res);
      return res ? 'queued' : 'skipped';
    },

    // ─── Reads ─────────────────────────────────────────────────────────────
    async board(filter: { kind?: string; district?: string; urgency?: string }) {
      const rows = await repo.board({ ...filter, closedSince: new Date(Date.now() - 24 * 3600_000) });
      const n = await names(rows.map((r) => r.serviceId));
      const now = new Date();
      return rows
        .map((r) => toCard(r, n, settings.warningFraction, now))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || Number(b.escalated) - Number(a.escalated) || b.priority - a.priority || a.createdAt.localeCompare(b.createdAt));
    },

    async detail(id: string, actor: Actor) {
      const d = await repo.find(id);
      if (!d) throw notFound('dispatch');
      const steps = await repo.events(id);
      const n = await names([d.serviceId, ...d.offers.map((o) => o.serviceId), ...steps.map((s) => s.serviceId)]);
      if (d.recipientName || d.recipientPhoneEnc) await audit.record(actor, 'dispatch.read', { entity: 'Dispatch', entityId: id });
      return toDetail(d, n, steps, d.recipientPhoneEnc ? maskPhone(phones.decrypt(d.recipientPhoneEnc)) : null, settings.warningFraction);
    },

    async byContact(contactId: string) {
      const rows = await repo.byContact(contactId);
      const n = await names(rows.flatMap((r) => [r.serviceId, ...r.events.map((e) => e.serviceId)]));
      return rows.map((r) => ({ ...toCard(r, n, settings.warningFraction), steps: r.events.map((e) => ({ id: e.id, at: e.at.toISOString(), type: e.type, actor: e.actorLabel, provider: e.serviceId ? (n.get(e.serviceId) ?? null) : null, note: e.note })) }));
    },

    // ─── Provider link page (public) ───────────────────────────────────────
    async linkView(token: string) {
      const check = links.verify(token);
      if (!check.ok) return { ok: false as const, reason: check.reason };
      const offer = await repo.findOffer(check.offerId);
      if (!offer) return { ok: false as const, reason: 'tampered' as const };
      const d = offer.dispatch;
      const open = d.currentOfferId === offer.id && OPEN.includes(d.state) && (offer.state === 'pending' || offer.state === 'accepted') && !offer.linkClosedAt;
      if (!open) return { ok: false as const, reason: 'used' as const, state: offer.state };
      const provider = (await names([offer.serviceId])).get(offer.serviceId) ?? '';
      return {
        ok: true as const,
        offerId: offer.id,
        offerState: offer.state,
        dispatch: {
          number: d.number, kind: d.kind, urgency: d.urgency, district: d.district, childrenInvolved: d.childrenInvolved, quantity: d.quantity, state: d.state,
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
      const view = await service.linkView(token);
      if (!view.ok) return view;
      const res = await service.answer(view.offerId, action, 'link', note);
      return res.ok ? { ok: true as const, state: res.state } : { ok: false as const, reason: 'used' as const };
    },

    async relayOutbox() {
      return relay.drain();
    },
    purgeOutbox() {
      return repo.purgeRelayed(new Date(Date.now() - 7 * 24 * 3600_000));
    },
  };
  return service;
}
export type DispatchService = ReturnType<typeof dispatchService>;
