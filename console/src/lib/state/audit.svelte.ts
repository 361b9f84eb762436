// The audit log, newest first, a page at a time: "load more" asks for entries before the last
// one shown (the server's `before` cursor).
import type { AuditEntry, AuditQuery } from '@trustline/shared';
import { auditApi } from '../api/audit';
import { localMidnight } from '../i18n';

export const AUDIT_PAGE = 50;

export interface AuditFilters {
  /** '' for any, `group:<first part>` for a whole group, else one action code. */
  action: string;
  entity: string;
  entityId: string;
  actorId: string;
  /** Free text on the record's readable reference. */
  q: string;
  /** `date` values (the person's local days), both inclusive. */
  from: string;
  to: string;
}

export const emptyFilters = (): AuditFilters => ({ action: '', entity: '', entityId: '', actorId: '', q: '', from: '', to: '' });

/** The filters as the server's query (the list and the CSV take the same). */
export function auditQuery(f: AuditFilters): Omit<AuditQuery, 'limit' | 'before'> {
  const group = f.action.startsWith('group:') ? (f.action.slice(6) as AuditQuery['group']) : undefined;
  return {
    action: f.action && !group ? f.action : undefined,
    group,
    entity: f.entity || undefined,
    entityId: f.entityId.trim() || undefined,
    actorId: f.actorId || undefined,
    q: f.q.trim() || undefined,
    from: localMidnight(f.from),
    to: localMidnight(f.to, true),
  };
}

export class AuditState {
  entries = $state<AuditEntry[]>([]);
  filters = $state<AuditFilters>(emptyFilters());
  loading = $state(false);
  error = $state<unknown>(null);
  /** False once a page came back shorter than asked: there is nothing older. */
  hasMore = $state(false);
  #abort: AbortController | null = null;

  /** Loads the first page for the given filters. */
  async apply(filters: AuditFilters) {
    this.filters = filters;
    this.entries = [];
    await this.#fetch();
  }

  loadMore() {
    return this.#fetch(this.entries.at(-1)?.id);
  }

  csvHref(lang: 'ru' | 'en') {
    return auditApi.csvHref(auditQuery(this.filters), lang);
  }

  async #fetch(before?: string) {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loading = true;
    this.error = null;
    try {
      const page = await auditApi.list({ ...auditQuery(this.filters), limit: AUDIT_PAGE, before }, abort.signal);
      this.entries = before ? [...this.entries, ...page] : page;
      this.hasMore = page.length === AUDIT_PAGE;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.error = err;
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }
}
