// Operator states: available, on call, wrap-up (timed), away, offline. Changed by hand and by
// the channels' flows; every change closes a history row, so time in state can be reported.
// Also who gets waiting work next (longest idle), how much each channel lets one operator hold
// (capacity.ts), and the channels' routers (routers.ts).
import type { OperatorStateKind, OperatorStateSummary } from '@trustline/shared';
import type { Logger } from 'pino';
import type { Db, Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { DomainError } from '../../errors.js';
import { enqueueOrLog, type Enqueue } from '../../jobs/enqueue.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import { capacityOf, heldBy, type WorkChannel } from './capacity.js';
import type { OperatorsRepository } from './operators.repository.js';
import { routerRegistry } from './routers.js';
import './operators.events.js';

export interface OperatorsDeps {
  repo: OperatorsRepository;
  transaction: Transactor;
  events: DomainEvents;
  emitter: Emitter;
  enqueue: Enqueue;
  log: Logger;
  config: { wrapUpMs: number };
  now?: () => Date;
}

export function operatorsService(deps: OperatorsDeps) {
  const { repo, transaction, events, emitter, log } = deps;
  const now = deps.now ?? (() => new Date());
  const routers = routerRegistry();

  const summary = (s: { userId: string; state: OperatorStateKind; since: Date; reason: string | null }): OperatorStateSummary => ({
    userId: s.userId,
    state: s.state,
    since: s.since.toISOString(),
    reason: s.reason,
  });

  /** Inside a transaction: moves the operator to `state`. Returns what to publish after commit. */
  async function change(userId: string, state: OperatorStateKind, reason: string | null, tx: Db, guard?: (current: OperatorStateKind) => void) {
    const prev = await repo.lockState(userId, tx);
    guard?.(prev.state);
    if (prev.state === state && prev.reason === reason) return { changed: false as const, row: { userId, ...prev } };
    const at = now();
    const row = await repo.writeState(userId, prev, { state, reason, at }, tx);
    return { changed: true as const, row, previous: prev.state };
  }

  async function afterChange(result: Awaited<ReturnType<typeof change>>) {
    if (!result.changed) return;
    const { row } = result;
    emitter.to([...rooms.queueWatchers(), rooms.role('admin')]).emit('operator:state-changed', summary(row));
    await events.emitAfter('operator.state-changed', { userId: row.userId, state: row.state, previous: result.previous, since: row.since, reason: row.reason });
    if (row.state === 'wrap_up') {
      const jobId = `wrapup-${row.userId}-${row.version}`;
      // After the commit: a failed add is logged, and the reconcile schedule catches up.
      await enqueueOrLog(deps.enqueue, log)(
        'telephony',
        'operator.wrap-up-end',
        { userId: row.userId, version: row.version },
        { jobId, delay: deps.config.wrapUpMs },
      );
    }
    if (row.state === 'available') await routers.routeWaiting();
  }

  const service = {
    summary,
    change,
    afterChange,
    /** Channels plug their routing in here (routers.ts). */
    routers: { register: routers.register },
    /** Inside a routing transaction: one routing decision at a time, across processes and channels. */
    lockRouting: (tx: Db) => repo.lockRouting(tx),
    /** The longest-idle available operator for waiting work. `exclude`: who must not get it (declined,
     * or already ringing for this channel); `last`: who comes after everyone else (let it ring out). */
    nextCandidate: (p: { exclude: string[]; last?: string[] }, tx: Db) => repo.longestIdle(p.exclude, p.last ?? [], tx),
    /** Whether the operator holds as much of this channel as one operator may (capacity.ts). */
    async atCapacity(userId: string, channel: WorkChannel, tx?: Db) {
      const capacity = capacityOf(channel);
      if (capacity === Number.POSITIVE_INFINITY) return false;
      return heldBy(channel, (await repo.findState(userId, tx))?.state) >= capacity;
    },
    async list() {
      return (await repo.listStates()).map(summary);
    },
    /** By hand: available, away or offline. Not while on a call. */
    async setByHand(userId: string, state: 'available' | 'away' | 'offline', reason: string | null) {
      const result = await transaction((tx) =>
        change(userId, state, reason, tx, (current) => {
          if (current === 'on_call') throw new DomainError('OPERATOR_ON_CALL', 'finish the call first', 409);
        }),
      );
      await afterChange(result);
      return summary(result.row);
    },
    /** Wrap-up ends on its delayed job; a newer state change (version) makes the job a no-op. */
    async endWrapUp(userId: string, version: number) {
      const result = await transaction(async (tx) => {
        const s = await repo.findState(userId, tx);
        if (!s || s.state !== 'wrap_up' || s.version !== version) return null;
        return change(userId, 'available', null, tx);
      });
      if (result) await afterChange(result);
    },
    /** The last console of this user disconnected: offline (unless on a call). */
    async disconnected(userId: string) {
      const result = await transaction(async (tx) => {
        const s = await repo.findState(userId, tx);
        if (!s || s.state === 'offline' || s.state === 'on_call') return null;
        return change(userId, 'offline', 'disconnected', tx);
      });
      if (result) await afterChange(result);
    },
    /** The operator went offline: every channel's rings for them move on at once. */
    withdrawOffersOf: (userId: string) => routers.withdrawOffersOf(userId),
  };
  return service;
}
export type OperatorsService = ReturnType<typeof operatorsService>;
