// Who is online, live. A snapshot (presence:list) on every connect that was not recovered,
// then presence:changed deltas. Names come from the staff directory, refetched when an
// unknown colleague appears.
import type { PresenceEntry, StaffMember } from '@trustline/shared';
import { usersApi } from '../api/users';
import { Following } from '../realtime/following';
import { realtime } from '../realtime/socket.svelte';

class Presence {
  online = $state<Record<string, PresenceEntry>>({});
  staff = $state<Record<string, StaffMember>>({});
  /** True once the first snapshot has arrived. */
  ready = $state(false);
  list = $derived(
    Object.values(this.online)
      .map((entry) => ({ ...entry, member: this.staff[entry.userId] ?? null }))
      .sort((a, b) => (a.member?.displayName ?? '').localeCompare(b.member?.displayName ?? '')),
  );

  #following = new Following(
    () => [
      realtime.subscribe('presence:changed', (entry) => this.#apply(entry)),
      realtime.onConnect((recovered) => {
        if (!recovered || !this.ready) void this.refresh();
      }),
    ],
    () => (this.ready = false),
  );

  /** Starts following presence; returns the stop. Several screens may follow at once. */
  follow(): () => void {
    return this.#following.follow();
  }

  async refresh() {
    const [entries] = await Promise.all([realtime.command('presence:list', {}), this.#loadStaff()]);
    this.online = Object.fromEntries(entries.map((e) => [e.userId, e]));
    this.ready = true;
  }

  #apply(entry: PresenceEntry) {
    if (entry.online) {
      this.online = { ...this.online, [entry.userId]: entry };
      if (!this.staff[entry.userId]) void this.#loadStaff();
    } else {
      const { [entry.userId]: _gone, ...rest } = this.online;
      this.online = rest;
    }
  }

  async #loadStaff() {
    const members = await usersApi.directory().catch(() => null);
    if (members) this.staff = Object.fromEntries(members.map((m) => [m.id, m]));
  }
}

export const presence = new Presence();
