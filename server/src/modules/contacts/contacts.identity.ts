// The identified part of a contact (ContactIdentity and ContactPerson): written only with the
// person's consent, with the record of that consent (privacy's ConsentLedger) in the same
// transaction, removed when consent is refused on the form or withdrawn through privacy
// (erase). Every change is audited. contacts.service.ts composes it inside its own transactions.
import { methodForChannel, type IdentityInput } from '@trustline/shared';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Db } from '../../db/tx.js';
import type { Services } from '../../kernel.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { ContactRow, ContactsRepository } from './contacts.repository.js';

/** Privacy's consent ledger, the port the identity records its consent through. */
type ConsentLedger = Services['privacy']['ledger'];

const CHILD_AGE_GROUPS = new Set(['0-9', '10-13', '14-17']);
const minor = (age: number | null | undefined) => (age ?? 99) < 18;

/** A minor on the anonymous part: the caller is a child, or the age group is a child's. */
export const minorByPlace = (callerRole: string | null, ageGroup: string | null) =>
  callerRole === 'child' || (ageGroup !== null && CHILD_AGE_GROUPS.has(ageGroup));

/** A minor among the identified: the person or one of the people named. */
export const minorInIdentity = (row: Pick<ContactRow, 'identity' | 'people'>) => minor(row.identity?.age) || row.people.some((p) => minor(p.age));

/** A contact with no call or conversation got its number's hash from the call-back number given
 * with consent; it goes with the identity, so nothing links the person's later contacts to it. */
const hashFromIdentity = (row: ContactRow) => !row.callId && !row.conversationId && !!row.phoneHash && row.phoneHash === row.identity?.phoneHash;

/** What the contact's own row changes with the identity. */
export interface IdentityOutcome {
  identified: boolean;
  minorInIdentity: boolean;
  /** Set when the contact's number hash changes with the identity (undefined: unchanged). */
  phoneHash?: string | null;
}

export function contactIdentity(deps: { repo: ContactsRepository; audit: AuditService; phones: PhoneCrypto; consents?: ConsentLedger; now: () => Date }) {
  const { repo, audit, phones, consents, now } = deps;
  return {
    /** The form's save (inside its transaction, the contact locked): writes the identity with
     * consent, or removes it when consent is refused. */
    async apply(row: ContactRow, idn: IdentityInput, actor: Actor & { userId: string }, tx: Db): Promise<IdentityOutcome> {
      const id = row.id;
      if (idn.consent) {
        const out: IdentityOutcome = { identified: true, minorInIdentity: false };
        const phone = idn.callbackPhone === undefined ? undefined : idn.callbackPhone;
        await repo.upsertIdentity(
          id,
          {
            consentAt: row.identity?.consentAt ?? now(),
            name: idn.name === undefined ? (row.identity?.name ?? null) : idn.name,
            age: idn.age === undefined ? (row.identity?.age ?? null) : idn.age,
            address: idn.address === undefined ? (row.identity?.address ?? null) : idn.address,
            phoneHash: phone === undefined ? (row.identity?.phoneHash ?? null) : phone ? phones.hash(phone) : null,
            phoneSealed: phone === undefined ? (row.identity?.phoneSealed ?? null) : phone ? phones.encrypt(phone) : null,
          },
          tx,
        );
        if (idn.people)
          await repo.replacePeople(
            id,
            idn.people.map((p) => ({ relation: p.relation, name: p.name ?? null, age: p.age ?? null })),
            tx,
          );
        if (phone && !row.phoneHash) out.phoneHash = phones.hash(phone);
        const age = idn.age === undefined ? row.identity?.age : idn.age;
        const people = idn.people ?? row.people;
        out.minorInIdentity = minor(age) || people.some((p) => minor(p.age));
        // The record of the consent, not only its time: made once, kept after a withdrawal.
        await consents?.ensure(
          {
            subject: { contactId: id },
            purpose: 'identified_contact',
            method: idn.consentMethod ?? methodForChannel(row.channel),
            byId: actor.userId,
          },
          tx,
        );
        await audit.record(
          actor,
          'contact.identity.update',
          {
            entity: 'Contact',
            entityId: id,
            detail: { fields: Object.keys(idn).filter((k) => k !== 'consent'), consent: true },
          },
          tx,
        );
        return out;
      }
      if (!row.identity) return { identified: row.identified, minorInIdentity: minorInIdentity(row) };
      await repo.removeIdentity(id, tx);
      // As erase: a hash that came only from the call-back number goes with it.
      const out: IdentityOutcome = { identified: false, minorInIdentity: false };
      if (hashFromIdentity(row)) out.phoneHash = null;
      await consents?.withdraw({ subject: { contactId: id }, purpose: 'identified_contact', method: idn.consentMethod ?? null, byId: actor.userId }, tx);
      await audit.record(actor, 'contact.identity.remove', { entity: 'Contact', entityId: id, detail: { reason: 'consent withdrawn' } }, tx);
      return out;
    },

    /**
     * Consent to the identified record withdrawn through the privacy feature (inside its
     * transaction): the identity goes as with the form's "no consent"; the version moves on, so a
     * console still holding the old identity gets a conflict instead of writing it back. Takes
     * the row as read under its lock.
     */
    async erase(row: ContactRow, actor: Actor, tx: Db) {
      if (!row.identity && !row.people.length) return;
      const id = row.id;
      await repo.removeIdentity(id, tx);
      const hasMinor = minorByPlace(row.callerRole, row.ageGroup);
      await repo.updateVersioned(id, row.version, { identified: false, hasMinor, ...(hashFromIdentity(row) ? { phoneHash: null } : {}) }, tx);
      await repo.appendEvent(id, 'identity-removed', actor.userId, { reason: 'consent withdrawn' }, tx);
      await audit.record(actor, 'contact.identity.remove', { entity: 'Contact', entityId: id, detail: { reason: 'consent withdrawn' } }, tx);
    },
  };
}
export type ContactIdentity = ReturnType<typeof contactIdentity>;
