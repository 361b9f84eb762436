// Every process keeps a copy of the lines, servers and workers alike: they change rarely, and the
// fallback path must read them when the database does not answer. The copy is loaded when first
// needed (or warmed at start), read again when older than 30 s or when a number or id is not in
// it, and reloaded at once when any process changes a line (the 'lines' invalidation). Other
// features (conversations) read it through the `lines` port.
import type { Logger } from 'pino';
import type { Invalidation } from '../../invalidation.js';
import type { CallsRepository } from './calls.repository.js';

export type LineRow = Awaited<ReturnType<CallsRepository['listLines']>>[number];

export function lineDirectory(deps: { calls: Pick<CallsRepository, 'listLines'>; invalidation: Invalidation; log: Logger }) {
  const { calls, invalidation, log } = deps;
  let lines = new Map<string, LineRow>();
  let linesById = new Map<string, LineRow>();
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const MAX_AGE_MS = 30_000;
  // A number or id that is not in the copy triggers a read at most once a second, so a flood of
  // webhooks for an unknown number does not become a flood of queries.
  const MISS_REREAD_MS = 1_000;

  const load = () => {
    loading ??= calls
      .listLines()
      .then((rows) => {
        lines = new Map(rows.map((l) => [l.number, l]));
        linesById = new Map(rows.map((l) => [l.id, l]));
        loadedAt = Date.now();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  /** Reads the lines again when the copy is too old, or when `missing` and not read just now. Never fails. */
  const ensure = async (missing: boolean) => {
    const age = Date.now() - loadedAt;
    if (age > MAX_AGE_MS || (missing && age > MISS_REREAD_MS)) await load().catch((err) => log.warn({ err }, 'line cache refresh failed'));
  };
  invalidation.on('lines', load);

  const directory = {
    /** Reads the lines now (after this process changed one). */
    refresh: load,
    /** The line for a number, read from the database if this process does not know it. Never fails. */
    async byNumber(number: string | undefined) {
      if (!number) return null;
      await ensure(!lines.has(number));
      return lines.get(number) ?? null;
    },
    /** The line with this id, read from the database if this process does not know it. Never fails. */
    async byId(id: string | null) {
      if (!id) return null;
      await ensure(!linesById.has(id));
      return linesById.get(id) ?? null;
    },
    /** The line a message or call-back goes out from: its own, else the first active one. */
    async sender(lineId: string | null) {
      const own = await directory.byId(lineId);
      if (own) return own;
      await ensure(lines.size === 0);
      return [...lines.values()].find((l) => l.active) ?? null;
    },
    /** The copy as it is, without waiting: for the store-down fallback and for summaries. */
    cachedByNumber: (number: string | undefined) => (number ? (lines.get(number) ?? null) : null),
    cachedById: (id: string | null) => (id ? (linesById.get(id) ?? null) : null),
  };
  return directory;
}
export type LineDirectory = ReturnType<typeof lineDirectory>;
