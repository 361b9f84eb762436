// Consents of a contact or a case, and the breach register (admins). See docs/privacy.md.
import {
  BreachView,
  ConsentView,
  type BreachNoticeBody,
  type CreateBreachBody,
  type RecordConsentBody,
  type UpdateBreachBody,
  type WithdrawConsentBody,
} from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const id = (s: string) => encodeURIComponent(s);
export type ConsentSubject = { contactId: string } | { caseId: string };

export const privacyApi = {
  consents: (subject: ConsentSubject) => request('GET', '/api/privacy/consents', { query: subject, schema: z.array(ConsentView) }),
  recordConsent: (body: RecordConsentBody) => request('POST', '/api/privacy/consents', { body, schema: ConsentView }),
  withdrawConsent: (consentId: string, body: WithdrawConsentBody) =>
    request('POST', `/api/privacy/consents/${id(consentId)}/withdraw`, { body, schema: ConsentView }),

  breaches: () => request('GET', '/api/privacy/breaches', { schema: z.array(BreachView) }),
  breach: (breachId: string) => request('GET', `/api/privacy/breaches/${id(breachId)}`, { schema: BreachView }),
  createBreach: (body: Partial<CreateBreachBody> & Pick<CreateBreachBody, 'summary' | 'discoveredAt'>) =>
    request('POST', '/api/privacy/breaches', { body, schema: BreachView }),
  updateBreach: (breachId: string, body: UpdateBreachBody) => request('PATCH', `/api/privacy/breaches/${id(breachId)}`, { body, schema: BreachView }),
  addNotice: (breachId: string, body: BreachNoticeBody) => request('POST', `/api/privacy/breaches/${id(breachId)}/notices`, { body, schema: BreachView }),
};
