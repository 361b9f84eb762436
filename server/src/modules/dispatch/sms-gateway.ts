// How dispatch texts a number that is not a conversation (a provider, a recipient): through
// telephony's seam (services.sms.sendToNumber), which refuses numbers that sent STOP, queues the
// 'sms.send' job with retries and reports delivery states back ('sms.status-changed'). The
// message row and its send job (an outbox row) are written inside our own transaction, so an
// offer's SMS exists exactly when the offer says it was handed over, and goes out when dispatch's
// transaction runner kicks the outbox after the commit: a retried job finds it done and sends
// nothing twice.
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';

export type SmsPurpose = 'dispatch.offer' | 'dispatch.recipient' | 'dispatch.reply';

export interface DispatchSmsGateway {
  /** Inside the caller's transaction; the send job goes out with the caller's outbox kick. */
  queue(msg: { toSealed: string; body: string; purpose: SmsPurpose; refId: string }, tx: Db): Promise<{ messageId: string } | { optedOut: true }>;
}

interface TelephonySms {
  sendToNumber(m: { toSealed: string; body: string; purpose: string; refId: string }, tx?: Db): Promise<{ messageId: string }>;
}

export function telephonySmsGateway(sms: TelephonySms): DispatchSmsGateway {
  return {
    async queue(msg, tx) {
      try {
        return await sms.sendToNumber(msg, tx);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'SMS_OPTED_OUT') return { optedOut: true };
        throw err;
      }
    },
  };
}
