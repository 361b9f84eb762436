import {
  UpsertOrganizationBody,
  UpsertServiceBody,
  CreateDispatchBody,
  DispatchCard,
  DispatchDetail,
  DispatchStep,
  ImportReport,
  OrganizationView,
  RankedProvider,
  UnitView,
  UpdateCapacityBody,
} from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const qs = (o: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const dispatchApi = {
  board: (f: { kind?: string; district?: string; urgency?: string } = {}) => request('GET', `/api/dispatches/board${qs(f)}`, { schema: z.array(DispatchCard) }),
  detail: (id: string) => request('GET', `/api/dispatches/${id}`, { schema: DispatchDetail }),
  byContact: (contactId: string) =>
    request('GET', `/api/dispatches/by-contact/${contactId}`, { schema: z.array(DispatchCard.extend({ steps: z.array(DispatchStep) })) }),
  suggest: (q: { kind: string; district: string; urgency: string; childrenInvolved: boolean; quantity: number }) =>
    request('GET', `/api/dispatches/suggest${qs(q)}`, { schema: z.array(RankedProvider) }),
  suggestFor: (id: string) => request('GET', `/api/dispatches/${id}/suggest`, { schema: z.array(RankedProvider) }),
  create: (body: CreateDispatchBody) => request('POST', '/api/dispatches', { body, schema: z.object({ id: z.string(), number: z.number() }) }),
  offer: (id: string, serviceId: string, note: string | null = null) => request('POST', `/api/dispatches/${id}/offer`, { body: { serviceId, note } }),
  cancel: (id: string, reason: string) => request('POST', `/api/dispatches/${id}/cancel`, { body: { reason } }),
  fail: (id: string, reason: string) => request('POST', `/api/dispatches/${id}/fail`, { body: { reason } }),
  delivered: (id: string, note: string | null) => request('POST', `/api/dispatches/${id}/delivered`, { body: { note } }),
};

export const directoryApi = {
  list: () => request('GET', '/api/directory', { schema: z.array(OrganizationView) }),
  saveOrganization: (body: z.input<typeof UpsertOrganizationBody>) =>
    request('POST', '/api/directory/organizations', { body, schema: z.object({ id: z.string() }) }),
  saveService: (body: z.input<typeof UpsertServiceBody>) => request('POST', '/api/directory/services', { body, schema: z.object({ id: z.string() }) }),
  units: () => request('GET', '/api/directory/units', { schema: z.array(UnitView) }),
  capacity: (serviceId: string, body: z.input<typeof UpdateCapacityBody>) =>
    request('PUT', `/api/directory/services/${serviceId}/capacity`, { body, schema: z.object({ id: z.string(), updated: z.string() }) }),
  importFiles: (files: Record<string, string>, dryRun = false) =>
    request('POST', '/api/directory/import', { body: { files }, query: { dryRun }, schema: ImportReport }),
};
