// The breach register: the list, the one opened, and a clock that ticks every second for the
// 24 h and 72 h countdowns. The clock runs on the server's time: each answer carries `asOf`, and
// the difference from this browser's clock when it arrived is added to every tick, so a browser
// whose clock is wrong still counts down to the right moment.
import type { BreachDeadline, BreachNoticeBody, BreachView, CreateBreachBody, UpdateBreachBody } from '@trustline/shared';
import { privacyApi } from '../api/privacy';

/** `H:MM:SS` of a span (hours may pass 24: "71:59:58"). */
export function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** A deadline as of `now` (server time): sent ones keep their state; unsent ones count down. */
export function liveDeadline(d: BreachDeadline, now: number): BreachDeadline {
  if (d.state === 'met' || d.state === 'late') return d;
  const msLeft = new Date(d.dueAt).getTime() - now;
  return { ...d, msLeft, state: msLeft < 0 ? 'overdue' : 'pending' };
}

export class BreachesState {
  list = $state<BreachView[]>([]);
  current = $state<BreachView | null>(null);
  loading = $state(false);
  busy = $state(false);
  error = $state<unknown>(null);
  /** Server time now, in ms; moves every second while the page is open. */
  now = $state(Date.now());
  #offset = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  #sync(asOf: string) {
    this.#offset = new Date(asOf).getTime() - Date.now();
    this.now = Date.now() + this.#offset;
  }

  /** Starts the clock; the returned function stops it (call it when the page goes). */
  start() {
    this.#timer = setInterval(() => (this.now = Date.now() + this.#offset), 1000);
    return () => clearInterval(this.#timer);
  }

  async loadList() {
    this.loading = true;
    try {
      const rows = await privacyApi.breaches();
      this.list = rows;
      if (rows[0]) this.#sync(rows[0].asOf);
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  async open(id: string) {
    try {
      this.#show(await privacyApi.breach(id));
      this.error = null;
    } catch (e) {
      this.error = e;
    }
  }

  #show(b: BreachView) {
    this.#sync(b.asOf);
    this.current = b;
    const i = this.list.findIndex((x) => x.id === b.id);
    if (i >= 0) this.list[i] = b;
    else this.list = [b, ...this.list];
  }

  async #run(fn: () => Promise<BreachView>): Promise<BreachView | null> {
    this.busy = true;
    try {
      const b = await fn();
      this.#show(b);
      this.error = null;
      return b;
    } catch (e) {
      this.error = e;
      return null;
    } finally {
      this.busy = false;
    }
  }

  create = (body: Pick<CreateBreachBody, 'summary' | 'discoveredAt'> & Partial<CreateBreachBody>) => this.#run(() => privacyApi.createBreach(body));
  update = (id: string, body: UpdateBreachBody) => this.#run(() => privacyApi.updateBreach(id, body));
  addNotice = (id: string, body: BreachNoticeBody) => this.#run(() => privacyApi.addNotice(id, body));
}
