// A person's requests (access, erasure): search, the export's addresses, erase. Admins only;
// see docs/privacy.md. The number searched for goes in the search's body only.
import { DataRequestEraseResult, DataRequestSummary, type DataRequestSearchBody } from '@trustline/shared';
import { request } from './client';

export const dataRequestsApi = {
  search: (body: DataRequestSearchBody) => request('POST', '/api/data-requests/search', { body, schema: DataRequestSummary }),
  /** The export's address; the browser fetches it with the session cookie (the server audits it). */
  exportHref: (handle: string, format: 'json' | 'html', lang: 'ru' | 'en') => `/api/data-requests/export?${new URLSearchParams({ handle, format, lang })}`,
  erase: (body: { handle: string; reference: string; expectedTotal: number }) =>
    request('POST', '/api/data-requests/erase', { body: { ...body, confirm: true }, schema: DataRequestEraseResult }),
};
