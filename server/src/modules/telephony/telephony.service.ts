// Builds the voice services from the infrastructure: calls, lines and the call-back list.
// services.ts exposes them as services.telephony; operators (modules/operators) and
// conversations (modules/conversations) are their own features.
import type { CallbackSummary, CreateLineBody, LineSummary, UpdateLineBody } from '@trustline/shared';
import { DomainError, notFound } from '../../errors.js';
import type { Actor } from '../audit/audit.service.js';
import { callsService } from './calls.service.js';
import { telephonyContext, type TelephonyDeps } from './telephony.context.js';
import { FALLBACK_QUEUE } from './twiml.js';

/** What the reconcile schedule asks of the conversations (modules/conversations), read when it runs. */
export interface ConversationsReconcile {
  requeuePending(): Promise<number>;
  routeWaiting(): Promise<void>;
}

export function telephonyService(deps: TelephonyDeps & { conversations: () => ConversationsReconcile }) {
  const ctx = telephonyContext(deps);
  const { calls: repo, transaction, audit, phones, gateway, twiml } = ctx;
  const calls = callsService(ctx, () => ctx.operators);
  // Calls route when an operator becomes available, and withdraw an offline operator's rings.
  ctx.operators.routers.register({ channel: 'voice', routeWaiting: () => calls.routeWaiting(), withdrawOffersOf: (id) => calls.withdrawOffersOf(id) });

  type LineRow = Awaited<ReturnType<typeof repo.listLines>>[number];
  /** Reload this process's copy of the lines now, and tell the other processes to. */
  const linesChanged = async () => {
    await ctx.lines.refresh();
    await ctx.invalidation.publish('lines');
  };
  const lineSummary = (l: LineRow): LineSummary => ({
    id: l.id,
    number: l.number,
    name: l.name,
    greeting: l.greeting,
    language: l.language === 'en-US' ? 'en-US' : 'ru-RU',
    fallbackNumber: l.fallbackNumber,
    active: l.active,
  });
  type CallbackRow = NonNullable<Awaited<ReturnType<typeof repo.findCallback>>>;
  /** The caller by label and earlier contacts (the call that left the request not counted). */
  const callbackSummary = async (c: CallbackRow): Promise<CallbackSummary> => ({
    id: c.id,
    kind: c.kind,
    status: c.status,
    callId: c.callId,
    lineId: c.lineId,
    caller: await ctx.callers.info(c.callerHash, c.createdAt, { callId: c.callId }),
    hasRecording: !!c.recordingUrl,
    waitMs: c.waitMs,
    createdAt: c.createdAt.toISOString(),
    dialedAt: c.dialedAt?.toISOString() ?? null,
  });

  return {
    calls,
    gateway,
    twiml,
    mode: gateway.mode,
    lines: {
      ...ctx.lines,
      async list() {
        return (await repo.listLines()).map(lineSummary);
      },
      async create(body: CreateLineBody, actor: Actor) {
        const line = await transaction(async (tx) => {
          const l = await repo.createLine({ ...body, greeting: body.greeting ?? null, fallbackNumber: body.fallbackNumber ?? null }, tx).catch((err) => {
            if ((err as { code?: string }).code === 'P2002')
              throw new DomainError('LINE_NUMBER_TAKEN', 'a line with this number exists', 409, [{ path: 'number', message: 'already used' }]);
            throw err;
          });
          await audit.record(actor, 'telephony.line.create', { entity: 'Line', entityId: l.id }, tx);
          return l;
        });
        await linesChanged();
        return lineSummary(line);
      },
      async update(id: string, body: UpdateLineBody, actor: Actor) {
        const line = await transaction(async (tx) => {
          if (!(await repo.findLine(id, tx))) throw notFound('line');
          const l = await repo.updateLine(id, body, tx);
          await audit.record(actor, 'telephony.line.update', { entity: 'Line', entityId: id, detail: { fields: Object.keys(body) } }, tx);
          return l;
        });
        await linesChanged();
        return lineSummary(line);
      },
    },
    callbacks: {
      async list() {
        return Promise.all((await repo.listCallbacks(['open', 'dialing'])).map(callbackSummary));
      },
      /** Calls the person back through Twilio and bridges the operator's browser. The number is
       * decrypted here, only at dial time, and the dial is audited. It is never sent to a console. */
      async dial(id: string, actor: Actor) {
        const cb = await transaction(async (tx) => {
          const c = await repo.findCallback(id, tx);
          if (!c) throw notFound('call-back request');
          if (c.status !== 'open') throw new DomainError('CALLBACK_NOT_OPEN', 'this call-back is already being handled', 409);
          await audit.record(actor, 'telephony.callback.dial', { entity: 'CallbackRequest', entityId: id, detail: { decrypted: 'phone' } }, tx);
          return repo.updateCallback(id, { status: 'dialing', dialedAt: ctx.now(), dialedBy: actor.userId }, tx);
        });
        const line = await ctx.lines.sender(cb.lineId);
        const from = line?.number ?? ctx.config.smsFrom ?? '+10000000000';
        const sid = await gateway.dialOut({
          to: phones.decrypt(cb.callerSealed),
          from,
          twiml: twiml.callbackBridge(line?.language, actor.userId!),
          statusCallback: `${gateway.publicUrl}/twilio/voice/callback-status?cb=${id}`,
        });
        const updated = await repo.updateCallback(id, { dialCallSid: sid });
        return callbackSummary(updated);
      },
      async close(id: string, actor: Actor) {
        const c = await transaction(async (tx) => {
          if (!(await repo.findCallback(id, tx))) throw notFound('call-back request');
          await audit.record(actor, 'telephony.callback.close', { entity: 'CallbackRequest', entityId: id }, tx);
          return repo.updateCallback(id, { status: 'done', closedAt: ctx.now() }, tx);
        });
        return callbackSummary(c);
      },
      async dialStatus(id: string, status: string) {
        if (!['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(status)) return;
        const c = await repo.findCallback(id);
        if (!c || c.status !== 'dialing') return;
        await repo.updateCallback(id, status === 'completed' ? { status: 'done', closedAt: ctx.now() } : { status: 'open' });
      },
    },
    /** Reconcile schedule: anything a lost job or a Redis outage left behind. */
    async reconcile() {
      const r = ctx;
      await calls.routeWaiting();
      const stale = await r.calls.pendingOffers({ expiresAt: { lt: new Date(Date.now() - 2_000) } });
      for (const o of stale) await calls.expireOffer(o.id);
      const conversations = deps.conversations();
      const requeued = await conversations.requeuePending();
      await conversations.routeWaiting();
      // A lost 'call.no-answer' job (Redis outage) must not leave a caller waiting for ever.
      const overdue = await r.calls.overdueWithoutMenu(new Date(Date.now() - ctx.config.noAnswerMs - 5_000));
      for (const c of overdue) await calls.noAnswer(c.id);
      // Callers the fallback path parked in Twilio's own queue come back through /twilio/voice,
      // now that our stores answer (this job runs only when they do).
      let rescued = 0;
      const parked = await gateway.fallbackQueueMembers(FALLBACK_QUEUE).catch((err) => {
        ctx.log.warn({ err: { message: (err as Error).message } }, 'fallback queue not readable');
        return [] as string[];
      });
      for (const callSid of parked) {
        await gateway.redirectCall(callSid, `${gateway.publicUrl}/twilio/voice`).then(
          () => rescued++,
          (err) => ctx.log.warn({ err: { message: (err as Error).message } }, 'fallback queue redirect failed'),
        );
      }
      return { expired: stale.length, requeued, noAnswer: overdue.length, rescued };
    },
  };
}
export type TelephonyService = ReturnType<typeof telephonyService>;
