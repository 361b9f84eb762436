import { AuditEntry, type AuditCsvQuery, type AuditQuery } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const AuditPage = z.array(AuditEntry);
const clean = (q: object) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;

export const auditApi = {
  list: (query: Partial<AuditQuery>, signal?: AbortSignal) => request('GET', '/api/audit', { query, schema: AuditPage, signal }),
  /** The address of the filtered view's CSV; the browser downloads it with the session cookie. */
  csvHref: (query: Omit<Partial<AuditCsvQuery>, 'lang'>, lang: 'ru' | 'en') => `/api/audit/export.csv?${new URLSearchParams({ ...clean(query), lang })}`,
};
