// Calls, offers, lines and call-back requests: the only Prisma user for voice.
import type { Db } from '../../db/tx.js';
import type { CallPriority, Prisma } from '../../generated/prisma/client.js';

export type CallRow = NonNullable<Awaited<ReturnType<ReturnType<typeof callsRepository>['findCall']>>>;

export function callsRepository(db: Db) {
  return {
    // ── Lines ──
    listLines(tx: Db = db) {
      return tx.line.findMany({ orderBy: { name: 'asc' } });
    },
    createLine(data: Prisma.LineCreateInput, tx: Db = db) {
      return tx.line.create({ data });
    },
    updateLine(id: string, data: Prisma.LineUpdateInput, tx: Db = db) {
      return tx.line.update({ where: { id }, data });
    },
    findLine(id: string, tx: Db = db) {
      return tx.line.findUnique({ where: { id } });
    },

    // ── Calls ──
    findCall(id: string, tx: Db = db) {
      return tx.call.findUnique({ where: { id } });
    },
    findCallBySid(callSid: string, tx: Db = db) {
      return tx.call.findUnique({ where: { callSid } });
    },
    /** Insert once per CallSid; a retried webhook finds the row already there. */
    async insertCallOnce(data: Prisma.CallCreateInput, tx: Db = db) {
      const inserted = await tx.call.createMany({ data: [data as Prisma.CallCreateManyInput], skipDuplicates: true });
      const row = await tx.call.findUniqueOrThrow({ where: { callSid: data.callSid } });
      return { row, created: inserted.count === 1 };
    },
    updateCall(id: string, data: Prisma.CallUpdateInput, tx: Db = db) {
      return tx.call.update({ where: { id }, data });
    },
    /** Conditional update: changes the row only when `where` still holds. Returns rows changed. */
    async updateCallWhere(where: Prisma.CallWhereInput & { id: string }, data: Prisma.CallUpdateManyMutationInput, tx: Db = db) {
      return (await tx.call.updateMany({ where, data })).count;
    },
    /** The one place that gives a waiting call to an operator: a single conditional UPDATE, so
     * of any number of concurrent accepts exactly one changes the row. */
    async takeQueuedCall(callId: string, operatorId: string, tx: Db = db): Promise<number> {
      return tx.$executeRaw`UPDATE "Call" SET status = 'answered', "operatorId" = ${operatorId}::uuid, "answeredAt" = now(),
        "waitMs" = GREATEST(0, (EXTRACT(EPOCH FROM (now() - COALESCE("queuedAt", "receivedAt"))) * 1000)::int), "updatedAt" = now()
        WHERE id = ${callId}::uuid AND status = 'queued' AND "operatorId" IS NULL`;
    },
    liveCalls(tx: Db = db) {
      return tx.call.findMany({
        where: { status: { in: ['received', 'queued', 'answered'] } },
        orderBy: [{ priority: 'desc' }, { queuedAt: 'asc' }, { receivedAt: 'asc' }],
      });
    },
    waitingCallsWithoutOffer(tx: Db = db) {
      return tx.call.findMany({
        where: { status: 'queued', operatorId: null, offers: { none: { outcome: 'pending' } } },
        orderBy: [{ priority: 'desc' }, { queuedAt: 'asc' }],
        select: { id: true },
      });
    },
    overdueWithoutMenu(queuedBefore: Date, tx: Db = db) {
      return tx.call.findMany({ where: { status: 'queued', noAnswerAt: null, queuedAt: { lt: queuedBefore } }, select: { id: true }, take: 200 });
    },
    // ── Offers ──
    createOffer(data: { callId: string; operatorId: string; kind: string; expiresAt: Date }, tx: Db = db) {
      return tx.callOffer.create({ data });
    },
    findOffer(id: string, tx: Db = db) {
      return tx.callOffer.findUnique({ where: { id } });
    },
    pendingOffers(where: Prisma.CallOfferWhereInput, tx: Db = db) {
      return tx.callOffer.findMany({ where: { ...where, outcome: 'pending' } });
    },
    async decideOffer(id: string, outcome: 'accepted' | 'declined' | 'expired' | 'withdrawn', tx: Db = db) {
      return (await tx.callOffer.updateMany({ where: { id, outcome: 'pending' }, data: { outcome, decidedAt: new Date() } })).count;
    },
    async decideOffersOf(callId: string, outcome: 'withdrawn', exceptOperator: string | null, tx: Db = db) {
      const rows = await tx.callOffer.findMany({ where: { callId, outcome: 'pending', ...(exceptOperator ? { operatorId: { not: exceptOperator } } : {}) } });
      if (rows.length) await tx.callOffer.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { outcome, decidedAt: new Date() } });
      return rows;
    },
    /** Who must not get this call now: operators with a ring in progress (any call), and those
     * who declined it. And who comes last: those already offered it (they let it ring out). */
    async candidateRules(callId: string, tx: Db = db) {
      const ringing = await tx.callOffer.findMany({ where: { outcome: 'pending' }, select: { operatorId: true }, distinct: ['operatorId'] });
      const offered = await tx.callOffer.findMany({ where: { callId }, select: { operatorId: true, outcome: true } });
      const declined = offered.filter((o) => o.outcome === 'declined').map((o) => o.operatorId);
      return { exclude: [...new Set([...ringing.map((o) => o.operatorId), ...declined])], last: [...new Set(offered.map((o) => o.operatorId))] };
    },
    /** Whether the database answers now (the webhook spools ask before blaming an entry). */
    async ping() {
      await db.$queryRaw`SELECT 1`;
      return true;
    },

    // ── Call-back requests ──
    createCallbackOnce(data: Prisma.CallbackRequestCreateManyInput, tx: Db = db) {
      return tx.callbackRequest.createMany({ data: [data], skipDuplicates: true });
    },
    findCallbackByCall(callId: string, tx: Db = db) {
      return tx.callbackRequest.findUnique({ where: { callId } });
    },
    findCallback(id: string, tx: Db = db) {
      return tx.callbackRequest.findUnique({ where: { id } });
    },
    updateCallback(id: string, data: Prisma.CallbackRequestUpdateInput, tx: Db = db) {
      return tx.callbackRequest.update({ where: { id }, data });
    },
    listCallbacks(status: ('open' | 'dialing' | 'done' | 'cancelled')[], tx: Db = db) {
      return tx.callbackRequest.findMany({ where: { status: { in: status } }, orderBy: { createdAt: 'asc' }, take: 500 });
    },
  };
}
export type CallsRepository = ReturnType<typeof callsRepository>;

export type { CallPriority };
