// How dispatch texts a number that is not a conversation (a provider, a recipient): through
// telephony's seam (services.sms.sendToNumber), which refuses numbers that sent STOP, queues the
// 'sms.send' job with retries and reports delivery states back ('sms.status-changed'). The
// message row is written inside our own transaction, so an offer's SMS exists exactly when the
// offer says it was handed over: a retried job finds it done and sends nothing twice.
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';

export type SmsPurpose = 'dispatch.offer' | 'dispatch.recipient' | 'dispatch.reply';

export interface DispatchSmsGateway {
  /** Inside the caller's transaction. */
  queue(msg: { toSealed: string; body: string; purpose: SmsPurpose; refId: string }, tx: Db): Promise<{ messageId: string } | { optedOut: true }>;
  /** After the caller's commit: hand the message to the send job. */
  flush(messageId: string): Promise<void>;
}

interface TelephonySms {
  sendToNumber(m: { toSealed: string; body: string; purpose: string; refId: string }, tx?: Db): Promise<{ messageId: string }>;
  dispatchQueued(messageId: string): Promise<void>;
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
    flush: (messageId) => sms.dispatchQueued(messageId),
  };
}
