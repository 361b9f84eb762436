// Operator states: available, on call, wrap-up (timed), away, offline. Changed by hand and by
// the call flow; every change closes a history row, so time in state can be reported.
import type { OperatorStateKind, OperatorStateSummary } from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import type { TelephonyContext } from './telephony.context.js';

export function operatorsService(ctx: TelephonyContext, hooks: { onAvailable: () => Promise<void> }) {
  const { calls: repo, transaction, events } = ctx;

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
    const at = ctx.now();
    const row = await repo.writeState(userId, prev, { state, reason, at }, tx);
    await events.emitWithin('operator.state-changed', { userId, state, previous: prev.state, since: at, reason }, tx);
    return { changed: true as const, row, previous: prev.state };
  }

  async function afterChange(result: Awaited<ReturnType<typeof change>>) {
    if (!result.changed) return;
    const { row } = result;
    ctx.publishState(summary(row));
    await events.emitAfter('operator.state-changed', { userId: row.userId, state: row.state, previous: result.previous, since: row.since, reason: row.reason });
    if (row.state === 'wrap_up') {
      await ctx.enqueue(
        'operator.wrap-up-end',
        { userId: row.userId, version: row.version },
        { jobId: `wrapup-${row.userId}-${row.version}`, delay: ctx.config.wrapUpMs },
      );
    }
    if (row.state === 'available') await hooks.onAvailable();
  }

  return {
    summary,
    change,
    afterChange,
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
    /** The last console of this user disconnected. */
    async disconnected(userId: string) {
      const result = await transaction(async (tx) => {
        const s = await repo.findState(userId, tx);
        if (!s || s.state === 'offline' || s.state === 'on_call') return null;
        return change(userId, 'offline', 'disconnected', tx);
      });
      if (result) await afterChange(result);
    },
  };
}
export type OperatorsService = ReturnType<typeof operatorsService>;
