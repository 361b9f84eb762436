// What the call service and the in-call actions share: ownership checks, Twilio REST after a
// commit, offer publication, and how a call ends (answered, or while waiting).
import type { CallOfferSummary } from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import { rooms } from '../../realtime/rooms.js';
import type { CallRow } from './calls.repository.js';
import type { Operators, TelephonyContext } from './telephony.context.js';

export type OfferRow = NonNullable<Awaited<ReturnType<TelephonyContext['calls']['findOffer']>>>;
type StateChange = Awaited<ReturnType<Operators['change']>>;
export type Ended = {
  call: CallRow;
  withdrawn: OfferRow[];
  state: StateChange | null;
  consultState: StateChange | null;
  abandoned: boolean;
  callback: { id: string; kind: 'abandoned' | 'voicemail' | 'requested' } | null;
};

export function callHelpers(ctx: TelephonyContext, operators: () => Operators) {
  const { calls: repo, events, emitter } = ctx;

  const offerSummary = async (o: OfferRow, call: CallRow): Promise<CallOfferSummary> => ({
    offerId: o.id,
    kind: o.kind,
    expiresAt: o.expiresAt.toISOString(),
    call: await ctx.callSummary(call),
  });

  async function ownCall(callId: string, userId: string, tx?: Db) {
    const call = await repo.findCall(callId, tx);
    if (!call) throw notFound('call');
    if (call.status !== 'answered' || (call.operatorId !== userId && call.consultId !== userId)) {
      throw new DomainError('NOT_YOUR_CALL', 'this call is not connected to you', 409);
    }
    return call;
  }

  /** Twilio REST after a commit: a failure is logged; the database already holds the truth. */
  async function rest(what: string, callId: string, fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (err) {
      ctx.log.warn({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code }, callId, what }, 'twilio request failed');
    }
  }

  async function withdraw(offers: OfferRow[], callId: string, reason: string) {
    for (const o of offers) emitter.to(rooms.user(o.operatorId)).emit('call:offer-withdrawn', { offerId: o.id, callId, reason });
  }

  async function publishOffer(offer: OfferRow, call: CallRow) {
    emitter.to(rooms.user(offer.operatorId)).emit('call:offered', await offerSummary(offer, call));
    await ctx.publishCall(call);
    await ctx.enqueue('offer.expire', { offerId: offer.id }, { jobId: `offer-expire-${offer.id}`, delay: Math.max(0, offer.expiresAt.getTime() - Date.now()) });
    await events.emitAfter('call.offered', { callId: call.id, operatorId: offer.operatorId, offerId: offer.id, kind: offer.kind });
  }

  type Ended = {
    call: CallRow;
    withdrawn: OfferRow[];
    state: Awaited<ReturnType<Operators['change']>> | null;
    consultState: Awaited<ReturnType<Operators['change']>> | null;
    abandoned: boolean;
    callback: { id: string; kind: 'abandoned' | 'voicemail' | 'requested' } | null;
  };

  async function endAnswered(c: CallRow, reason: string, tx: Db): Promise<Ended | null> {
    const n = await repo.updateCallWhere({ id: c.id, status: 'answered' }, { status: 'ended', endedAt: ctx.now(), endReason: reason, onHold: false }, tx);
    if (!n) return null;
    const call = (await repo.findCall(c.id, tx))!;
    const state = c.operatorId ? await operators().change(c.operatorId, 'wrap_up', null, tx) : null;
    const consultState = c.consultId && c.consultMode === 'warm' ? await operators().change(c.consultId, 'wrap_up', null, tx) : null;
    const durationMs = call.endedAt!.getTime() - (call.answeredAt ?? call.receivedAt).getTime();
    return { call, withdrawn: [], state, consultState, abandoned: false, callback: null };
  }

  async function endUnanswered(c: CallRow, reason: string, tx: Db, cb?: { kind: 'voicemail' | 'requested'; recordingUrl?: string }): Promise<Ended | null> {
    const now = ctx.now();
    const waitMs = Math.max(0, now.getTime() - (c.queuedAt ?? c.receivedAt).getTime());
    const n = await repo.updateCallWhere(
      { id: c.id, status: { in: ['received', 'queued'] } },
      { status: 'ended', endedAt: now, endReason: reason, waitMs, abandoned: !cb },
      tx,
    );
    if (!n) return null;
    const call = (await repo.findCall(c.id, tx))!;
    const withdrawn = await repo.decideOffersOf(c.id, 'withdrawn', null, tx);
    const kind = cb?.kind ?? 'abandoned';
    await repo.createCallbackOnce(
      { kind, callId: c.id, lineId: c.lineId, callerHash: c.callerHash, callerSealed: c.callerSealed, waitMs, recordingUrl: cb?.recordingUrl ?? null },
      tx,
    );
    const callback = (await repo.findCallbackByCall(c.id, tx))!;
    return { call, withdrawn, state: null, consultState: null, abandoned: !cb, callback: { id: callback.id, kind } };
  }

  async function afterEnded(e: Ended) {
    const { call } = e;
    await withdraw(e.withdrawn, call.id, 'ended');
    await ctx.publishCall(call);
    if (e.state) await operators().afterChange(e.state);
    if (e.consultState) await operators().afterChange(e.consultState);
    const durationMs = (call.endedAt ?? ctx.now()).getTime() - (call.answeredAt ?? call.queuedAt ?? call.receivedAt).getTime();
    if (e.abandoned)
      await events.emitAfter('call.abandoned', { callId: call.id, lineId: call.lineId, callerHash: call.callerHash, waitedMs: call.waitMs ?? 0 });
    if (e.callback) {
      const caller = await ctx.callers
        .info(call.callerHash, call.receivedAt, { callId: call.id })
        .catch(() => ({ label: ctx.phones.label(call.callerHash), history: null }));
      emitter.to(rooms.queueWatchers()).emit('callback:updated', {
        id: e.callback.id,
        kind: e.callback.kind,
        status: 'open',
        callId: call.id,
        lineId: call.lineId,
        caller,
        hasRecording: e.callback.kind === 'voicemail',
        waitMs: call.waitMs,
        createdAt: ctx.now().toISOString(),
        dialedAt: null,
      });
      await events.emitAfter('callback.created', { callbackId: e.callback.id, kind: e.callback.kind, callId: call.id });
    }
    await events.emitAfter('call.ended', {
      callId: call.id,
      reason: call.endReason ?? 'ended',
      durationMs,
      operatorId: call.operatorId,
      answered: !!call.answeredAt,
    });
  }

  return { offerSummary, ownCall, rest, withdraw, publishOffer, endAnswered, endUnanswered, afterEnded };
}
export type CallHelpers = ReturnType<typeof callHelpers>;
