// Reference-counted live subscriptions for a state class. Several screens may follow the same
// state at once: the first follower starts the subscriptions (socket events, the reconnect
// snapshot, timers), the last one to leave releases them and lets the state reset.
export class Following {
  #users = 0;
  #release: (() => void)[] = [];

  constructor(
    private readonly start: () => (() => void)[],
    private readonly stopped: () => void = () => {},
  ) {}

  /** Starts following; returns the stop for this follower. */
  follow(): () => void {
    if (this.#users++ === 0) this.#release = this.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#users > 0) return;
      for (const release of this.#release) release();
      this.#release = [];
      this.stopped();
    };
  }
}
