// Live wallboard figures. On every (re)connect that was not recovered, `wallboard:subscribe`
// joins the wallboard room and answers with a fresh snapshot; then `wallboard:changed` deltas
// arrive. Bursts are coalesced: deltas queue up and are applied together once per tick.
// The longest wait is not polled: the snapshot gives its start, and `clock` ticks every second.
import type { SupervisorMessage, WallboardDelta, WallboardSnapshot } from '@trustline/shared';
import { Following } from '../realtime/following';
import { realtime } from '../realtime/socket.svelte';

class Wallboard {
  snapshot = $state<WallboardSnapshot | null>(null);
  messages = $state<SupervisorMessage[]>([]);
  error = $state<unknown>(null);
  /** Server time now, ms; ticks every second while someone follows. */
  now = $state(Date.now());
  #skew = 0;
  #pending: WallboardDelta[] = [];
  #flush: ReturnType<typeof setTimeout> | null = null;

  #following = new Following(
    () => {
      const tick = setInterval(() => (this.now = Date.now() + this.#skew), 1_000);
      return [
        () => clearInterval(tick),
        realtime.subscribe('wallboard:changed', (d) => this.#queue(d)),
        realtime.subscribe('wallboard:message', (m) => (this.messages = [m, ...this.messages].slice(0, 5))),
        realtime.onConnect((recovered) => {
          if (!recovered || !this.snapshot) void this.refresh();
        }),
      ];
    },
    () => void realtime.command('wallboard:unsubscribe', {}).catch(() => {}),
  );

  follow(): () => void {
    return this.#following.follow();
  }

  async refresh() {
    try {
      const s = await realtime.command('wallboard:subscribe', {});
      this.#skew = Date.parse(s.at) - Date.now();
      this.now = Date.now() + this.#skew;
      this.#pending = [];
      this.snapshot = s;
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  /** Seconds since an instant, on the server's clock. */
  since(iso: string | null): number | null {
    return iso ? Math.max(0, Math.floor((this.now - Date.parse(iso)) / 1000)) : null;
  }

  #queue(d: WallboardDelta) {
    this.#pending.push(d);
    this.#flush ??= setTimeout(() => {
      this.#flush = null;
      const batch = this.#pending.splice(0);
      if (batch.length) this.#apply(batch);
    }, 0);
  }

  #apply(batch: WallboardDelta[]) {
    const s = this.snapshot;
    if (!s) return;
    if (batch.some((d) => d.day !== s.day)) return void this.refresh();
    const next: WallboardSnapshot = { ...s };
    const operators = new Map(s.operators.map((o) => [o.userId, o]));
    for (const d of batch) {
      next.at = d.at;
      if (d.calls) next.calls = d.calls;
      if (d.sms) next.sms = d.sms;
      if (d.alerts) next.alerts = d.alerts;
      if (d.charts) next.charts = d.charts;
      for (const o of d.operators ?? []) operators.set(o.userId, o);
      for (const id of d.operatorsRemoved ?? []) operators.delete(id);
    }
    next.operators = [...operators.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.snapshot = next;
  }
}

export const wallboard = new Wallboard();
