// Staff accounts for the administration screen. Every change returns the server's copy, which
// replaces ours; failures are thrown for the form that made them.
import type { CreateUserBody, UpdateUserBody, UserSummary } from '@trustline/shared';
import { usersApi } from '../api/users';

export class UsersState {
  all = $state<UserSummary[]>([]);
  loading = $state(false);
  loadError = $state<unknown>(null);
  filter = $state('');
  showInactive = $state(true);

  visible = $derived.by(() => {
    const q = this.filter.trim().toLowerCase();
    return this.all.filter((u) => (this.showInactive || u.active) && (!q || u.username.includes(q) || u.displayName.toLowerCase().includes(q)));
  });

  async load() {
    this.loading = true;
    this.loadError = null;
    try {
      this.all = await usersApi.list();
    } catch (err) {
      this.loadError = err;
    } finally {
      this.loading = false;
    }
  }

  async create(body: CreateUserBody) {
    const user = await usersApi.create(body);
    this.all = [...this.all, user].sort((a, b) => a.username.localeCompare(b.username));
    return user;
  }

  async update(id: string, body: UpdateUserBody) {
    const user = await usersApi.update(id, body);
    this.all = this.all.map((u) => (u.id === id ? user : u));
    return user;
  }

  resetPassword(id: string, password: string) {
    return usersApi.resetPassword(id, { password });
  }
}
