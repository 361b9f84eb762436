// The break-glass reveal: one dialog for the whole console (opened from the call panel, the SMS
// thread, the call-back list or the R4 checklist), and, for supervisors, the live alerts that
// someone revealed a number, caught up from the server on every (re)connect.
import type { NumberRevealedAlert, RevealReason, RevealSubject } from '@trustline/shared';
import { callersApi } from '../api/callers';
import { realtime } from '../realtime/socket.svelte';
import { beep } from './contacts.svelte';

export interface RevealTarget {
  subject: RevealSubject;
  id: string;
  /** The caller as shown («Абонент K-ABCDE»). */
  caller: string;
  reason?: RevealReason;
}

class RevealRequest {
  current = $state<RevealTarget | null>(null);
  open(target: RevealTarget) {
    this.current = target;
  }
  close() {
    this.current = null;
  }
}
export const revealRequest = new RevealRequest();

/** Supervisors: reveals not yet dismissed in this console (the last day's on reconnect). */
class RevealAlerts {
  alerts = $state<NumberRevealedAlert[]>([]);
  #dismissed = new Set<string>();
  #started = false;

  start() {
    if (this.#started) return;
    this.#started = true;
    realtime.subscribe('privacy:number-revealed', (a) => {
      if (this.alerts.some((x) => x.id === a.id)) return;
      this.alerts = [a, ...this.alerts];
      beep();
    });
    realtime.onConnect((recovered) => {
      if (!recovered) void this.refresh();
    });
  }

  async refresh() {
    const list = await callersApi.recentReveals().catch(() => null);
    if (list) this.alerts = list.filter((a) => !this.#dismissed.has(a.id));
  }

  dismiss(id: string) {
    this.#dismissed.add(id);
    this.alerts = this.alerts.filter((a) => a.id !== id);
  }
}
export const revealAlerts = new RevealAlerts();
