// Callers without their numbers (invariant 4: no digit is shown). A console knows a caller by a
// label from the keyed hash and by their history; the number leaves the server only through
// `reveal`, the break-glass action: a stated reason, an audit entry, and every supervisor told at
// once. Nothing here is kept in a process's memory: history is read from the hash indexes each time.
import {
  REVEAL_REASON_LABELS,
  REVEAL_REASONS,
  type CallerInfo,
  type NumberRevealedAlert,
  type RevealReason,
  type RevealNumberBody,
  type RevealNumberResponse,
  type RevealSubject,
  type Role,
} from '@trustline/shared';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Db, Transactor } from '../../db/tx.js';
import { DomainError, forbidden, notFound } from '../../errors.js';
import type { Emitter } from '../../realtime/emitter.js';
import { rooms } from '../../realtime/rooms.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CallersRepository, HistoryExclude } from './callers.repository.js';

export type RevealActor = Actor & { roles: readonly Role[] };

export interface CallersDeps {
  repo: CallersRepository;
  phones: PhoneCrypto;
  audit: AuditService;
  transaction: Transactor;
  emitter: Emitter;
  now?: () => Date;
}

const reasonText = (b: RevealNumberBody) => {
  const l = REVEAL_REASON_LABELS[b.reason];
  return `${l.ru} / ${l.en}${b.note ? `: ${b.note}` : ''}`;
};

/** Who may reveal: the operator holding the call, thread or call-back; any supervisor. */
const holds = (actor: RevealActor, ...holders: (string | null | undefined)[]) =>
  actor.roles.includes('supervisor') || (!!actor.userId && holders.includes(actor.userId));

export function callersService(deps: CallersDeps) {
  const { repo, phones, audit, transaction, emitter } = deps;
  const now = deps.now ?? (() => new Date());

  /** The caller behind a hash as consoles see them: label and earlier contacts before `before`. */
  async function info(hash: string | null | undefined, before: Date, exclude: HistoryExclude = {}, tx?: Db): Promise<CallerInfo> {
    const label = hash ? phones.label(hash) : null;
    if (!hash || !label) return { label: null, history: null };
    const h = await repo.history(hash, before, exclude, tx);
    return { label, history: { earlier: h.earlier, lastAt: h.lastAt?.toISOString() ?? null } };
  }

  /** The label alone, for views that name a number someone typed (a case's, a recipient's). */
  const label = (hash: string | null | undefined) => (hash ? phones.label(hash) : null);

  async function subject(kind: RevealSubject, id: string, actor: RevealActor, tx: Db) {
    if (kind === 'call') {
      const c = await repo.findCall(id, tx);
      if (!c) throw notFound('call');
      if (!holds(actor, c.operatorId, c.consultId)) throw forbidden('only the operator holding this call, or a supervisor, may reveal its number');
      return { hash: c.callerHash, sealed: c.callerSealed, entity: 'Call' };
    }
    if (kind === 'callback') {
      const c = await repo.findCallback(id, tx);
      if (!c) throw notFound('call-back request');
      const call = c.callId ? await repo.findCall(c.callId, tx) : null;
      if (!holds(actor, c.dialedBy, call?.operatorId)) throw forbidden('only the operator handling this call-back, or a supervisor, may reveal its number');
      return { hash: c.callerHash, sealed: c.callerSealed, entity: 'CallbackRequest' };
    }
    const c = await repo.findConversation(id, tx);
    if (!c) throw notFound('conversation');
    if (!holds(actor, c.operatorId)) throw forbidden('only the operator holding this thread, or a supervisor, may reveal its number');
    return { hash: c.peerHash, sealed: c.peerSealed, entity: 'Conversation' };
  }

  const SUBJECT_OF: Record<string, RevealSubject> = { Call: 'call', CallbackRequest: 'callback', Conversation: 'conversation' };

  return {
    info,
    label,

    /** Supervisors: the reveals of the last day, newest first, as the live alert shows them (a
     * console that reconnects catches up). Read from the audit log: nothing else keeps them. */
    async recent(): Promise<NumberRevealedAlert[]> {
      const rows = await audit.list({ action: 'caller.number.reveal', from: new Date(now().getTime() - 24 * 3600_000), limit: 100 });
      return rows.flatMap((r) => {
        const d = r.detail ?? {};
        const subject = r.entity ? SUBJECT_OF[r.entity] : undefined;
        const reason = REVEAL_REASONS.find((x) => x === d.purpose) as RevealReason | undefined;
        if (!subject || !reason || !r.entityId) return [];
        return [
          {
            id: r.id,
            subject,
            subjectId: r.entityId,
            label: typeof d.label === 'string' ? d.label : null,
            reason,
            actorId: r.actorId,
            actorName: r.actor?.displayName ?? r.actorLabel,
            at: r.at,
          },
        ];
      });
    },

    /** Break-glass: the number once, for a reason, audited; supervisors alerted after the commit. */
    async reveal(kind: RevealSubject, id: string, body: RevealNumberBody, actor: RevealActor): Promise<RevealNumberResponse> {
      const at = now();
      const found = await transaction(async (tx) => {
        const s = await subject(kind, id, actor, tx);
        const l = phones.label(s.hash);
        // Withheld (no label) or erased by retention (no sealed value): there is nothing to reveal.
        if (!l || !s.sealed) throw new DomainError('NO_NUMBER', 'there is no number to reveal: it was withheld by the caller or has been erased', 409);
        const entry = await audit.record(
          actor,
          'caller.number.reveal',
          {
            entity: s.entity,
            entityId: id,
            // The reason as a person reads it (both languages, and the note typed), and its code.
            detail: { reason: reasonText(body), purpose: body.reason, label: l, decrypted: 'phone' },
          },
          tx,
        );
        return { label: l, sealed: s.sealed, auditId: entry.id.toString() };
      });
      const number = phones.decrypt(found.sealed);
      const alert: NumberRevealedAlert = {
        id: found.auditId,
        subject: kind,
        subjectId: id,
        label: found.label,
        reason: body.reason,
        actorId: actor.userId,
        actorName: actor.label,
        at: at.toISOString(),
      };
      emitter.to(rooms.role('supervisor')).emit('privacy:number-revealed', alert);
      return { number, label: found.label, reason: body.reason, supervisorsAlerted: true };
    },
  };
}
export type CallersService = ReturnType<typeof callersService>;
