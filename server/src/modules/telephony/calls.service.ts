// Voice: the webhooks' rules, the live queue, offers to operators, and the call actions.
// Exactly one operator gets a call: the only path from 'queued' to 'answered' is one
// conditional UPDATE in PostgreSQL (calls.repository takeQueuedCall).
import type { CallOfferSummary, CallSummary } from '@trustline/shared';
import { maskPhone } from '../../crypto/phone.js';
import type { Db } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import { rooms } from '../../realtime/rooms.js';
import type { Actor } from '../audit/audit.service.js';
import type { CallRow } from './calls.repository.js';
import type { OperatorsService } from './operators.service.js';
import { callStatusAdvances, isTerminalCallStatus } from './status-rank.js';
import { conferenceName, type TelephonyContext } from './telephony.context.js';

export interface VoiceParams {
  CallSid: string;
  From?: string;
  To?: string;
  CallStatus?: string;
  Digits?: string;
  FromCountry?: string;
  CallerCountry?: string;
  [k: string]: string | undefined;
}

type OfferRow = NonNullable<Awaited<ReturnType<TelephonyContext['calls']['findOffer']>>>;

export function callsService(ctx: TelephonyContext, operators: () => OperatorsService) {
  const { calls: repo, transaction, events, phones, audit, io, gateway } = ctx;
  const url = (path: string) => gateway.publicUrl + path;

  const offerSummary = (o: OfferRow, call: CallRow): CallOfferSummary => ({ offerId: o.id, kind: o.kind, expiresAt: o.expiresAt.toISOString(), call: ctx.callSummary(call) });

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
    for (const o of offers) io.to(rooms.user(o.operatorId)).emit('call:offer-withdrawn', { offerId: o.id, callId, reason });
  }

  async function publishOffer(offer: OfferRow, call: CallRow) {
    io.to(rooms.user(offer.operatorId)).emit('call:offered', offerSummary(offer, call));
    ctx.publishCall(call);
    await ctx.enqueue('offer.expire', { offerId: offer.id }, { jobId: `offer-expire-${offer.id}`, delay: Math.max(0, offer.expiresAt.getTime() - Date.now()) });
    await events.emitAfter('call.offered', { callId: call.id, operatorId: offer.operatorId, offerId: offer.id, kind: offer.kind });
  }

  const service = {
    offerSummary,

    /** POST /twilio/voice: record the call once per CallSid. */
    async incoming(p: VoiceParams) {
      const line = await ctx.lines.byNumber(p.To);
      const from = p.From || 'anonymous';
      const callerHash = phones.hash(from);
      const { row, created } = await transaction(async (tx) => {
        const r = await repo.insertCallOnce(
          {
            callSid: p.CallSid, lineId: line?.id ?? null, callerHash, callerSealed: phones.encrypt(from), callerMasked: maskPhone(p.From),
            callerCountry: p.FromCountry || p.CallerCountry || null, twilioStatus: p.CallStatus ?? 'ringing',
          },
          tx,
        );
        if (r.created) {
          await events.emitWithin('call.created', { callId: r.row.id, lineId: r.row.lineId, callerHash, priority: r.row.priority, receivedAt: r.row.receivedAt, viaFallback: false }, tx);
        }
        return r;
      });
      if (created) {
        ctx.publishCall(row);
        await events.emitAfter('call.created', { callId: row.id, lineId: row.lineId, callerHash, priority: row.priority, receivedAt: row.receivedAt, viaFallback: false });
      }
      return { call: row, line };
    },

    /** POST /twilio/voice/ivr: the caller passed the greeting; press 1 means danger now. */
    async enqueue(p: VoiceParams) {
      const priority = p.Digits === '1' ? 'urgent' : 'normal';
      const result = await transaction(async (tx) => {
        const call = await repo.findCallBySid(p.CallSid, tx);
        if (!call) return null;
        const n = await repo.updateCallWhere({ id: call.id, status: 'received' }, { status: 'queued', priority, queuedAt: ctx.now() }, tx);
        const row = (await repo.findCall(call.id, tx))!;
        if (n === 1) await events.emitWithin('call.queued', { callId: row.id, lineId: row.lineId, priority: row.priority, queuedAt: row.queuedAt! }, tx);
        return { row, queued: n === 1 };
      });
      if (!result) return null;
      if (result.queued) {
        ctx.publishCall(result.row);
        await events.emitAfter('call.queued', { callId: result.row.id, lineId: result.row.lineId, priority: result.row.priority, queuedAt: result.row.queuedAt! });
        await ctx.enqueue('call.no-answer', { callId: result.row.id }, { jobId: `no-answer-${result.row.id}`, delay: ctx.config.noAnswerMs });
        await service.route(result.row.id);
      }
      return result.row;
    },

    /** Offers a waiting call to the longest-idle available operator. */
    async route(callId: string, target?: { operatorId: string; kind: string }) {
      const made = await transaction(async (tx) => {
        await repo.lockRouting(tx);
        const call = await repo.findCall(callId, tx);
        if (!call || call.status !== 'queued' || call.operatorId) return null;
        const pending = await repo.pendingOffers({ callId }, tx);
        if (pending.length && !target) return null;
        const operatorId = target?.operatorId ?? (await repo.nextCandidate(callId, tx));
        if (!operatorId) return null;
        const withdrawn = target ? await repo.decideOffersOf(callId, 'withdrawn', operatorId, tx) : [];
        const offer = await repo.createOffer({ callId, operatorId, kind: target?.kind ?? 'route', expiresAt: new Date(ctx.now().getTime() + ctx.config.offerTimeoutMs) }, tx);
        const row = call.offeredAt ? call : await repo.updateCall(callId, { offeredAt: offer.offeredAt }, tx);
        await events.emitWithin('call.offered', { callId, operatorId, offerId: offer.id, kind: offer.kind }, tx);
        return { offer, row, withdrawn };
      });
      if (!made) return null;
      await withdraw(made.withdrawn, callId, 'reassigned');
      await publishOffer(made.offer, made.row);
      return made.offer;
    },

    /** Every waiting call without a ring in progress gets one, most urgent and longest waiting first. */
    async routeWaiting() {
      const waiting = await repo.waitingCallsWithoutOffer();
      for (const c of waiting) if (!(await service.route(c.id))) break;
    },

    /** Job: the ring ran out; offer the call to the next operator. */
    async expireOffer(offerId: string) {
      const offer = await repo.findOffer(offerId);
      if (!offer || offer.outcome !== 'pending') return;
      if (await repo.decideOffer(offerId, 'expired')) {
        await withdraw([offer], offer.callId, 'expired');
        await service.route(offer.callId);
      }
    },

    async decline(offerId: string, actor: Actor) {
      const offer = await repo.findOffer(offerId);
      if (!offer || offer.operatorId !== actor.userId) throw notFound('offer');
      if (await repo.decideOffer(offerId, 'declined')) await service.route(offer.callId);
      return { ok: true as const };
    },

    /** Accept a ring, pick from the queue, or join as the target of a transfer. */
    async accept(callId: string, actor: Actor): Promise<CallSummary> {
      const userId = actor.userId!;
      const transfer = (await repo.pendingOffers({ callId, operatorId: userId, kind: 'transfer-warm' }))[0];
      if (transfer) return service.acceptWarmTransfer(transfer, actor);
      const result = await transaction(async (tx) => {
        const state = await repo.findState(userId, tx);
        if (state?.state === 'on_call') throw new DomainError('OPERATOR_ON_CALL', 'finish your current call first', 409);
        const n = await repo.takeQueuedCall(callId, userId, tx);
        if (n !== 1) {
          const exists = await repo.findCall(callId, tx);
          if (!exists) throw notFound('call');
          throw new DomainError('CALL_ALREADY_TAKEN', 'another operator has taken this call', 409);
        }
        const call = (await repo.findCall(callId, tx))!;
        const mine = (await repo.pendingOffers({ callId, operatorId: userId }, tx))[0];
        if (mine) await repo.decideOffer(mine.id, 'accepted', tx);
        else await repo.createOffer({ callId, operatorId: userId, kind: 'pick', expiresAt: ctx.now() }, tx).then((o) => repo.decideOffer(o.id, 'accepted', tx));
        const withdrawn = await repo.decideOffersOf(callId, 'withdrawn', null, tx);
        const state2 = await operators().change(userId, 'on_call', null, tx);
        const answered = { callId, operatorId: userId, lineId: call.lineId, callerHash: call.callerHash, waitMs: call.waitMs ?? 0, answeredAt: call.answeredAt! };
        await events.emitWithin('call.answered', answered, tx);
        await audit.record(actor, 'telephony.call.answer', { entity: 'Call', entityId: callId }, tx);
        return { call, withdrawn, state2, answered };
      });
      await withdraw(result.withdrawn, callId, 'taken');
      ctx.publishCall(result.call);
      await operators().afterChange(result.state2);
      await events.emitAfter('call.answered', result.answered);
      // Twilio rings the operator's browser into the caller's conference (the stand-in records it).
      const line = ctx.lines.cachedById(result.call.lineId);
      await rest('join operator', callId, () =>
        gateway.addParticipant(conferenceName(callId), { to: `client:${userId}`, from: line?.number ?? ctx.config.smsFrom ?? '+10000000000', label: `op-${userId}` }),
      );
      return ctx.callSummary(result.call);
    },

    async assign(callId: string, operatorId: string, actor: Actor) {
      const call = await repo.findCall(callId);
      if (!call) throw notFound('call');
      if (call.status !== 'queued') throw new DomainError('CALL_NOT_WAITING', 'only a waiting call can be assigned', 409);
      await audit.record(actor, 'telephony.call.assign', { entity: 'Call', entityId: callId, detail: { operatorId } });
      const offer = await service.route(callId, { operatorId, kind: 'assign' });
      if (!offer) throw new DomainError('CALL_NOT_WAITING', 'only a waiting call can be assigned', 409);
      return ctx.callSummary((await repo.findCall(callId))!);
    },

    async setHold(callId: string, hold: boolean, actor: Actor) {
      const call = await transaction(async (tx) => {
        const c = await ownCall(callId, actor.userId!, tx);
        return repo.updateCall(c.id, { onHold: hold }, tx);
      });
      await rest(hold ? 'hold' : 'resume', callId, () => gateway.holdCaller(call.conferenceSid ?? conferenceName(callId), hold, ctx.config.holdMusicUrl));
      ctx.publishCall(call);
      return ctx.callSummary(call);
    },

    /** The operator hangs up: the call ends for everyone, the operator goes to wrap-up. */
    async hangup(callId: string, actor: Actor) {
      // A supervisor listening or joining, or a transfer target who has not taken over, only leaves.
      const current = await repo.findCall(callId);
      if (current && current.consultId === actor.userId && current.operatorId !== actor.userId) {
        if (current.consultMode !== 'warm') return service.stopListening(callId, actor);
        const left = await transaction(async (tx) => {
          const n = await repo.updateCallWhere({ id: callId, consultId: actor.userId, consultMode: 'warm' }, { consultId: null, consultMode: null }, tx);
          if (!n) throw new DomainError('NOT_YOUR_CALL', 'this call is not connected to you', 409);
          return { call: (await repo.findCall(callId, tx))!, state: await operators().change(actor.userId!, 'available', null, tx) };
        });
        await rest('transfer target leaves', callId, () => gateway.removeParticipant(left.call.conferenceSid ?? conferenceName(callId), `op-${actor.userId}`));
        ctx.publishCall(left.call);
        await operators().afterChange(left.state);
        return ctx.callSummary(left.call);
      }
      const result = await transaction(async (tx) => {
        const c = await ownCall(callId, actor.userId!, tx);
        return endAnswered(c, 'operator-hangup', tx);
      });
      if (!result) throw new DomainError('NOT_YOUR_CALL', 'this call is not connected to you', 409);
      await afterEnded(result);
      await rest('end call', callId, () => gateway.endCall(result.call.callSid));
      await audit.record(actor, 'telephony.call.hangup', { entity: 'Call', entityId: callId });
      return ctx.callSummary(result.call);
    },

    /** Warm: the target joins and talks first, then the first operator completes. Cold: the call
     * goes back to waiting and rings the target; the first operator leaves at once. */
    async transfer(callId: string, targetId: string, mode: 'warm' | 'cold', actor: Actor) {
      const userId = actor.userId!;
      if (targetId === userId) throw new DomainError('TRANSFER_TO_SELF', 'choose another operator', 400);
      const result = await transaction(async (tx) => {
        const c = await ownCall(callId, userId, tx);
        if (c.operatorId !== userId) throw new DomainError('NOT_YOUR_CALL', 'only the operator holding the call can transfer it', 409);
        if (c.consultId) throw new DomainError('TRANSFER_IN_PROGRESS', 'a transfer or supervisor is already on this call', 409);
        await audit.record(actor, 'telephony.call.transfer', { entity: 'Call', entityId: callId, detail: { targetId, mode } }, tx);
        if (mode === 'warm') {
          const offer = await repo.createOffer({ callId, operatorId: targetId, kind: 'transfer-warm', expiresAt: new Date(ctx.now().getTime() + ctx.config.offerTimeoutMs) }, tx);
          return { call: c, offer, state: null };
        }
        await repo.updateCallWhere({ id: callId, status: 'answered', operatorId: userId }, { status: 'queued', operatorId: null, onHold: false }, tx);
        const state = await operators().change(userId, 'wrap_up', 'transfer', tx);
        await events.emitWithin('call.transferred', { callId, fromOperatorId: userId, toOperatorId: targetId, mode: 'cold' }, tx);
        return { call: (await repo.findCall(callId, tx))!, offer: null, state };
      });
      if (result.offer) {
        await publishOffer(result.offer, result.call);
        return ctx.callSummary(result.call);
      }
      await rest('remove operator', callId, () => gateway.removeParticipant(result.call.conferenceSid ?? conferenceName(callId), `op-${userId}`));
      await operators().afterChange(result.state!);
      await events.emitAfter('call.transferred', { callId, fromOperatorId: userId, toOperatorId: targetId, mode: 'cold' });
      ctx.publishCall(result.call);
      await service.route(callId, { operatorId: targetId, kind: 'transfer-cold' });
      return ctx.callSummary(result.call);
    },

    async acceptWarmTransfer(offer: OfferRow, actor: Actor) {
      const userId = actor.userId!;
      const result = await transaction(async (tx) => {
        if (!(await repo.decideOffer(offer.id, 'accepted', tx))) throw new DomainError('OFFER_GONE', 'this transfer is no longer offered', 409);
        const n = await repo.updateCallWhere({ id: offer.callId, status: 'answered', consultId: null }, { consultId: userId, consultMode: 'warm' }, tx);
        if (!n) throw new DomainError('OFFER_GONE', 'this transfer is no longer offered', 409);
        const state = await operators().change(userId, 'on_call', null, tx);
        return { call: (await repo.findCall(offer.callId, tx))!, state };
      });
      await operators().afterChange(result.state);
      ctx.publishCall(result.call);
      const line = ctx.lines.cachedById(result.call.lineId);
      await rest('join transfer target', offer.callId, () =>
        gateway.addParticipant(result.call.conferenceSid ?? conferenceName(offer.callId), { to: `client:${userId}`, from: line?.number ?? '+10000000000', label: `op-${userId}` }),
      );
      return ctx.callSummary(result.call);
    },

    /** Warm transfer, second half: the first operator leaves; the target now holds the call. */
    async completeTransfer(callId: string, actor: Actor) {
      const userId = actor.userId!;
      const result = await transaction(async (tx) => {
        const c = await ownCall(callId, userId, tx);
        if (c.operatorId !== userId || !c.consultId || c.consultMode !== 'warm') throw new DomainError('NO_TRANSFER', 'no one has joined to take this call', 409);
        const call = await repo.updateCall(callId, { operatorId: c.consultId, consultId: null, consultMode: null }, tx);
        const state = await operators().change(userId, 'wrap_up', 'transfer', tx);
        await events.emitWithin('call.transferred', { callId, fromOperatorId: userId, toOperatorId: c.consultId, mode: 'warm' }, tx);
        return { call, state, to: c.consultId };
      });
      await rest('remove operator', callId, () => gateway.removeParticipant(result.call.conferenceSid ?? conferenceName(callId), `op-${userId}`));
      await operators().afterChange(result.state);
      ctx.publishCall(result.call);
      await events.emitAfter('call.transferred', { callId, fromOperatorId: userId, toOperatorId: result.to, mode: 'warm' });
      return ctx.callSummary(result.call);
    },

    /** A supervisor listens (muted) or joins a live call. */
    async listen(callId: string, mode: 'listen' | 'join', actor: Actor) {
      const call = await transaction(async (tx) => {
        const c = await repo.findCall(callId, tx);
        if (!c || c.status !== 'answered') throw new DomainError('CALL_NOT_LIVE', 'the call is not connected', 409);
        await audit.record(actor, `telephony.call.${mode}`, { entity: 'Call', entityId: callId }, tx);
        if (c.consultId) return c;
        return repo.updateCall(callId, { consultId: actor.userId, consultMode: mode }, tx);
      });
      const line = ctx.lines.cachedById(call.lineId);
      await rest(mode, callId, () =>
        gateway.addParticipant(call.conferenceSid ?? conferenceName(callId), { to: `client:${actor.userId}`, from: line?.number ?? '+10000000000', label: `sup-${actor.userId}`, muted: mode === 'listen' }),
      );
      ctx.publishCall(call);
      return ctx.callSummary(call);
    },

    async stopListening(callId: string, actor: Actor) {
      const call = await transaction(async (tx) => {
        const c = await repo.findCall(callId, tx);
        if (!c || c.consultId !== actor.userId || (c.consultMode !== 'listen' && c.consultMode !== 'join')) throw new DomainError('NOT_LISTENING', 'you are not listening to this call', 409);
        return repo.updateCall(callId, { consultId: null, consultMode: null }, tx);
      });
      await rest('stop listening', callId, () => gateway.removeParticipant(call.conferenceSid ?? conferenceName(callId), `sup-${actor.userId}`));
      ctx.publishCall(call);
      return ctx.callSummary(call);
    },

    /** POST /twilio/voice/status. Final statuses end the call; a waiting caller who hangs up is
     * an abandoned call and goes on the call-back list. An unknown CallSid (the fallback path
     * answered it while our stores were down) is recorded now. */
    async statusCallback(p: VoiceParams) {
      const status = p.CallStatus ?? '';
      const result = await transaction(async (tx) => {
        let call = await repo.findCallBySid(p.CallSid, tx);
        if (!call) {
          if (!p.From) return null;
          const line = ctx.lines.cachedByNumber(p.To);
          const from = p.From;
          const ins = await repo.insertCallOnce(
            { callSid: p.CallSid, lineId: line?.id ?? null, callerHash: phones.hash(from), callerSealed: phones.encrypt(from), callerMasked: maskPhone(from), viaFallback: true },
            tx,
          );
          call = ins.row;
          if (ins.created) await events.emitWithin('call.created', { callId: call.id, lineId: call.lineId, callerHash: call.callerHash, priority: call.priority, receivedAt: call.receivedAt, viaFallback: true }, tx);
        }
        if (!callStatusAdvances(call.twilioStatus, status)) return { call, ended: null };
        call = await repo.updateCall(call.id, { twilioStatus: status }, tx);
        if (!isTerminalCallStatus(status) || call.status === 'ended') return { call, ended: null };
        if (call.status === 'answered') return { call, ended: await endAnswered(call, 'caller-hangup', tx) };
        return { call, ended: await endUnanswered(call, call.viaFallback ? 'fallback' : 'caller-hangup', tx) };
      });
      if (!result) return;
      if (result.ended) await afterEnded(result.ended);
      else ctx.publishCall(result.call);
    },

    /** POST /twilio/voice/conference: keep the ConferenceSid for participant requests. */
    async conferenceEvent(p: { FriendlyName?: string; ConferenceSid?: string }) {
      const m = /^call-([0-9a-f-]{36})$/.exec(p.FriendlyName ?? '');
      if (!m || !p.ConferenceSid) return;
      await repo.updateCallWhere({ id: m[1]!, conferenceSid: null }, { conferenceSid: p.ConferenceSid });
    },

    /** Job: nobody answered in time. The caller hears the voicemail / call-back menu. */
    async noAnswer(callId: string) {
      const call = await repo.findCall(callId);
      if (!call || call.status !== 'queued' || call.noAnswerAt) return;
      const waitMs = ctx.now().getTime() - (call.queuedAt ?? call.receivedAt).getTime();
      const n = await repo.updateCallWhere({ id: callId, status: 'queued', noAnswerAt: null }, { noAnswerAt: ctx.now() });
      if (!n) return;
      io.to([rooms.role('supervisor')]).emit('call:unanswered-alert', { callId, waitMs });
      await events.emitAfter('call.unanswered', { callId, waitMs });
      await rest('no-answer menu', callId, () => gateway.redirectCall(call.callSid, url('/twilio/voice/no-answer')));
    },

    /** The caller chose voicemail (recorded) or a call-back. */
    async callbackRequested(callSid: string, kind: 'voicemail' | 'requested', recordingUrl?: string) {
      const result = await transaction(async (tx) => {
        const call = await repo.findCallBySid(callSid, tx);
        if (!call) return null;
        const ended = call.status === 'ended' ? null : await endUnanswered(call, kind === 'voicemail' ? 'voicemail' : 'callback-requested', tx, { kind, recordingUrl });
        if (!ended) {
          const existing = await repo.findCallbackByCall(call.id, tx);
          if (existing) await repo.updateCallback(existing.id, { kind, ...(recordingUrl ? { recordingUrl } : {}) }, tx);
        }
        return { call, ended };
      });
      if (result?.ended) await afterEnded(result.ended);
      return result?.call ?? null;
    },

    async snapshotCalls() {
      return (await repo.liveCalls()).map(ctx.callSummary);
    },
    async myOffers(userId: string) {
      const offers = await repo.pendingOffers({ operatorId: userId });
      const out: CallOfferSummary[] = [];
      for (const o of offers) {
        const c = await repo.findCall(o.callId);
        if (c) out.push(offerSummary(o, c));
      }
      return out;
    },
  };

  type Ended = { call: CallRow; withdrawn: OfferRow[]; state: Awaited<ReturnType<OperatorsService['change']>> | null; consultState: Awaited<ReturnType<OperatorsService['change']>> | null; abandoned: boolean; callback: { id: string; kind: 'abandoned' | 'voicemail' | 'requested' } | null };

  async function endAnswered(c: CallRow, reason: string, tx: Db): Promise<Ended | null> {
    const n = await repo.updateCallWhere({ id: c.id, status: 'answered' }, { status: 'ended', endedAt: ctx.now(), endReason: reason, onHold: false }, tx);
    if (!n) return null;
    const call = (await repo.findCall(c.id, tx))!;
    const state = c.operatorId ? await operators().change(c.operatorId, 'wrap_up', null, tx) : null;
    const consultState = c.consultId && c.consultMode === 'warm' ? await operators().change(c.consultId, 'wrap_up', null, tx) : null;
    const durationMs = call.endedAt!.getTime() - (call.answeredAt ?? call.receivedAt).getTime();
    await events.emitWithin('call.ended', { callId: c.id, reason, durationMs, operatorId: c.operatorId, answered: true }, tx);
    return { call, withdrawn: [], state, consultState, abandoned: false, callback: null };
  }

  async function endUnanswered(c: CallRow, reason: string, tx: Db, cb?: { kind: 'voicemail' | 'requested'; recordingUrl?: string }): Promise<Ended | null> {
    const now = ctx.now();
    const waitMs = Math.max(0, now.getTime() - (c.queuedAt ?? c.receivedAt).getTime());
    const n = await repo.updateCallWhere({ id: c.id, status: { in: ['received', 'queued'] } }, { status: 'ended', endedAt: now, endReason: reason, waitMs, abandoned: !cb }, tx);
    if (!n) return null;
    const call = (await repo.findCall(c.id, tx))!;
    const withdrawn = await repo.decideOffersOf(c.id, 'withdrawn', null, tx);
    const kind = cb?.kind ?? 'abandoned';
    await repo.createCallbackOnce(
      { kind, callId: c.id, lineId: c.lineId, callerHash: c.callerHash, callerSealed: c.callerSealed, callerMasked: c.callerMasked, waitMs, recordingUrl: cb?.recordingUrl ?? null },
      tx,
    );
    const callback = (await repo.findCallbackByCall(c.id, tx))!;
    if (!cb) await events.emitWithin('call.abandoned', { callId: c.id, lineId: c.lineId, callerHash: c.callerHash, waitedMs: waitMs }, tx);
    await events.emitWithin('callback.created', { callbackId: callback.id, kind, callId: c.id }, tx);
    await events.emitWithin('call.ended', { callId: c.id, reason, durationMs: waitMs, operatorId: null, answered: false }, tx);
    return { call, withdrawn, state: null, consultState: null, abandoned: !cb, callback: { id: callback.id, kind } };
  }

  async function afterEnded(e: Ended) {
    const { call } = e;
    await withdraw(e.withdrawn, call.id, 'ended');
    ctx.publishCall(call);
    if (e.state) await operators().afterChange(e.state);
    if (e.consultState) await operators().afterChange(e.consultState);
    const durationMs = (call.endedAt ?? ctx.now()).getTime() - (call.answeredAt ?? call.queuedAt ?? call.receivedAt).getTime();
    if (e.abandoned) await events.emitAfter('call.abandoned', { callId: call.id, lineId: call.lineId, callerHash: call.callerHash, waitedMs: call.waitMs ?? 0 });
    if (e.callback) {
      io.to(rooms.role('supervisor')).to(rooms.role('operator')).emit('callback:updated', {
        id: e.callback.id, kind: e.callback.kind, status: 'open', callId: call.id, lineId: call.lineId, callerMasked: call.callerMasked,
        hasRecording: e.callback.kind === 'voicemail', waitMs: call.waitMs, createdAt: ctx.now().toISOString(), dialedAt: null,
      });
      await events.emitAfter('callback.created', { callbackId: e.callback.id, kind: e.callback.kind, callId: call.id });
    }
    await events.emitAfter('call.ended', { callId: call.id, reason: call.endReason ?? 'ended', durationMs, operatorId: call.operatorId, answered: !!call.answeredAt });
  }

  return service;
}
export type CallsService = ReturnType<typeof callsService>;
