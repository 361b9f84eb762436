// In-process domain events between feature modules, so that one feature can react to another's
// change without either importing the other's internals. Two kinds of listener:
//   - `within`: runs inside the producer's transaction (e.g. telephony creates a call, contacts
//     opens its draft contact in the same commit: no contact lost, none duplicated);
//   - `after`: runs after the commit (e.g. live figures, notifications). Its failures are logged,
//     never undo the change.
// Each feature adds its events to `DomainEventMap` (declaration merging from its own file is
// fine: `declare module '../../domain-events.js' { interface DomainEventMap { ... } }`).
import type { Db } from './db/tx.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap;
type Within<E extends DomainEventName> = (payload: DomainEventMap[E], tx: Db) => Promise<void>;
type After<E extends DomainEventName> = (payload: DomainEventMap[E]) => Promise<void> | void;

export class DomainEvents {
  private withinListeners = new Map<string, Within<never>[]>();
  private afterListeners = new Map<string, After<never>[]>();

  constructor(private readonly onAfterError: (err: unknown, event: string) => void) {}

  within<E extends DomainEventName>(event: E, fn: Within<E>) {
    this.withinListeners.set(event, [...(this.withinListeners.get(event) ?? []), fn as Within<never>]);
  }

  after<E extends DomainEventName>(event: E, fn: After<E>) {
    this.afterListeners.set(event, [...(this.afterListeners.get(event) ?? []), fn as After<never>]);
  }

  /** Call inside the producer's transaction. */
  async emitWithin<E extends DomainEventName>(event: E, payload: DomainEventMap[E], tx: Db) {
    for (const fn of this.withinListeners.get(event) ?? []) await (fn as Within<E>)(payload, tx);
  }

  /** Call after the commit. Listeners run in order; one failing does not stop the others. */
  async emitAfter<E extends DomainEventName>(event: E, payload: DomainEventMap[E]) {
    for (const fn of this.afterListeners.get(event) ?? []) {
      try {
        await (fn as After<E>)(payload);
      } catch (err) {
        this.onAfterError(err, event);
      }
    }
  }
}
