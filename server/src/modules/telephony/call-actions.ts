// In-call actions: hold, hang-up, warm and cold transfer, supervisor listen/join.
import { DomainError } from '../../errors.js';
import type { Actor } from '../audit/audit.service.js';
import type { CallHelpers, OfferRow } from './call-helpers.js';
import { conferenceName, type Operators, type TelephonyContext } from './telephony.context.js';

export function callActions(
  ctx: TelephonyContext,
  operators: () => Operators,
  h: CallHelpers,
  core: { route: (callId: string, target?: { operatorId: string; kind: string }) => Promise<unknown> },
) {
  const { calls: repo, transaction, events, audit, gateway } = ctx;
  const { ownCall, rest, publishOffer, endAnswered, afterEnded } = h;

  const actions = {
    async setHold(callId: string, hold: boolean, actor: Actor) {
      const call = await transaction(async (tx) => {
        const c = await ownCall(callId, actor.userId!, tx);
        return repo.updateCall(c.id, { onHold: hold }, tx);
      });
      await rest(hold ? 'hold' : 'resume', callId, () => gateway.holdCaller(call.conferenceSid ?? conferenceName(callId), hold, ctx.config.holdMusicUrl));
      await ctx.publishCall(call);
      return ctx.callSummary(call);
    },

    /** The operator hangs up: the call ends for everyone, the operator goes to wrap-up. */
    async hangup(callId: string, actor: Actor) {
      // A supervisor listening or joining, or a transfer target who has not taken over, only leaves.
      const current = await repo.findCall(callId);
      if (current && current.consultId === actor.userId && current.operatorId !== actor.userId) {
        if (current.consultMode !== 'warm') return actions.stopListening(callId, actor);
        const left = await transaction(async (tx) => {
          const n = await repo.updateCallWhere({ id: callId, consultId: actor.userId, consultMode: 'warm' }, { consultId: null, consultMode: null }, tx);
          if (!n) throw new DomainError('NOT_YOUR_CALL', 'this call is not connected to you', 409);
          return { call: (await repo.findCall(callId, tx))!, state: await operators().change(actor.userId!, 'available', null, tx) };
        });
        await rest('transfer target leaves', callId, () => gateway.removeParticipant(left.call.conferenceSid ?? conferenceName(callId), `op-${actor.userId}`));
        await ctx.publishCall(left.call);
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
          const offer = await repo.createOffer(
            { callId, operatorId: targetId, kind: 'transfer-warm', expiresAt: new Date(ctx.now().getTime() + ctx.config.offerTimeoutMs) },
            tx,
          );
          return { call: c, offer, state: null };
        }
        await repo.updateCallWhere({ id: callId, status: 'answered', operatorId: userId }, { status: 'queued', operatorId: null, onHold: false }, tx);
        const state = await operators().change(userId, 'wrap_up', 'transfer', tx);
        return { call: (await repo.findCall(callId, tx))!, offer: null, state };
      });
      if (result.offer) {
        await publishOffer(result.offer, result.call);
        return ctx.callSummary(result.call);
      }
      await rest('remove operator', callId, () => gateway.removeParticipant(result.call.conferenceSid ?? conferenceName(callId), `op-${userId}`));
      await operators().afterChange(result.state!);
      await events.emitAfter('call.transferred', { callId, fromOperatorId: userId, toOperatorId: targetId, mode: 'cold' });
      await ctx.publishCall(result.call);
      await core.route(callId, { operatorId: targetId, kind: 'transfer-cold' });
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
      await ctx.publishCall(result.call);
      const line = ctx.lines.cachedById(result.call.lineId);
      await rest('join transfer target', offer.callId, () =>
        gateway.addParticipant(result.call.conferenceSid ?? conferenceName(offer.callId), {
          to: `client:${userId}`,
          from: line?.number ?? '+10000000000',
          label: `op-${userId}`,
        }),
      );
      return ctx.callSummary(result.call);
    },

    /** Warm transfer, second half: the first operator leaves; the target now holds the call. */
    async completeTransfer(callId: string, actor: Actor) {
      const userId = actor.userId!;
      const result = await transaction(async (tx) => {
        const c = await ownCall(callId, userId, tx);
        if (c.operatorId !== userId || !c.consultId || c.consultMode !== 'warm')
          throw new DomainError('NO_TRANSFER', 'no one has joined to take this call', 409);
        const call = await repo.updateCall(callId, { operatorId: c.consultId, consultId: null, consultMode: null }, tx);
        const state = await operators().change(userId, 'wrap_up', 'transfer', tx);
        return { call, state, to: c.consultId };
      });
      await rest('remove operator', callId, () => gateway.removeParticipant(result.call.conferenceSid ?? conferenceName(callId), `op-${userId}`));
      await operators().afterChange(result.state);
      await ctx.publishCall(result.call);
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
        gateway.addParticipant(call.conferenceSid ?? conferenceName(callId), {
          to: `client:${actor.userId}`,
          from: line?.number ?? '+10000000000',
          label: `sup-${actor.userId}`,
          muted: mode === 'listen',
        }),
      );
      await ctx.publishCall(call);
      return ctx.callSummary(call);
    },

    async stopListening(callId: string, actor: Actor) {
      const call = await transaction(async (tx) => {
        const c = await repo.findCall(callId, tx);
        if (!c || c.consultId !== actor.userId || (c.consultMode !== 'listen' && c.consultMode !== 'join'))
          throw new DomainError('NOT_LISTENING', 'you are not listening to this call', 409);
        return repo.updateCall(callId, { consultId: null, consultMode: null }, tx);
      });
      await rest('stop listening', callId, () => gateway.removeParticipant(call.conferenceSid ?? conferenceName(callId), `sup-${actor.userId}`));
      await ctx.publishCall(call);
      return ctx.callSummary(call);
    },
  };
  return actions;
}
