// Destruction records and "run retention now" (admins). See docs/privacy.md.
import { DestructionRecordPage, DestructionRecordView, RetentionRunResult, type RetentionKind } from '@trustline/shared';
import { request } from './client';

export interface RecordFilter {
  /** Instants (the console sends local midnights). */
  from?: string;
  to?: string;
  kind?: string;
  before?: number;
  limit?: number;
}

export const retentionApi = {
  records: (f: RecordFilter) =>
    request('GET', '/api/privacy/destruction-records', { query: { ...f, kind: f.kind || undefined }, schema: DestructionRecordPage }),
  record: (id: string) => request('GET', `/api/privacy/destruction-records/${encodeURIComponent(id)}`, { schema: DestructionRecordView }),
  runNow: (kinds?: RetentionKind[]) => request('POST', '/api/privacy/retention/run', { body: kinds ? { kinds } : {}, schema: RetentionRunResult }),
};
