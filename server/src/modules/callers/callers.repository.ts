// Callers: how often a keyed hash reached the line before, and the sealed number behind a call,
// a call-back request or an SMS thread for the break-glass reveal. The only Prisma user here; it
// reads telephony's and contacts' tables by their indexed hash columns, and writes nothing.
import type { Db } from '../../db/tx.js';

/** A uuid no row has: stands in for "exclude nothing" so the query keeps one shape. */
const NONE = '00000000-0000-0000-0000-000000000000';

export interface HistoryExclude {
  callId?: string | null;
  conversationId?: string | null;
  contactId?: string | null;
}

export function callersRepository(db: Db) {
  return {
    /** Earlier contacts of one hash before `before`: calls, SMS threads, and contacts recorded
     * without a call or thread (those with one are the same contact, counted once by it). One
     * round trip; each part uses its hash index (Call.callerHash, Conversation.peerHash+status,
     * Contact.phoneHash+createdAt). */
    async history(hash: string, before: Date, exclude: HistoryExclude = {}, tx: Db = db) {
      const rows = await tx.$queryRaw<{ n: number; last: Date | null }[]>`
        SELECT count(*)::int AS n, max(t) AS last FROM (
          SELECT "receivedAt" AS t FROM "Call"
            WHERE "callerHash" = ${hash} AND "receivedAt" < ${before} AND id <> ${exclude.callId ?? NONE}::uuid
          UNION ALL
          SELECT "openedAt" AS t FROM "Conversation"
            WHERE "peerHash" = ${hash} AND "openedAt" < ${before} AND id <> ${exclude.conversationId ?? NONE}::uuid
          UNION ALL
          SELECT "createdAt" AS t FROM "Contact"
            WHERE "phoneHash" = ${hash} AND "createdAt" < ${before} AND "callId" IS NULL AND "conversationId" IS NULL
              AND id <> ${exclude.contactId ?? NONE}::uuid
        ) earlier`;
      const r = rows[0];
      return { earlier: Number(r?.n ?? 0), lastAt: r?.last ? new Date(r.last) : null };
    },

    findCall(id: string, tx: Db = db) {
      return tx.call.findUnique({ where: { id }, select: { id: true, callerHash: true, callerSealed: true, operatorId: true, consultId: true } });
    },
    findCallback(id: string, tx: Db = db) {
      return tx.callbackRequest.findUnique({ where: { id }, select: { id: true, callerHash: true, callerSealed: true, dialedBy: true, callId: true } });
    },
    findConversation(id: string, tx: Db = db) {
      return tx.conversation.findUnique({ where: { id }, select: { id: true, peerHash: true, peerSealed: true, operatorId: true } });
    },
  };
}
export type CallersRepository = ReturnType<typeof callersRepository>;
