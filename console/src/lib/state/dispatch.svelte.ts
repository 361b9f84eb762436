// The coordinators' board, live: a snapshot on every connect that was not recovered, then
// dispatch:changed deltas (coalesced per animation frame) and dispatch:alert marks. `now` ticks
// once a second for the timers on screen only; deadlines themselves are BullMQ jobs on the server.
import type { DispatchAlert, DispatchCard, DispatchState } from '@trustline/shared';
import { DISPATCH_STATES } from '@trustline/shared';
import { dispatchApi } from '../api/dispatch';
import { realtime } from '../realtime/socket.svelte';

export interface BoardFilter {
  kind: string;
  district: string;
  urgency: string;
}

const sortCards = (a: DispatchCard, b: DispatchCard) =>
  Number(b.overdue) - Number(a.overdue) || Number(b.escalated) - Number(a.escalated) || b.priority - a.priority || a.createdAt.localeCompare(b.createdAt);

class DispatchBoard {
  cards = $state<Record<string, DispatchCard>>({});
  alerts = $state<Record<string, DispatchAlert['level']>>({});
  filter = $state<BoardFilter>({ kind: '', district: '', urgency: '' });
  now = $state(Date.now());
  ready = $state(false);
  error = $state<unknown>(null);

  /** Cards per state column; overdue (by the ticking clock) first. */
  columns = $derived.by(() => {
    const out = Object.fromEntries(DISPATCH_STATES.map((s) => [s, [] as DispatchCard[]])) as Record<DispatchState, DispatchCard[]>;
    const f = this.filter;
    for (const c of Object.values(this.cards)) {
      if (f.kind && c.kind !== f.kind) continue;
      if (f.urgency && c.urgency !== f.urgency) continue;
      if (f.district && c.district.toLocaleLowerCase() !== f.district.toLocaleLowerCase()) continue;
      const overdue = c.overdue || (!!c.deadline && Date.parse(c.deadline) <= this.now);
      out[c.state].push({ ...c, overdue });
    }
    for (const s of DISPATCH_STATES) out[s].sort(sortCards);
    return out;
  });
  districts = $derived([...new Set(Object.values(this.cards).map((c) => c.district))].sort());

  #pending = new Map<string, DispatchCard>();
  #frame = 0;

  follow(): () => void {
    const tick = setInterval(() => (this.now = Date.now()), 1000);
    const release = [
      realtime.subscribe('dispatch:changed', (card) => this.#queue(card)),
      realtime.subscribe('dispatch:alert', (a) => (this.alerts = { ...this.alerts, [a.dispatchId]: a.level })),
      realtime.onConnect((recovered) => {
        if (!recovered || !this.ready) void this.refresh();
      }),
    ];
    return () => {
      clearInterval(tick);
      release.forEach((r) => r());
      this.ready = false;
    };
  }

  async refresh() {
    try {
      const list = await dispatchApi.board();
      this.cards = Object.fromEntries(list.map((c) => [c.id, c]));
      this.ready = true;
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  #queue(card: DispatchCard) {
    this.#pending.set(card.id, card);
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      const next = { ...this.cards };
      for (const [id, c] of this.#pending) next[id] = c;
      this.#pending.clear();
      this.cards = next;
    });
  }
}

export const dispatchBoard = new DispatchBoard();
