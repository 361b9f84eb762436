// Destruction records: the filtered list (paged by record number), the one opened as an act,
// and "run retention now". Dates are the reader's local days, sent as instants.
import type { DestructionRecordView } from '@trustline/shared';
import { retentionApi } from '../api/retention';
import { hasKey, localMidnight, t } from '../i18n';

/** The categories of a record in the reader's language, each once. */
export function categoryLabels(codes: readonly string[]): string {
  const out = new Set<string>();
  for (const c of codes) {
    const key = `retention.category.${c}`;
    out.add(hasKey(key) ? t(key) : c);
  }
  return [...out].join(', ');
}

export class RetentionState {
  list = $state<DestructionRecordView[]>([]);
  next = $state<number | null>(null);
  current = $state<DestructionRecordView | null>(null);
  loading = $state(false);
  running = $state(false);
  error = $state<unknown>(null);
  /** Records the last "run now" wrote (null: not run from this page). */
  ran = $state<number | null>(null);
  from = $state('');
  to = $state('');
  kind = $state('');

  #filter() {
    return { from: localMidnight(this.from), to: localMidnight(this.to, true), kind: this.kind || undefined, limit: 50 };
  }

  async load(more = false) {
    this.loading = true;
    try {
      const page = await retentionApi.records({ ...this.#filter(), before: more ? (this.next ?? undefined) : undefined });
      this.list = more ? [...this.list, ...page.items] : page.items;
      this.next = page.next;
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  async open(id: string) {
    try {
      this.current = await retentionApi.record(id);
      this.error = null;
    } catch (e) {
      this.error = e;
    }
  }

  async runNow() {
    this.running = true;
    try {
      const out = await retentionApi.runNow();
      this.ran = out.records.length;
      this.error = null;
      await this.load();
    } catch (e) {
      this.error = e;
    } finally {
      this.running = false;
    }
  }
}
