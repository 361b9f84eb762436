// The signed-in user. `load()` asks the server once at start; sign-in, setup and sign-out change
// it; when the server ends the session (`session:ended`, a 401, a refused handshake) the console
// returns to the sign-in page with the reason.
import type { LoginResult, Me, Role, SessionUser, SetupBody } from '@trustline/shared';
import { ApiFailure, onUnauthenticated, setCsrfToken } from '../api/client';
import { setCsrfRefresher } from '../api/client';
import { authApi } from '../api/auth';
import { realtime } from '../realtime/socket.svelte';

export type EndReason = 'signed-out' | 'deactivated' | 'expired' | 'idle';

class Session {
  user = $state<SessionUser | null>(null);
  status = $state<'loading' | 'signed-out' | 'signed-in'>('loading');
  /** Why the last session ended, shown on the sign-in page. */
  endedReason = $state<EndReason | null>(null);
  /** No user exists yet: the sign-in page points to the setup link. */
  needsSetup = $state(false);
  /** The server could not be asked at start (down, no network); the sign-in page says so. */
  unreachable = $state(false);
  /** The password was right; the second step is due: the code, or setting two-factor up. */
  pending = $state<'totp' | 'enrol' | null>(null);
  /** The server's idle time (SESSION_IDLE_MINUTES), for the idle warning and its message. */
  idleMinutes = $state(30);
  roles = $derived<readonly Role[]>(this.user?.roles ?? []);

  constructor() {
    realtime.subscribe('session:ended', ({ reason }) => this.#end(reason));
    realtime.onUnauthenticated = () => this.#end('expired');
    onUnauthenticated(() => this.#end('expired'));
    setCsrfRefresher(async () => {
      const me = await authApi.me();
      setCsrfToken(me.csrfToken);
    });
  }

  has(...roles: Role[]) {
    return roles.some((r) => this.roles.includes(r));
  }

  async load() {
    try {
      this.begin(await authApi.me());
    } catch (err) {
      this.unreachable = err instanceof ApiFailure && err.code === 'NETWORK';
      if (!(err instanceof ApiFailure) || (err.status !== 401 && !this.unreachable)) console.warn('session check failed', err);
      this.status = 'signed-out';
      this.needsSetup = await authApi.setupStatus().then(
        (s) => s.needsSetup,
        () => false,
      );
    }
  }

  /** Throws ApiFailure (wrong password, throttled with `retryAfter`); the page shows it. */
  async signIn(username: string, password: string) {
    this.#answer(await authApi.login({ username, password }));
  }

  /** The second step with a code from the authenticator app or a recovery code. */
  async signInWithCode(code: string) {
    this.begin(await authApi.loginCode(code));
  }

  async completeSetup(body: SetupBody) {
    this.#answer(await authApi.setup(body));
  }

  /** Back to the username and password (the half-done sign-in is left to expire). */
  cancelPending() {
    this.pending = null;
  }

  /** Signs out every session of this user, this one included. */
  async signOutEverywhere() {
    await authApi.logoutEverywhere();
    this.#end('signed-out');
  }

  /** The console ends a session left unused (lib/state/idle.svelte.ts); the server would too. */
  async signOutIdle() {
    try {
      await authApi.logout();
    } catch {
      // Already ended on the server.
    }
    this.#end('idle');
  }

  #answer(result: LoginResult) {
    if ('next' in result) {
      this.pending = result.next;
      this.needsSetup = false;
      this.endedReason = null;
    } else this.begin(result);
  }

  async signOut() {
    try {
      await authApi.logout();
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    this.#end('signed-out');
  }

  begin(me: Me) {
    this.pending = null;
    setCsrfToken(me.csrfToken);
    this.user = me.user;
    this.status = 'signed-in';
    this.endedReason = null;
    this.needsSetup = false;
    this.unreachable = false;
    realtime.connect();
  }

  #end(reason: EndReason) {
    if (this.status !== 'signed-in') return;
    realtime.disconnect();
    setCsrfToken('');
    this.user = null;
    this.status = 'signed-out';
    this.endedReason = reason;
  }
}

export const session = new Session();
