import { AssignWaitingBody, KioskToken, Me, SetOperatorStateBody, SupervisorMessage, WallboardSnapshot } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

export const wallboardApi = {
  snapshot: () => request('GET', '/api/wallboard', { schema: WallboardSnapshot }),
  assign: (body: z.input<typeof AssignWaitingBody>) => request('POST', '/api/wallboard/assign', { body, schema: z.object({ operatorId: z.string() }) }),
  setState: (body: z.input<typeof SetOperatorStateBody>) => request('POST', '/api/wallboard/operator-state', { body, schema: z.object({ state: z.string() }) }),
  ack: (contactId: string) => request('POST', '/api/wallboard/alerts/ack', { body: { contactId }, schema: z.object({ acknowledged: z.boolean() }) }),
  kioskSignIn: (token: string) => request('POST', '/api/wallboard/kiosk/sign-in', { body: { token }, schema: Me }),
  broadcast: (text: string) => request('POST', '/api/wallboard/messages', { body: { text }, schema: SupervisorMessage }),
};

export const kioskApi = {
  list: () => request('GET', '/api/wallboard/kiosks', { schema: z.array(KioskToken) }),
  create: (label: string) =>
    request('POST', '/api/wallboard/kiosks', { body: { label }, schema: z.object({ id: z.string(), label: z.string(), url: z.string() }) }),
  revoke: (id: string) => request('POST', `/api/wallboard/kiosks/${id}/revoke`, { body: {} }),
};
