import { AuditEntry, type AuditQuery } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const AuditPage = z.array(AuditEntry);

export const auditApi = {
  list: (query: Partial<AuditQuery>, signal?: AbortSignal) => request('GET', '/api/audit', { query, schema: AuditPage, signal }),
};
