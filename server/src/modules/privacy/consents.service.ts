// Consent as a record: who agreed to what (purpose), how (method), recorded by whom and when, and
// its withdrawal, which is written on the record and never deletes it. The contacts and cases
// flows write through `ledger` inside their own transactions; people read and change consents
// through the service, with the access of the subject's own feature.
import { can, type ConsentMethod, type ConsentPurpose, type ConsentView, type RecordConsentBody, type Role, type WithdrawConsentBody } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import { DomainError, forbidden, invalid, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { ConsentRow, ConsentSubject, PrivacyRepository } from './privacy.repository.js';

export interface PrivacyActor extends Actor {
  roles: readonly Role[];
}

/** Called when consent to the identified contact record is withdrawn: the identity goes with it. */
export interface IdentityEraser {
  eraseIdentity(contactId: string, actor: PrivacyActor, tx: Db): Promise<void>;
}

/** The seam other features record consent through, inside their own transaction. */
export interface ConsentLedger {
  /** Records a consent unless one for this subject and purpose is already active. */
  ensure(c: { subject: ConsentSubject; purpose: ConsentPurpose; method: ConsentMethod; reference?: string | null; byId: string | null }, tx: Db): Promise<void>;
  /** Marks every active consent of the subject for the purpose withdrawn. */
  withdraw(c: { subject: ConsentSubject; purpose: ConsentPurpose; method: ConsentMethod | null; byId: string | null }, tx: Db): Promise<void>;
}

export function consentLedger(repo: PrivacyRepository, now: () => Date = () => new Date()): ConsentLedger {
  return {
    async ensure(c, tx) {
      if (await repo.activeConsent(c.subject, c.purpose, tx)) return;
      await repo.createConsent(
        { ...c.subject, purpose: c.purpose, method: c.method, reference: c.reference ?? null, recordedById: c.byId, recordedAt: now() },
        tx,
      );
    },
    async withdraw(c, tx) {
      await repo.withdrawActive(c.subject, c.purpose, { at: now(), byId: c.byId, method: c.method }, tx);
    },
  };
}

export function consentsService(deps: { repo: PrivacyRepository; audit: AuditService; transaction: Transactor; identities: IdentityEraser; now?: () => Date }) {
  const { repo, audit, transaction, identities } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The subject's own feature decides: a contact as the contacts permission matrix says (read the
   * full contact to see its consents, edit it to change them); a case for curators and
   * supervisors to read, its curator or a supervisor to change.
   */
  async function assertAccess(subject: ConsentSubject, actor: PrivacyActor, mode: 'read' | 'change', tx?: Db) {
    if (subject.contactId) {
      const c = await repo.contactHandlers(subject.contactId, tx);
      if (!c) throw notFound('contact');
      const own = !!actor.userId && (c.operatorId === actor.userId || c.followUpAssigneeId === actor.userId);
      if (!can(actor.roles, mode === 'read' ? 'contact.read-full' : 'contact.edit', own)) throw forbidden();
      return c;
    }
    const k = await repo.caseCurator(subject.caseId!, tx);
    if (!k) throw notFound('case');
    const supervisor = actor.roles.includes('supervisor');
    const curator = actor.roles.includes('curator');
    if (mode === 'read' ? !(supervisor || curator) : !(supervisor || (curator && k.curatorId === actor.userId))) {
      throw forbidden(mode === 'read' ? undefined : 'only the case’s curator or a supervisor may change its consents');
    }
    return null;
  }

  async function views(rows: ConsentRow[], tx?: Db): Promise<ConsentView[]> {
    const names = await repo.staffNames(
      rows.flatMap((r) => [r.recordedById, r.withdrawnById]),
      tx,
    );
    const staff = (id: string | null) => (id ? { id, displayName: names.get(id) ?? '—' } : null);
    return rows.map((r) => ({
      id: r.id,
      contactId: r.contactId,
      caseId: r.caseId,
      purpose: r.purpose,
      method: r.method,
      reference: r.reference,
      recordedBy: staff(r.recordedById),
      recordedAt: r.recordedAt.toISOString(),
      withdrawal: r.withdrawnAt
        ? { at: r.withdrawnAt.toISOString(), by: staff(r.withdrawnById), method: r.withdrawalMethod, reference: r.withdrawalReference }
        : null,
    }));
  }

  const entityOf = (s: ConsentSubject) => (s.contactId ? { entity: 'Contact', entityId: s.contactId } : { entity: 'Case', entityId: s.caseId! });

  return {
    async list(subject: ConsentSubject, actor: PrivacyActor) {
      await assertAccess(subject, actor, 'read');
      const rows = await repo.consentsOf(subject);
      await audit.record(actor, 'consent.list', { ...entityOf(subject), detail: { count: rows.length } });
      return views(rows);
    },

    async record(body: RecordConsentBody, actor: PrivacyActor) {
      const subject: ConsentSubject = body.contactId ? { contactId: body.contactId } : { caseId: body.caseId };
      if (body.purpose === 'identified_contact' && !subject.contactId)
        throw invalid('body.purpose', 'the identified contact record is a contact’s purpose; give contactId');
      if (body.purpose === 'case_work' && !subject.caseId) throw invalid('body.purpose', 'case work is a case’s purpose; give caseId');
      return transaction(async (tx) => {
        await repo.lockSubject(subject, tx);
        await assertAccess(subject, actor, 'change', tx);
        if (await repo.activeConsent(subject, body.purpose, tx)) {
          throw new DomainError('CONSENT_ALREADY_ACTIVE', 'a consent for this purpose is already on record; withdraw it first to record it anew', 409);
        }
        const row = await repo.createConsent(
          { ...subject, purpose: body.purpose, method: body.method, reference: body.reference ?? null, recordedById: actor.userId, recordedAt: now() },
          tx,
        );
        await audit.record(
          actor,
          'consent.record',
          { entity: 'Consent', entityId: row.id, detail: { ...entityOf(subject), purpose: row.purpose, method: row.method } },
          tx,
        );
        return (await views([row], tx))[0]!;
      });
    },

    async withdraw(id: string, body: WithdrawConsentBody, actor: PrivacyActor) {
      return transaction(async (tx) => {
        const found = await repo.findConsent(id, tx);
        if (!found) throw notFound('consent');
        const subject: ConsentSubject = found.contactId ? { contactId: found.contactId } : { caseId: found.caseId };
        await repo.lockSubject(subject, tx);
        await assertAccess(subject, actor, 'change', tx);
        if (!(await repo.withdrawConsent(id, { at: now(), byId: actor.userId, method: body.method, reference: body.reference ?? null }, tx))) {
          throw new DomainError('CONSENT_ALREADY_WITHDRAWN', 'this consent was already withdrawn', 409);
        }
        // 152-FZ art. 9 part 5 / art. 21 part 5: without consent the identified record must go.
        // Done at once, as the contact form's "no consent" does, not left for a later sweep.
        if (found.purpose === 'identified_contact' && found.contactId) await identities.eraseIdentity(found.contactId, actor, tx);
        await audit.record(
          actor,
          'consent.withdraw',
          { entity: 'Consent', entityId: id, detail: { ...entityOf(subject), purpose: found.purpose, method: body.method } },
          tx,
        );
        const after = await repo.findConsent(id, tx);
        return (await views([after!], tx))[0]!;
      });
    },
  };
}
export type ConsentsService = ReturnType<typeof consentsService>;
