// Voice: the webhooks' rules, the live queue, offers to operators, and the call actions.
// Exactly one operator gets a call: the only path from 'queued' to 'answered' is one
// conditional UPDATE in PostgreSQL (calls.repository takeQueuedCall).
import type { CallOfferSummary, CallSummary } from '@trustline/shared';
import { DomainError, notFound } from '../../errors.js';
import { rooms } from '../../realtime/rooms.js';
import type { Actor } from '../audit/audit.service.js';
import { callActions } from './call-actions.js';
import { callHelpers } from './call-helpers.js';
import { callStatusAdvances, isTerminalCallStatus } from './status-rank.js';
import { conferenceName, type Operators, type TelephonyContext } from './telephony.context.js';

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

export function callsService(ctx: TelephonyContext, operators: () => Operators) {
  const { calls: repo, transaction, events, phones, audit, emitter, gateway } = ctx;
  const url = (path: string) => gateway.publicUrl + path;

  const h = callHelpers(ctx, operators);
  const { offerSummary, rest, withdraw, publishOffer, endAnswered, endUnanswered, afterEnded } = h;
  const actions = callActions(ctx, operators, h, { route: (callId, target) => service.route(callId, target) });

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
            callSid: p.CallSid,
            lineId: line?.id ?? null,
            callerHash,
            callerSealed: phones.encrypt(from),
            callerCountry: p.FromCountry || p.CallerCountry || null,
            twilioStatus: p.CallStatus ?? 'ringing',
          },
          tx,
        );
        if (r.created) {
          await events.emitWithin(
            'call.created',
            { callId: r.row.id, lineId: r.row.lineId, callerHash, priority: r.row.priority, receivedAt: r.row.receivedAt, viaFallback: false },
            tx,
          );
        }
        return r;
      });
      if (created) {
        await ctx.publishCall(row);
        await events.emitAfter('call.created', {
          callId: row.id,
          lineId: row.lineId,
          callerHash,
          priority: row.priority,
          receivedAt: row.receivedAt,
          viaFallback: false,
        });
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
        return { row, queued: n === 1 };
      });
      if (!result) return null;
      if (result.queued) {
        await ctx.publishCall(result.row);
        await events.emitAfter('call.queued', {
          callId: result.row.id,
          lineId: result.row.lineId,
          priority: result.row.priority,
          queuedAt: result.row.queuedAt!,
        });
        await ctx.enqueue('call.no-answer', { callId: result.row.id }, { jobId: `no-answer-${result.row.id}`, delay: ctx.config.noAnswerMs });
        await service.route(result.row.id);
      }
      return result.row;
    },

    /** Offers a waiting call to the longest-idle available operator (services.operators.nextCandidate). */
    async route(callId: string, target?: { operatorId: string; kind: string }) {
      const made = await transaction(async (tx) => {
        await operators().lockRouting(tx);
        const call = await repo.findCall(callId, tx);
        if (!call || call.status !== 'queued' || call.operatorId) return null;
        const pending = await repo.pendingOffers({ callId }, tx);
        if (pending.length && !target) return null;
        const operatorId = target?.operatorId ?? (await operators().nextCandidate(await repo.candidateRules(callId, tx), tx));
        if (!operatorId) return null;
        const withdrawn = target ? await repo.decideOffersOf(callId, 'withdrawn', operatorId, tx) : [];
        const offer = await repo.createOffer(
          { callId, operatorId, kind: target?.kind ?? 'route', expiresAt: new Date(ctx.now().getTime() + ctx.config.offerTimeoutMs) },
          tx,
        );
        const row = call.offeredAt ? call : await repo.updateCall(callId, { offeredAt: offer.offeredAt }, tx);
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

    /** The operator went offline: their rings move on at once instead of running out. */
    async withdrawOffersOf(operatorId: string) {
      for (const o of await repo.pendingOffers({ operatorId })) {
        if (await repo.decideOffer(o.id, 'withdrawn')) {
          await withdraw([o], o.callId, 'offline');
          await service.route(o.callId);
        }
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
      if (transfer) return actions.acceptWarmTransfer(transfer, actor);
      const result = await transaction(async (tx) => {
        // One call at a time (operators/capacity.ts).
        if (await operators().atCapacity(userId, 'voice', tx)) throw new DomainError('OPERATOR_ON_CALL', 'finish your current call first', 409);
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
        const answered = {
          callId,
          operatorId: userId,
          lineId: call.lineId,
          callerHash: call.callerHash,
          waitMs: call.waitMs ?? 0,
          answeredAt: call.answeredAt!,
        };
        await events.emitWithin('call.answered', answered, tx);
        await audit.record(actor, 'telephony.call.answer', { entity: 'Call', entityId: callId }, tx);
        return { call, withdrawn, state2, answered };
      });
      await withdraw(result.withdrawn, callId, 'taken');
      await ctx.publishCall(result.call);
      await operators().afterChange(result.state2);
      await events.emitAfter('call.answered', result.answered);
      // Twilio rings the operator's browser into the caller's conference (the stand-in records it).
      const line = ctx.lines.cachedById(result.call.lineId);
      // A caller who was hearing the voicemail / call-back menu goes back into the conference.
      if (result.call.noAnswerAt) await rest('rejoin caller', callId, () => gateway.redirectCall(result.call.callSid, url('/twilio/voice/rejoin')));
      await rest('join operator', callId, () =>
        gateway.addParticipant(conferenceName(callId), {
          to: `client:${userId}`,
          from: line?.number ?? ctx.config.smsFrom ?? '+10000000000',
          label: `op-${userId}`,
        }),
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
            { callSid: p.CallSid, lineId: line?.id ?? null, callerHash: phones.hash(from), callerSealed: phones.encrypt(from), viaFallback: true },
            tx,
          );
          call = ins.row;
          if (ins.created)
            await events.emitWithin(
              'call.created',
              { callId: call.id, lineId: call.lineId, callerHash: call.callerHash, priority: call.priority, receivedAt: call.receivedAt, viaFallback: true },
              tx,
            );
        }
        if (!callStatusAdvances(call.twilioStatus, status)) return { call, ended: null };
        call = await repo.updateCall(call.id, { twilioStatus: status }, tx);
        if (!isTerminalCallStatus(status) || call.status === 'ended') return { call, ended: null };
        if (call.status === 'answered') return { call, ended: await endAnswered(call, 'caller-hangup', tx) };
        return { call, ended: await endUnanswered(call, call.viaFallback ? 'fallback' : 'caller-hangup', tx) };
      });
      if (!result) return;
      if (result.ended) await afterEnded(result.ended);
      else await ctx.publishCall(result.call);
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
      emitter.to([rooms.role('supervisor')]).emit('call:unanswered-alert', { callId, waitMs });
      await events.emitAfter('call.unanswered', { callId, waitMs });
      await rest('no-answer menu', callId, () => gateway.redirectCall(call.callSid, url('/twilio/voice/no-answer')));
    },

    /** The caller chose voicemail (recorded) or a call-back. */
    async callbackRequested(callSid: string, kind: 'voicemail' | 'requested', recordingUrl?: string) {
      const result = await transaction(async (tx) => {
        const call = await repo.findCallBySid(callSid, tx);
        if (!call) return null;
        const ended =
          call.status === 'ended' ? null : await endUnanswered(call, kind === 'voicemail' ? 'voicemail' : 'callback-requested', tx, { kind, recordingUrl });
        if (!ended) {
          const existing = await repo.findCallbackByCall(call.id, tx);
          if (existing) await repo.updateCallback(existing.id, { kind, ...(recordingUrl ? { recordingUrl } : {}) }, tx);
        }
        return { call, ended };
      });
      if (result?.ended) await afterEnded(result.ended);
      return result?.call ?? null;
    },

    /** The call with this CallSid, for the voice webhooks' menus. */
    bySid(callSid: string) {
      return repo.findCallBySid(callSid);
    },

    async snapshotCalls() {
      return Promise.all((await repo.liveCalls()).map((c) => ctx.callSummary(c)));
    },
    async myOffers(userId: string) {
      const offers = await repo.pendingOffers({ operatorId: userId });
      const out: CallOfferSummary[] = [];
      for (const o of offers) {
        const c = await repo.findCall(o.callId);
        if (c) out.push(await offerSummary(o, c));
      }
      return out;
    },
  };

  return Object.assign(service, actions);
}
export type CallsService = ReturnType<typeof callsService>;
