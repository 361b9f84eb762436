// A report for a period and filters, loaded on demand; the last query stays for CSV links.
import type { Report, ReportQuery } from '@trustline/shared';
import { reportsApi } from '../api/reports';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function monthOf(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: day(new Date(Date.UTC(y, m - 1, 1))), to: day(new Date(Date.UTC(y, m, 0))) };
}

export const defaultQuery = (): ReportQuery => {
  const now = new Date();
  return { from: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))), to: day(now) };
};

export class ReportState {
  query = $state<ReportQuery>(defaultQuery());
  report = $state<Report | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);
  #abort: AbortController | null = null;

  async load(query: ReportQuery) {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.query = query;
    this.loading = true;
    this.error = null;
    try {
      this.report = await reportsApi.get(query, abort.signal);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.error = err;
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }
}
