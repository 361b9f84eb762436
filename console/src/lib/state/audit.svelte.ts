// The audit log, newest first, a page at a time: "load more" asks for entries before the last
// one shown (the server's `before` cursor).
import type { AuditEntry } from '@trustline/shared';
import { auditApi } from '../api/audit';

export const AUDIT_PAGE = 50;

export interface AuditFilters {
  action: string;
  entity: string;
  entityId: string;
  actorId: string;
  /** `datetime-local` values (local time), converted to ISO for the server. */
  from: string;
  to: string;
}

export const emptyFilters = (): AuditFilters => ({ action: '', entity: '', entityId: '', actorId: '', from: '', to: '' });
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

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

  async #fetch(before?: string) {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loading = true;
    this.error = null;
    const f = this.filters;
    try {
      const page = await auditApi.list(
        {
          action: f.action.trim() || undefined,
          entity: f.entity.trim() || undefined,
          entityId: f.entityId.trim() || undefined,
          actorId: f.actorId || undefined,
          from: iso(f.from),
          to: iso(f.to),
          limit: AUDIT_PAGE,
          before,
        },
        abort.signal,
      );
      this.entries = before ? [...this.entries, ...page] : page;
      this.hasMore = page.length === AUDIT_PAGE;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.error = err;
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }
}
