import { CallbackSummary, LineSummary, SimResult, StuckMessages, VoiceTokenResponse, type CreateLineBody, type UpdateLineBody } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const enc = encodeURIComponent;
const SimCalls = z.array(z.object({ callSid: z.string(), from: z.string(), to: z.string(), menu: z.boolean() }));

export const telephonyApi = {
  token: () => request('GET', '/api/telephony/token', { schema: VoiceTokenResponse }),
  lines: () => request('GET', '/api/telephony/lines', { schema: z.array(LineSummary) }),
  createLine: (body: CreateLineBody) => request('POST', '/api/telephony/lines', { body, schema: LineSummary }),
  updateLine: (id: string, body: UpdateLineBody) => request('PATCH', `/api/telephony/lines/${enc(id)}`, { body, schema: LineSummary }),
  stuckMessages: () => request('GET', '/api/telephony/messages/stuck', { schema: StuckMessages }),
  callbacks: () => request('GET', '/api/telephony/callbacks', { schema: z.array(CallbackSummary) }),
  dialCallback: (id: string) => request('POST', `/api/telephony/callbacks/${enc(id)}/dial`, { body: {}, schema: CallbackSummary }),
  closeCallback: (id: string) => request('POST', `/api/telephony/callbacks/${enc(id)}/close`, { body: {}, schema: CallbackSummary }),
  sim: {
    call: (body: { from: string; to?: string; digits?: string }) => request('POST', '/api/telephony/simulator/call', { body, schema: SimResult }),
    press: (callSid: string, digits: string) => request('POST', '/api/telephony/simulator/digits', { body: { callSid, digits }, schema: SimResult }),
    record: (callSid: string) => request('POST', '/api/telephony/simulator/record', { body: { callSid }, schema: SimResult }),
    hangup: (callSid: string) => request('POST', '/api/telephony/simulator/hangup', { body: { callSid }, schema: SimResult }),
    sms: (body: { from: string; to?: string; body: string }) => request('POST', '/api/telephony/simulator/sms', { body, schema: SimResult }),
    calls: () => request('GET', '/api/telephony/simulator/calls', { schema: SimCalls }),
  },
};
