// Contacts API: drafts, autosave with versions, finalise, alerts, search and reference data.
import {
  AreaView,
  CategoryView,
  ContactEventView,
  ContactHistory,
  ContactSearchResult,
  ContactView,
  HighRiskItem,
  type ContactSearchQuery,
  type PatchContactBody,
  type StartOfflineContactBody,
} from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

export const contactsApi = {
  get: (id: string) => request('GET', `/api/contacts/${id}`, { schema: ContactView }),
  startOffline: (body: StartOfflineContactBody) => request('POST', '/api/contacts', { body, schema: ContactView }),
  patch: (id: string, body: PatchContactBody) => request('PATCH', `/api/contacts/${id}`, { body, schema: ContactView }),
  finalise: (id: string, version: number) => request('POST', `/api/contacts/${id}/finalise`, { body: { version }, schema: ContactView }),
  history: (id: string) => request('GET', `/api/contacts/${id}/history`, { schema: ContactHistory }),
  timeline: (id: string) => request('GET', `/api/contacts/${id}/events`, { schema: z.array(ContactEventView) }),
  ackAlert: (id: string) => request('POST', `/api/contacts/${id}/alert/ack`, { schema: z.object({ acknowledged: z.boolean() }) }),
  highRisk: () => request('GET', '/api/contacts/high-risk', { schema: z.array(HighRiskItem) }),
  search: (query: Partial<ContactSearchQuery>) => request('GET', '/api/contacts', { query: query as Record<string, string>, schema: ContactSearchResult }),
  flagCaller: (id: string, body: { kind: string; reason: string; expiresAt: string }) =>
    request('POST', `/api/contacts/${id}/caller-flags`, {
      body: body as never,
      schema: z.object({ id: z.uuid(), kind: z.string(), reason: z.string(), expiresAt: z.string() }),
    }),
  categories: () => request('GET', '/api/contact-categories', { schema: z.array(CategoryView) }),
  areas: () => request('GET', '/api/areas', { schema: z.array(AreaView) }),
  createCategory: (body: { code: string; parentId: string | null; labelRu: string; labelEn: string }) =>
    request('POST', '/api/contact-categories', { body, schema: CategoryView }),
  updateCategory: (id: string, body: { labelRu?: string; labelEn?: string; retired?: boolean }) =>
    request('PATCH', `/api/contact-categories/${id}`, { body, schema: CategoryView }),
  createArea: (body: { code: string; kind: 'city-district' | 'settlement'; nameRu: string; nameEn: string }) =>
    request('POST', '/api/areas', { body, schema: AreaView }),
  updateArea: (id: string, body: { nameRu?: string; nameEn?: string; retired?: boolean }) => request('PATCH', `/api/areas/${id}`, { body, schema: AreaView }),
};
