// Retention: one policy per kind of record (RETENTION_KINDS), each removing the personal fields
// listed in personal-data.ts once its period (config.retention, days) has run out, and never
// what active work holds (an open case, a pending follow-up, a dispatch under way). Each run
// writes one destruction record per kind that touched rows (Roskomnadzor order No. 179), in the
// same transaction as each batch, so the act is exact even if a run stops half-way; a run that
// touches nothing writes none. One run at a time across every worker process (a Redis lock);
// each batch also claims its rows, so two runs never count a row twice.
import { randomUUID } from 'node:crypto';
import { RETENTION_KINDS, SUBJECTS_BY_KIND, type DestructionRecordQuery, type DestructionRecordView, type RetentionKind } from '@trustline/shared';
import { systemActor } from '../../actor.js';
import type { RetentionPeriods } from '../../config.js';
import type { Transactor } from '../../db/tx.js';
import { DomainError } from '../../errors.js';
import type { DestructionRecord } from '../../generated/prisma/client.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { categoriesOf } from './personal-data.js';
import type { RetentionRepository, TableCounts } from './retention.repository.js';

/** One run at a time: `acquire` returns a token (null when another run holds it). */
export interface RunLock {
  acquire(ttlMs: number): Promise<string | null>;
  extend(token: string, ttlMs: number): Promise<boolean>;
  release(token: string): Promise<void>;
}

type Policy = 'expireContacts' | 'expireDrafts' | 'expireCalls' | 'expireMessages' | 'expireCallbacks' | 'expireDispatches' | 'expireCases';
const POLICIES: Record<RetentionKind, { method: 'anonymised' | 'deleted'; run: Policy }> = {
  contacts: { method: 'anonymised', run: 'expireContacts' },
  drafts: { method: 'anonymised', run: 'expireDrafts' },
  calls: { method: 'anonymised', run: 'expireCalls' },
  messages: { method: 'anonymised', run: 'expireMessages' },
  callbacks: { method: 'deleted', run: 'expireCallbacks' },
  dispatches: { method: 'anonymised', run: 'expireDispatches' },
  cases: { method: 'anonymised', run: 'expireCases' },
};

const LOCK_TTL_MS = 5 * 60_000;
/** A run stops after this many batches of one kind and goes on next time (a day's backlog is
 * far smaller; this only bounds a first run over years of data). */
const MAX_BATCHES = 200;

export const RETENTION_ACTOR = systemActor('retention');

export interface RunOutcome {
  runId: string;
  records: DestructionRecord[];
  kept: Partial<Record<RetentionKind, number>>;
  /** Rows cleared per kind (the main table's ids), e.g. contacts anonymised. */
  cleared: Partial<Record<RetentionKind, number>>;
}

export function retentionService(deps: {
  repo: RetentionRepository;
  transaction: Transactor;
  audit: AuditService;
  lock: RunLock;
  periods: RetentionPeriods;
  batch?: number;
  now?: () => Date;
}) {
  const { repo, transaction, audit, lock, periods } = deps;
  const now = deps.now ?? (() => new Date());
  const batch = deps.batch ?? 200;

  async function runKind(kind: RetentionKind, runId: string, actor: Actor, token: string, out: RunOutcome) {
    const { method, run } = POLICIES[kind];
    const periodDays = periods[kind];
    const before = new Date(now().getTime() - periodDays * 86_400_000);
    let record: DestructionRecord | null = null;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const at = now();
      const step = await transaction(async (tx) => {
        const held = await repo.held(tx);
        const r = await repo[run](before, batch, at, held, tx);
        out.kept[kind] = r.kept;
        const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
        if (!rows) return { ...r, record: null };
        if (kind === 'contacts' || kind === 'drafts')
          for (const id of r.ids)
            await audit.record(actor, 'contact.identity.anonymise', { entity: 'Contact', entityId: id, detail: { retentionDays: periodDays, kind } }, tx);
        const { record: rec, created } = await repo.addToRecord(
          {
            runId,
            kind,
            method,
            basis: 'retention',
            periodDays,
            reference: null,
            categories: categoriesOf(kind, Object.keys(r.counts)),
            actorId: actor.userId,
            actorLabel: actor.label ?? RETENTION_ACTOR.label!,
          },
          r.counts as TableCounts,
          tx,
        );
        if (created) await audit.record(actor, 'retention.destroy', { entity: 'DestructionRecord', entityId: rec.id, detail: { kind, periodDays } }, tx);
        return { ...r, record: rec };
      });
      out.cleared[kind] = (out.cleared[kind] ?? 0) + step.ids.length;
      if (step.record) record = step.record;
      // A batch that cleared nothing ends the kind: what is left is held, or taken by another run.
      if (!step.more || !step.ids.length) break;
      if (!(await lock.extend(token, LOCK_TTL_MS))) throw new DomainError('RETENTION_LOCK_LOST', 'retention run lost its lock; the next run goes on', 409);
    }
    if (record) out.records.push(record);
  }

  return {
    periods,
    /** Runs the policies (all, or `kinds`); null when another run is under way. */
    async run(opts: { actor?: Actor; kinds?: readonly RetentionKind[] } = {}): Promise<RunOutcome | null> {
      const token = await lock.acquire(LOCK_TTL_MS);
      if (!token) return null;
      const runId = randomUUID();
      const actor = opts.actor ?? RETENTION_ACTOR;
      const out: RunOutcome = { runId, records: [], kept: {}, cleared: {} };
      try {
        for (const kind of RETENTION_KINDS) if (!opts.kinds || opts.kinds.includes(kind)) await runKind(kind, runId, actor, token, out);
      } finally {
        await lock.release(token);
      }
      return out;
    },

    /** An admin's "run now": the same run, audited with who asked; 409 while another runs. */
    async runNow(actor: Actor, kinds?: readonly RetentionKind[]) {
      const out = await this.run({ actor, kinds });
      if (!out) throw new DomainError('RETENTION_RUNNING', 'a retention run is under way; try again in a few minutes', 409);
      await audit.record(actor, 'retention.run', {
        entity: 'DestructionRecord',
        entityId: out.runId,
        detail: { kinds: kinds ?? 'all', records: out.records.length },
      });
      return { runId: out.runId, records: await this.views(out.records), kept: out.kept };
    },

    async list(q: DestructionRecordQuery) {
      const rows = await repo.listRecords({
        limit: q.limit + 1,
        beforeNumber: q.before,
        kind: q.kind,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      const page = rows.slice(0, q.limit);
      return { items: await this.views(page), next: rows.length > q.limit ? page[page.length - 1]!.number : null };
    },

    async read(id: string) {
      const row = await repo.getRecord(id);
      if (!row) throw new DomainError('DESTRUCTION_RECORD_NOT_FOUND', 'no destruction record with this id', 404);
      return (await this.views([row]))[0]!;
    },

    async views(rows: DestructionRecord[]): Promise<DestructionRecordView[]> {
      const names = await repo.staffNames(rows.map((r) => r.actorId).filter((x): x is string => !!x));
      return rows.map((r) => ({
        id: r.id,
        number: r.number,
        at: r.at.toISOString(),
        runId: r.runId,
        kind: r.kind,
        method: r.method,
        rows: r.rows,
        tables: (r.tables ?? {}) as Record<string, number>,
        categories: r.categories,
        subjects: [...(SUBJECTS_BY_KIND[r.kind as keyof typeof SUBJECTS_BY_KIND] ?? [])],
        basis: r.basis,
        periodDays: r.periodDays,
        reference: r.reference,
        actor: { id: r.actorId, label: r.actorLabel, displayName: r.actorId ? (names.get(r.actorId) ?? null) : null },
      }));
    },
  };
}
export type RetentionService = ReturnType<typeof retentionService>;

/** The run lock in Redis (SET NX PX; extend and release only by the token's holder). */
export function redisRunLock(redis: import('ioredis').Redis, key: string): RunLock {
  return {
    async acquire(ttlMs) {
      const token = randomUUID();
      return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
    },
    async extend(token, ttlMs) {
      const r = await redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
        1,
        key,
        token,
        String(ttlMs),
      );
      return r === 1;
    },
    async release(token) {
      await redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, key, token);
    },
  };
}
