// The dispatch core shared by the lifecycle (dispatch.service.ts), the provider channel
// (provider-channel.ts) and the reads (dispatch.reads.ts): the transaction runner that relays the
// outbox and publishes to the board after each commit, steps, ranking and the offer/escalate moves.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { OPEN_DISPATCH_STATES, type DispatchAlert, type DispatchUrgency, type MatchReason, type RiskLevel } from '@trustline/shared';
import { rooms } from '../../realtime/rooms.js';
import type { Db, Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { conflict, DomainError, notFound } from '../../errors.js';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Emitter } from '../../realtime/emitter.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { DispatchRepository, DispatchRow } from './dispatch.repository.js';
import { toCard } from './dispatch.views.js';
import type { LinkSigner } from './links.js';
import { dispatchPriority, rankProviders, type Candidate, type MatchRequest } from './matching.js';
import type { Outbox, OutboxJob } from '../../jobs/outbox.js';
import type { Services } from '../../kernel.js';
import type { DispatchSmsGateway } from './sms-gateway.js';

declare module '../../domain-events.js' {
  interface DomainEventMap {
    /** A dispatch took a step; contacts shows it on the contact's timeline (same transaction). */
    'dispatch.step': {
      dispatchId: string;
      contactId: string | null;
      number: number;
      step: string;
      kind: string;
      provider: string | null;
      actorId: string | null;
    };
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

export type Post = { cards: Set<string>; alerts: DispatchAlert[] };
/** A dispatch in one of these states can still take a step. */
export const isOpen = (state: string) => (OPEN_DISPATCH_STATES as readonly string[]).includes(state);

export interface DispatchDeps {
  repo: DispatchRepository;
  /** The directory's services that can take an urgent kind, and their capacity. */
  directory: Services['providerPool'];
  transaction: Transactor;
  audit: AuditService;
  phones: PhoneCrypto;
  outbox: Outbox;
  emitter: Emitter;
  links: LinkSigner;
  events: DomainEvents;
  sms: DispatchSmsGateway;
  settings: DispatchSettings;
  log: Logger;
}

export function dispatchCore(deps: DispatchDeps) {
  const { repo, directory, transaction, emitter, events, settings, outbox } = deps;

  async function names(ids: (string | null)[], tx?: Db) {
    const rows = await repo.serviceNames([...new Set(ids.filter((i): i is string => !!i))], tx);
    return new Map(rows.map((r) => [r.id, `${r.organization.name} — ${r.name}`]));
  }

  /** Commit, then relay the outbox, then tell the board. A transaction that PostgreSQL aborted
   * as a deadlock victim (two jobs touching one dispatch and its offer at once, e.g. an SMS status
   * callback and the provider's answer) is run again from the start: it changed nothing. */
  async function run<T>(fn: (tx: Db, post: Post) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const post: Post = { cards: new Set(), alerts: [] };
      try {
        const result = await transaction((tx) => fn(tx, post));
        outbox.kick();
        await publish(post);
        return result;
      } catch (err) {
        if (attempt >= 4 || (err as { code?: string }).code !== 'P2034') throw err;
        await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
      }
    }
  }

  async function publish(post: Post) {
    const room = [rooms.role('coordinator'), rooms.role('supervisor')];
    for (const id of post.cards) {
      const d = await repo.find(id);
      if (!d) continue;
      emitter.to(room).emit('dispatch:changed', toCard(d, await names([d.serviceId]), settings.warningFraction));
    }
    for (const a of post.alerts) emitter.to(room).emit('dispatch:alert', a);
  }

  async function step(
    tx: Db,
    d: Pick<DispatchRow, 'id' | 'contactId' | 'number' | 'kind'>,
    type: string,
    more: { actor?: Actor | string | null; serviceId?: string | null; note?: string | null; detail?: Record<string, string | number | boolean | null> } = {},
  ) {
    const actorLabel = typeof more.actor === 'string' ? more.actor : (more.actor?.label ?? null);
    await repo.addEvent(
      { dispatchId: d.id, type, actorLabel, serviceId: more.serviceId ?? null, note: more.note ?? null, detail: more.detail ?? undefined },
      tx,
    );
    // The provider's name is only needed on a contact's timeline.
    const provider = d.contactId && more.serviceId ? ((await names([more.serviceId], tx)).get(more.serviceId) ?? null) : null;
    await events.emitWithin(
      'dispatch.step',
      {
        dispatchId: d.id,
        contactId: d.contactId,
        number: d.number,
        step: type,
        kind: d.kind,
        provider,
        actorId: typeof more.actor === 'object' ? (more.actor?.userId ?? null) : null,
      },
      tx,
    );
  }

  async function candidates(kind: string, tx?: Db): Promise<Candidate[]> {
    const services = await directory.candidates(kind as never, tx);
    const stats = await repo.offerStats(
      services.map((s) => s.id),
      tx,
    );
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
    kind: d.kind,
    district: d.district,
    urgency: d.urgency,
    childrenInvolved: d.childrenInvolved,
    risk: d.risk as MatchRequest['risk'],
    quantity: d.quantity,
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
    const offer = await repo.createOffer(
      { dispatchId: d.id, serviceId, phoneId: phone?.id ?? null, code: await newCode(tx), rank, reasons, deadline, smsStatus: phone ? 'queued' : 'skipped' },
      tx,
    );
    await repo.update(
      d.id,
      {
        state: 'offered',
        currentOfferId: offer.id,
        serviceId,
        ackDeadline: deadline,
        deliveryDeadline: null,
        offerCount: { increment: 1 },
        escalated: false,
        escalatedReason: null,
      },
      tx,
    );
    await step(tx, d, 'offered', { actor, serviceId });
    const warnAt = new Date(now.getTime() + settings.ackMs[d.urgency] * settings.warningFraction);
    const jobs: OutboxJob[] = [
      { queue: 'dispatch', name: 'offer.warning', jobId: `offer-warning-${offer.id}`, data: { offerId: offer.id }, runAt: warnAt },
      { queue: 'dispatch', name: 'offer.deadline', jobId: `offer-deadline-${offer.id}`, data: { offerId: offer.id }, runAt: deadline },
    ];
    if (phone) {
      // Minors and higher risk first in the queue too (BullMQ: 1 is first).
      const priority = 100 - dispatchPriority({ urgency: d.urgency, childrenInvolved: d.childrenInvolved, risk: d.risk as RiskLevel });
      jobs.unshift({ queue: 'dispatch', name: 'offer.send-sms', jobId: `offer-sms-${offer.id}`, data: { offerId: offer.id }, priority });
    }
    await outbox.write(jobs, tx);
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
    if (!isOpen(d.state)) throw conflict('DISPATCH_CLOSED', `this dispatch is already ${d.state}`);
    return d;
  }

  return {
    deps,
    names,
    run,
    publish,
    step,
    candidates,
    recentCandidates,
    matchRequest,
    makeOffer,
    escalate,
    offerNext,
    releaseHolds,
    withdrawCurrent,
    lockOpen,
  };
}
export type DispatchCore = ReturnType<typeof dispatchCore>;
