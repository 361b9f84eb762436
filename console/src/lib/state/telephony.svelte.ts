// The live queue, my offers, operator states and SMS threads. A snapshot on every connect that
// was not recovered, then deltas from call:updated, call:offered, operator:state-changed,
// conversation:* and message:status.
import type { CallOfferSummary, CallSummary, CallbackSummary, ConversationSummary, MessageSummary, OperatorStateSummary, StaffMember } from '@trustline/shared';
import { telephonyApi } from '../api/telephony';
import { usersApi } from '../api/users';
import { Following } from '../realtime/following';
import { realtime } from '../realtime/socket.svelte';
import { session } from './session.svelte';
import { beep } from './contacts.svelte';

const byQueueOrder = (a: CallSummary, b: CallSummary) =>
  (a.priority === b.priority ? 0 : a.priority === 'urgent' ? -1 : 1) || (a.queuedAt ?? a.receivedAt).localeCompare(b.queuedAt ?? b.receivedAt);

class Telephony {
  calls = $state<Record<string, CallSummary>>({});
  /** Supervisors: callers no operator answered in time (call:unanswered-alert), by call id. */
  #unanswered = $state<Record<string, { waitMs: number; at: number }>>({});
  /** Those still waiting: an alert goes once the call is answered, ends or is dismissed. */
  unanswered = $derived(
    Object.entries(this.#unanswered)
      .filter(([id]) => this.calls[id]?.status === 'queued')
      .map(([callId, a]) => ({ callId, call: this.calls[callId]!, ...a })),
  );
  offers = $state<Record<string, CallOfferSummary>>({});
  operators = $state<Record<string, OperatorStateSummary>>({});
  conversations = $state<Record<string, ConversationSummary>>({});
  /** Texts of the threads this console has opened: its own, or (supervisors) ones opened on purpose. */
  messages = $state<Record<string, MessageSummary[]>>({});
  staff = $state<Record<string, StaffMember>>({});
  callbacks = $state<CallbackSummary[]>([]);
  /** SMS threads ringing for me. */
  threadOffers = $state<Record<string, { conversation: ConversationSummary; expiresAt: string }>>({});
  mode = $state<'twilio' | 'simulator'>('simulator');
  ready = $state(false);
  /** Server clock, ticking once a second (waits and call timers). */
  now = $state(Date.now());
  #skew = 0;

  queue = $derived(
    Object.values(this.calls)
      .filter((c) => c.status === 'queued' || c.status === 'received')
      .sort(byQueueOrder),
  );
  active = $derived(Object.values(this.calls).filter((c) => c.status === 'answered'));
  myCall = $derived(
    Object.values(this.calls).find((c) => c.status === 'answered' && (c.operatorId === session.user?.id || c.consultId === session.user?.id)) ?? null,
  );
  myState = $derived(this.operators[session.user?.id ?? '']?.state ?? 'offline');
  myOffers = $derived(Object.values(this.offers));
  threads = $derived(
    Object.values(this.conversations)
      .filter((c) => c.status === 'open')
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt)),
  );

  #following = new Following(
    () => {
      const tick = setInterval(() => (this.now = Date.now() + this.#skew), 1000);
      return [
        () => clearInterval(tick),
        realtime.subscribe('call:updated', (c) => this.#coalesce(c)),
        realtime.subscribe('call:offered', (o) => {
          this.offers = { ...this.offers, [o.offerId]: o };
          beep();
        }),
        realtime.subscribe('call:unanswered-alert', (a) => {
          this.#unanswered = { ...this.#unanswered, [a.callId]: { waitMs: a.waitMs, at: Date.now() } };
          beep();
        }),
        realtime.subscribe('call:offer-withdrawn', (w) => this.#dropOffer(w.offerId)),
        realtime.subscribe('operator:state-changed', (s) => (this.operators = { ...this.operators, [s.userId]: s })),
        realtime.subscribe('conversation:updated', (c) => this.#applyConversation(c)),
        realtime.subscribe('conversation:offered', (o) => {
          this.threadOffers = { ...this.threadOffers, [o.conversation.id]: o };
          beep();
        }),
        realtime.subscribe('conversation:message', (m) => this.#applyMessage(m)),
        realtime.subscribe('message:status', (s) => this.#applyStatus(s)),
        realtime.subscribe('callback:updated', (c) => (this.callbacks = [...this.callbacks.filter((x) => x.id !== c.id), c])),
        realtime.onConnect((recovered) => {
          if (!recovered || !this.ready) void this.refresh();
        }),
      ];
    },
    () => (this.ready = false),
  );

  follow(): () => void {
    return this.#following.follow();
  }

  async refresh() {
    const snap = await realtime.command('telephony:snapshot', {});
    this.#skew = new Date(snap.serverTime).getTime() - Date.now();
    this.now = Date.now() + this.#skew;
    this.calls = Object.fromEntries(snap.calls.map((c) => [c.id, c]));
    this.operators = Object.fromEntries(snap.operators.map((o) => [o.userId, o]));
    this.conversations = Object.fromEntries(snap.conversations.map((c) => [c.id, c]));
    this.offers = Object.fromEntries(snap.myOffers.map((o) => [o.offerId, o]));
    const me = session.user?.id;
    this.threadOffers = Object.fromEntries(
      snap.conversations
        .filter((c) => c.offeredTo === me && !c.operatorId)
        .map((c) => [c.id, { conversation: c, expiresAt: new Date(Date.now() + 15_000).toISOString() }]),
    );
    this.mode = snap.mode;
    this.ready = true;
    // A new socket is in no thread's room: read again the threads this console had open, which
    // joins a supervisor's socket to them again (and is audited again, as any read is).
    for (const id of Object.keys(this.messages)) void this.openThread(id).catch(() => this.#forget(id));
    const members = await usersApi.directory().catch(() => null);
    if (members) this.staff = Object.fromEntries(members.map((m) => [m.id, m]));
  }

  nameOf(userId: string | null) {
    return userId ? (this.staff[userId]?.displayName ?? '…') : '';
  }
  /** Milliseconds since an ISO time, on the server's clock. */
  since(iso: string | null) {
    return iso ? Math.max(0, this.now - new Date(iso).getTime()) : 0;
  }

  // Commands: each answers with the changed call; the broadcast updates every other console.
  async accept(callId: string) {
    this.#applyCall(await realtime.command('call:accept', { callId }));
    for (const o of Object.values(this.offers)) if (o.call.id === callId) this.#dropOffer(o.offerId);
  }
  async decline(offerId: string) {
    this.#dropOffer(offerId);
    await realtime.command('call:decline', { offerId });
  }
  hold = async (callId: string, on: boolean) => this.#applyCall(await realtime.command(on ? 'call:hold' : 'call:resume', { callId }));
  hangup = async (callId: string) => this.#applyCall(await realtime.command('call:hangup', { callId }));
  transfer = async (callId: string, targetId: string, mode: 'warm' | 'cold') =>
    this.#applyCall(await realtime.command('call:transfer', { callId, targetId, mode }));
  completeTransfer = async (callId: string) => this.#applyCall(await realtime.command('call:complete-transfer', { callId }));
  assign = async (callId: string, operatorId: string) => this.#applyCall(await realtime.command('call:assign', { callId, operatorId }));
  listen = async (callId: string, mode: 'listen' | 'join') => this.#applyCall(await realtime.command('call:listen', { callId, mode }));
  stopListening = async (callId: string) => this.#applyCall(await realtime.command('call:stop-listening', { callId }));
  async setState(state: 'available' | 'away' | 'offline') {
    const s = await realtime.command('operator:set-state', { state });
    this.operators = { ...this.operators, [s.userId]: s };
  }

  /** Whether this console may read the thread without opening it on purpose: I hold it. */
  holds(c: ConversationSummary | null) {
    return !!c && !!session.user && c.operatorId === session.user.id;
  }
  /** Reads the thread's texts (audited); a supervisor then gets its live messages until leaveThread. */
  async openThread(conversationId: string) {
    const list = await realtime.command('conversation:messages', { conversationId });
    this.messages = { ...this.messages, [conversationId]: list };
  }
  /** Stops following a thread this console opened without holding it, and lets go of its texts. */
  async leaveThread(conversationId: string) {
    if (!this.messages[conversationId] || this.holds(this.conversations[conversationId] ?? null)) return;
    this.#forget(conversationId);
    await realtime.command('conversation:leave', { conversationId });
  }
  async takeThread(conversationId: string) {
    // Once the thread is mine, the SMS page reads its texts (one audited read).
    this.#applyConversation(await realtime.command('conversation:accept', { conversationId }));
  }
  async declineThread(conversationId: string) {
    this.#dropThreadOffer(conversationId);
    await realtime.command('conversation:decline', { conversationId });
  }
  async reply(conversationId: string, body: string) {
    this.#applyMessage(await realtime.command('conversation:reply', { conversationId, body }));
  }
  async closeThread(conversationId: string) {
    const c = await realtime.command('conversation:close', { conversationId });
    this.conversations = { ...this.conversations, [c.id]: c };
  }

  async loadCallbacks() {
    this.callbacks = await telephonyApi.callbacks();
  }
  dismissUnanswered(callId: string) {
    const { [callId]: _gone, ...rest } = this.#unanswered;
    this.#unanswered = rest;
  }
  async dialCallback(id: string) {
    const c = await telephonyApi.dialCallback(id);
    this.callbacks = this.callbacks.map((x) => (x.id === id ? c : x));
  }
  async closeCallback(id: string) {
    await telephonyApi.closeCallback(id);
    this.callbacks = this.callbacks.filter((x) => x.id !== id);
  }

  // A burst (a wave of calls, a reconnect replay) touches $state once per frame, not per event.
  #pending = new Map<string, CallSummary>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #coalesce(c: CallSummary) {
    this.#pending.set(c.id, c);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = null;
      const batch = [...this.#pending.values()];
      this.#pending.clear();
      const next = { ...this.calls };
      for (const call of batch) {
        if (call.status === 'ended') delete next[call.id];
        else next[call.id] = call;
      }
      this.calls = next;
      for (const call of batch) if (call.status === 'ended') for (const o of Object.values(this.offers)) if (o.call.id === call.id) this.#dropOffer(o.offerId);
    }, 16);
  }

  #applyCall(c: CallSummary) {
    if (c.status === 'ended') {
      const { [c.id]: _gone, ...rest } = this.calls;
      this.calls = rest;
      for (const o of Object.values(this.offers)) if (o.call.id === c.id) this.#dropOffer(o.offerId);
    } else this.calls = { ...this.calls, [c.id]: c };
  }
  #applyConversation(c: ConversationSummary) {
    this.conversations = { ...this.conversations, [c.id]: c };
    if (c.offeredTo !== session.user?.id || c.operatorId || c.status !== 'open') this.#dropThreadOffer(c.id);
  }
  #forget(conversationId: string) {
    const { [conversationId]: _gone, ...rest } = this.messages;
    this.messages = rest;
  }
  #dropThreadOffer(id: string) {
    const { [id]: _gone, ...rest } = this.threadOffers;
    this.threadOffers = rest;
  }
  #dropOffer(offerId: string) {
    const { [offerId]: _gone, ...rest } = this.offers;
    this.offers = rest;
  }
  #applyMessage(m: MessageSummary) {
    if (!m.conversationId || !this.messages[m.conversationId]) return;
    const list = this.messages[m.conversationId]!.filter((x) => x.id !== m.id);
    this.messages = { ...this.messages, [m.conversationId]: [...list, m] };
  }
  #applyStatus(s: { id: string; conversationId: string | null; status: string; errorCode: number | null }) {
    if (!s.conversationId || !this.messages[s.conversationId]) return;
    this.messages = {
      ...this.messages,
      [s.conversationId]: this.messages[s.conversationId]!.map((m) => (m.id === s.id ? { ...m, status: s.status, errorCode: s.errorCode } : m)),
    };
  }
}

export const telephony = new Telephony();

/** 75 → "1:15". */
export const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
};
