// Live figures for the wallboard: events from the other features are applied to the state in
// Redis (wallboard.store.ts) with the pure reducer, and what changed goes to the `wallboard` room at
// once. Snapshots are read from Redis; the database is read only for display names and by the
// reconciliation.
import type { WallboardSnapshot } from '@trustline/shared';
import type { Logger } from 'pino';
import { localTime } from '../../clock.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import { emptyState, reduce, rollover, type LiveEvent, type LiveState } from './figures.js';
import type { WallboardRepository } from './wallboard.repository.js';
import type { WallboardStore } from './wallboard.store.js';
import { dayStart, rebuild, type Rows } from './rebuild.js';
import { delta, view, type ViewSettings } from './view.js';

export interface WallboardDeps {
  store: WallboardStore;
  repo: WallboardRepository;
  emitter: Emitter;
  log: Logger;
  settings: ViewSettings;
  now?: () => number;
}

export function wallboardService(deps: WallboardDeps) {
  const { store, repo, emitter, log, settings } = deps;
  const now = deps.now ?? Date.now;
  // Display names, kept a minute: every process has its own copy, and a name an administrator
  // changes on any node shows on every wallboard within that minute.
  const NAME_MAX_AGE_MS = 60_000;
  const names = new Map<string, { name: string; at: number }>();
  const today = () => localTime(now(), settings.timezone).day;

  async function namesFor(state: LiveState) {
    const t = now();
    const ids = Object.keys(state.operators);
    const missing = ids.filter((id) => !(t - (names.get(id)?.at ?? -Infinity) < NAME_MAX_AGE_MS));
    if (missing.length) {
      const found = await repo.names(missing);
      for (const id of missing) names.set(id, { name: found[id] ?? id.slice(0, 8), at: t });
    }
    return Object.fromEntries(ids.map((id) => [id, names.get(id)!.name]));
  }

  /** The state as of now: a day that ended with no event since is rolled over for viewing. */
  const current = (s: LiveState | null) => rollover(s ?? emptyState(today()), today());

  async function publish(before: LiveState | null, after: LiveState) {
    const t = now();
    const n = await namesFor(after);
    const d = delta(view(current(before), t, settings, n), view(current(after), t, settings, n));
    if (d) emitter.to(rooms.wallboard()).emit('wallboard:changed', d);
  }

  async function readRows(t: number): Promise<Rows> {
    const from = new Date(dayStart(t, settings.timezone));
    const calls = await repo.calls(from);
    const [offers, states, history, conversations, contacts, dispatches, deadlines] = await Promise.all([
      repo.acceptedOffers(calls.filter((c) => c.answeredAt).map((c) => c.id)),
      repo.operatorStates(),
      repo.stateHistory(from),
      repo.openConversations(),
      repo.openRiskContacts(),
      repo.openDispatches(),
      repo.unmetDeadlines(),
    ]);
    return { calls, offers, states, history, conversations, contacts, dispatches, deadlines };
  }

  return {
    repo,
    /** Applies one event; the wallboard room hears what changed. */
    async apply(event: LiveEvent) {
      const res = await store.update((s) => reduce(s ?? emptyState(localTime(event.at, settings.timezone).day), event, settings));
      if (res) await publish(res.before, res.after);
    },

    async snapshot(): Promise<WallboardSnapshot> {
      const state = current(await store.get());
      return view(state, now(), settings, await namesFor(state));
    },

    async callsWaiting() {
      const state = await store.get();
      return state ? Object.keys(state.waiting).length : 0;
    },

    /** The figures as the database says they are now (nothing stored). */
    async recompute(): Promise<LiveState> {
      const t = now();
      const existing = await store.get();
      return rebuild(await readRows(t), t, settings, existing?.history ?? {});
    },

    /** Replaces the live figures with the database's, unless an event lands meanwhile (then it
     * tries again). Returns whether the stored figures had drifted. */
    async reconcile(): Promise<{ drifted: boolean }> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const version = await store.version();
        const t = now();
        const existing = await store.get();
        const fresh = rebuild(await readRows(t), t, settings, existing?.history ?? {});
        const res = await store.update(() => fresh, version);
        if (!res) continue;
        const before = res.before ? current(res.before) : null;
        const drifted = JSON.stringify(before?.today) !== JSON.stringify(fresh.today) || JSON.stringify(before?.waiting) !== JSON.stringify(fresh.waiting);
        if (drifted) log.warn({ day: fresh.day }, 'live figures drifted from the database; reconciled');
        await publish(res.before, res.after);
        return { drifted };
      }
      log.warn('live figures not reconciled: events kept arriving');
      return { drifted: false };
    },

    /** Forgets the live figures (tests, and an administrator's reset before a reconcile). */
    reset: () => store.clear(),
  };
}
export type WallboardService = ReturnType<typeof wallboardService>;
