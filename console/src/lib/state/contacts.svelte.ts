// Contacts in the console: the editor of one contact (debounced autosave with versions, kept in
// localStorage until the server has it, so a reload, a lost connection or a browser crash loses
// nothing), the supervisors' R4 alerts (beep + banner until acknowledged), and the live parts of
// the contact screens (timeline, high-risk list, follow-up reminders, forms opened for my calls).
import { computeRisk, type ContactEventView, type ContactView, type HighRiskItem, type PatchContactBody, type ScreenerAnswers } from '@trustline/shared';
import type { z } from 'zod';
import { ApiFailure } from '../api/client';
import { contactsApi } from '../api/contacts';
import { realtime } from '../realtime/socket.svelte';

export type SaveState = 'saved' | 'saving' | 'offline' | 'conflict';
type Patch = Omit<PatchContactBody, 'version'>;

const DEBOUNCE_MS = 600;
const RETRY_MS = 3_000;
const storageKey = (id: string) => `tl.contact.pending.${id}`;

export class ContactEditor {
  contact = $state<ContactView | null>(null);
  saveState = $state<SaveState>('saved');
  /** The server's copy when it moved on under us. */
  theirs = $state<ContactView | null>(null);
  error = $state<unknown>(null);
  /** Screener level computed locally at once (the server's answer confirms it). */
  /** Selected categories, shown at once while the save is pending. */
  categoryIds = $state<string[]>([]);
  localRisk = $derived(computeRisk((this.contact?.screener ?? {}) as ScreenerAnswers).level);
  #pending: Patch = {};
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inflight = false;
  #offConnect: (() => void) | null = null;

  async load(id: string) {
    this.contact = await contactsApi.get(id);
    this.categoryIds = this.contact.categories.map((c) => c.id);
    // Changes a crashed or closed tab had not yet saved.
    const stored = localStorage.getItem(storageKey(id));
    if (stored) {
      this.#pending = JSON.parse(stored) as Patch;
      this.contact = { ...this.contact, ...(this.#pending as Partial<ContactView>) } as ContactView;
      this.#schedule(0);
    }
    this.#offConnect?.();
    this.#offConnect = realtime.onConnect(() => {
      if (Object.keys(this.#pending).length) this.#schedule(0);
    });
  }

  dispose() {
    clearTimeout(this.#timer);
    this.#offConnect?.();
  }

  /** A field changed: show it at once, save it soon. */
  change(patch: Patch) {
    if (!this.contact) return;
    const merged: Patch = { ...this.#pending, ...patch };
    if (patch.screener) merged.screener = { ...(this.#pending.screener ?? {}), ...patch.screener };
    if (patch.identity && this.#pending.identity && patch.identity.consent) merged.identity = { ...this.#pending.identity, ...patch.identity };
    if (patch.safetyChecklist) merged.safetyChecklist = { ...(this.#pending.safetyChecklist ?? {}), ...patch.safetyChecklist };
    this.#pending = merged;
    if (patch.categoryIds) this.categoryIds = patch.categoryIds;
    const view = { ...this.contact } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'screener' || k === 'safetyChecklist') view[k] = { ...(view[k] as object), ...(v as object) };
      else if (k !== 'categoryIds' && k !== 'identity') view[k] = v;
    }
    this.contact = view as ContactView;
    localStorage.setItem(storageKey(this.contact.id), JSON.stringify(this.#pending));
    this.#schedule(DEBOUNCE_MS);
  }

  #schedule(ms: number) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), ms);
  }

  async flush() {
    if (!this.contact || this.#inflight || !Object.keys(this.#pending).length || this.saveState === 'conflict') return;
    const sent = this.#pending;
    this.#pending = {};
    this.#inflight = true;
    this.saveState = 'saving';
    try {
      const saved = await contactsApi.patch(this.contact.id, { ...sent, version: this.contact.version });
      // Keep what was typed while the save was in flight.
      this.contact = { ...saved, ...(this.#pending as Partial<ContactView>) } as ContactView;
      if (!Object.keys(this.#pending).length) localStorage.removeItem(storageKey(saved.id));
      this.saveState = 'saved';
    } catch (err) {
      this.#pending = { ...sent, ...this.#pending };
      if (err instanceof ApiFailure && err.code === 'CONTACT_VERSION_CONFLICT') {
        this.saveState = 'conflict';
        this.theirs = await contactsApi.get(this.contact.id).catch(() => null);
      } else if (err instanceof ApiFailure && (err.status === 0 || err.status >= 500)) {
        this.saveState = 'offline';
        this.#schedule(RETRY_MS);
      } else {
        this.error = err;
        this.saveState = 'saved';
        this.#pending = {};
        localStorage.removeItem(storageKey(this.contact.id));
      }
    } finally {
      this.#inflight = false;
    }
    if (Object.keys(this.#pending).length && this.saveState === 'saved') this.#schedule(0);
  }

  /** Conflict: drop my unsaved changes and take the server's copy. */
  takeTheirs() {
    if (!this.theirs) return;
    this.contact = this.theirs;
    this.#pending = {};
    localStorage.removeItem(storageKey(this.theirs.id));
    this.theirs = null;
    this.saveState = 'saved';
  }

  /** Conflict: save my changes over the server's version. */
  keepMine() {
    if (!this.theirs || !this.contact) return;
    this.contact = { ...this.contact, version: this.theirs.version };
    this.theirs = null;
    this.saveState = 'saved';
    void this.flush();
  }

  async finalise() {
    if (!this.contact) return;
    await this.flush();
    this.error = null;
    try {
      this.contact = await contactsApi.finalise(this.contact.id, this.contact.version);
    } catch (err) {
      this.error = err;
    }
  }
}

/** Supervisors: unacknowledged R4 alerts, rebuilt from the server on every (re)connect. */
class ContactAlerts {
  alerts = $state<{ contactId: string; hasMinor: boolean; raisedAt: string }[]>([]);
  #started = false;

  start() {
    if (this.#started) return;
    this.#started = true;
    realtime.subscribe('contact:alert-raised', (a) => {
      if (this.alerts.some((x) => x.contactId === a.contactId)) return;
      this.alerts = [...this.alerts, { contactId: a.contactId, hasMinor: a.hasMinor, raisedAt: a.raisedAt }];
      beep();
    });
    realtime.subscribe('contact:alert-acknowledged', (a) => {
      this.alerts = this.alerts.filter((x) => x.contactId !== a.contactId);
    });
    realtime.onConnect((recovered) => {
      if (!recovered) void this.refresh();
    });
  }

  async refresh() {
    const list: HighRiskItem[] = await contactsApi.highRisk().catch(() => []);
    this.alerts = list
      .filter((h) => h.riskLevel === 'R4' && h.alertRaisedAt && !h.alertAckedAt)
      .map((h) => ({ contactId: h.id, hasMinor: h.hasMinor, raisedAt: h.alertRaisedAt! }));
    if (this.alerts.length) beep();
  }

  async acknowledge(contactId: string) {
    await contactsApi.ackAlert(contactId);
    this.alerts = this.alerts.filter((x) => x.contactId !== contactId);
  }
}
export const contactAlerts = new ContactAlerts();

/** One contact's timeline, reloaded on every save (the screen calls load) and when one of its dispatches moves. */
export class ContactTimelineState {
  entries = $state<z.infer<typeof ContactEventView>[]>([]);

  /** The id is read when needed: the screen re-creates the timeline for another contact. */
  constructor(private readonly contactId: () => string) {}

  load() {
    contactsApi.timeline(this.contactId()).then(
      (rows) => (this.entries = rows),
      () => {},
    );
  }

  /** Reload when a dispatch of this contact moves; returns the unsubscribe. */
  live(): () => void {
    return realtime.subscribe('dispatch:changed', (card) => {
      if (card.contactId === this.contactId()) this.load();
    });
  }
}

/** Supervisors' list of open R3/R4 contacts, refetched on every (re)connect and on every risk or alert event. */
export class HighRiskList {
  items = $state<HighRiskItem[]>([]);

  async load() {
    this.items = await contactsApi.highRisk().catch(() => this.items);
  }

  /** Loads now and keeps the list live; returns the unsubscribe. */
  live(): () => void {
    const reload = () => void this.load();
    const offs = [
      realtime.onConnect(reload),
      realtime.subscribe('contact:risk-changed', reload),
      realtime.subscribe('contact:alert-raised', reload),
      realtime.subscribe('contact:alert-acknowledged', reload),
    ];
    reload();
    return () => offs.forEach((off) => off());
  }
}

export interface FollowUpReminder {
  contactId: string;
  overdue: boolean;
}

/** Follow-ups that came due (to me) or are overdue (to supervisors), shown until dismissed. */
export class FollowUpReminders {
  reminders = $state<FollowUpReminder[]>([]);

  /** Collects reminders as they arrive; returns the unsubscribe. */
  live(): () => void {
    const offs = [
      realtime.subscribe('contact:follow-up-due', (p) => (this.reminders = [...this.reminders, { contactId: p.contactId, overdue: false }])),
      realtime.subscribe('contact:follow-up-overdue', (p) => (this.reminders = [...this.reminders, { contactId: p.contactId, overdue: true }])),
    ];
    return () => offs.forEach((off) => off());
  }

  dismiss(reminder: FollowUpReminder) {
    this.reminders = this.reminders.filter((x) => x !== reminder);
  }
}

/**
 * Operators: open the form of a contact the server opened for my call or SMS. A call's form opens
 * on its own screen (the call panel stays on every screen); an SMS conversation's form opens
 * beside its thread on the SMS screen. Returns the unsubscribe.
 */
export function openContactsForMe(go: (path: string) => void): () => void {
  return realtime.subscribe('contact:opened', (p) =>
    go(p.conversationId ? `/telephony/sms?conversation=${p.conversationId}&contact=${p.contactId}` : `/contacts/edit?id=${p.contactId}`),
  );
}

/** A short two-tone beep through WebAudio (no sound file to load). */
export function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.2);
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
    osc.onended = () => void ctx.close();
    (window as unknown as { __tlBeeps?: number }).__tlBeeps = ((window as unknown as { __tlBeeps?: number }).__tlBeeps ?? 0) + 1;
  } catch {
    // No audio device: the banner still shows.
  }
}
