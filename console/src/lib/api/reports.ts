import { Report, type ReportQuery, type ReportTable } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const clean = (q: ReportQuery) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;

export const reportsApi = {
  get: (query: ReportQuery, signal?: AbortSignal) => request('GET', '/api/reports', { query: clean(query), schema: Report, signal }),
  /** The address of one table's CSV; the browser downloads it with the session cookie. */
  csvHref: (table: ReportTable, query: ReportQuery, lang: 'ru' | 'en') => `/api/reports/${table}.csv?${new URLSearchParams({ ...clean(query), lang })}`,
};

const Named = z.array(
  z.object({ id: z.string(), labelRu: z.string().optional(), labelEn: z.string().optional(), nameRu: z.string().optional(), nameEn: z.string().optional() }),
);
/** Filter choices: districts and categories as contacts keeps them. */
export const reportChoices = {
  areas: () => request('GET', '/api/areas', { schema: Named }),
  categories: () => request('GET', '/api/contact-categories', { schema: Named }),
};
