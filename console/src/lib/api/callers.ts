import { NumberRevealedAlert, RevealNumberResponse, type RevealNumberBody, type RevealSubject } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const PATH: Record<RevealSubject, string> = { call: 'calls', callback: 'callbacks', conversation: 'conversations' };

export const callersApi = {
  /** Break-glass: the number once, for a reason; audited, and supervisors are told. */
  reveal: (subject: RevealSubject, id: string, body: RevealNumberBody) =>
    request('POST', `/api/telephony/${PATH[subject]}/${encodeURIComponent(id)}/reveal-number`, { body, schema: RevealNumberResponse }),
  /** Supervisors: the reveals of the last day, newest first (no number in them). */
  recentReveals: () => request('GET', '/api/telephony/reveals', { schema: z.array(NumberRevealedAlert) }),
};
