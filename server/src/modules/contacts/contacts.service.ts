// Contact records: a server-side draft from the first second, autosaved with optimistic
// versioning, risk-triaged by the one rule table (shared/src/triage-rules.ts) and the override
// rules beside it (shared/src/risk-override.ts), finalised by the operator, reopened by a
// supervisor. The identified part is contacts.identity.ts; identified data is audited on every
// read and change.
import {
  can,
  computeRisk,
  decideRisk,
  finaliseBlockers,
  raisesAlert,
  takesR4SignOff,
  viewFor,
  type Channel,
  type ContactAction,
  type ContactView,
  type PatchContactBody,
  type ContactRisk,
  type Role,
  type ScreenerAnswers,
  type StartOfflineContactBody,
} from '@trustline/shared';
import { rooms } from '../../realtime/rooms.js';
import type { Db, Transactor } from '../../db/tx.js';
import type { DomainEvents } from '../../domain-events.js';
import { DomainError, forbidden, invalid, notFound } from '../../errors.js';
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { Services } from '../../kernel.js';
import type { Emitter } from '../../realtime/emitter.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { contactIdentity, minorByPlace, minorInIdentity } from './contacts.identity.js';
import type { ContactRow, ContactsRepository } from './contacts.repository.js';
import { toView } from './contacts.views.js';

export interface StaffActor extends Actor {
  userId: string;
  roles: readonly Role[];
}

/** Seam for the cases feature: which of these contacts belong to an open case. */
export interface OpenCaseLookup {
  openCaseOf(contactIds: string[], tx?: Db): Promise<Map<string, string>>;
}

/** Follow-up reminders (BullMQ delayed jobs; see contacts.jobs.ts). Written through the outbox
 * inside the save's transaction, so a reminder is never lost; `kick` relays them after the commit. */
export interface FollowUpScheduler {
  schedule(contactId: string, dueAt: Date, tx: Db): Promise<void>;
  kick(): void;
}

/** Where a draft comes from: a call, or a text conversation on some channel ('sms' today). The
 * channel is stored as given (it must be in CHANNELS for the contact's views); refusing an
 * unlisted one here would fail the conversation's own transaction and lose the thread. */
export type DraftSource =
  | { source: 'call'; callId: string; operatorId: string | null; phoneHash?: string | null }
  | { source: 'conversation'; conversationId: string; channel: string; operatorId: string | null; phoneHash?: string | null };

export class ContactVersionConflict extends DomainError {
  constructor(readonly current: ContactView) {
    super('CONTACT_VERSION_CONFLICT', 'someone else changed this contact; review their version', 409);
  }
}

const isOwn = (row: { operatorId: string | null; followUpAssigneeId: string | null }, actor: StaffActor) =>
  row.operatorId === actor.userId || row.followUpAssigneeId === actor.userId;

export function contactsService(deps: {
  repo: ContactsRepository;
  audit: AuditService;
  transaction: Transactor;
  events: DomainEvents;
  phones: PhoneCrypto;
  emitter: Emitter;
  openCases: OpenCaseLookup;
  followUps: FollowUpScheduler;
  /** Consent records (privacy feature): written with the identity, withdrawn with it. */
  consents?: Services['privacy']['ledger'];
  /** Callers by label and history (callers feature). */
  callers?: Pick<Services['callers'], 'info'>;
  now?: () => Date;
}) {
  const { repo, audit, transaction, events, phones, emitter, openCases, followUps, consents, callers } = deps;
  const now = deps.now ?? (() => new Date());
  const identity = contactIdentity({ repo, audit, phones, consents, now });

  async function load(id: string, tx?: Db) {
    const row = await repo.find(id, tx);
    if (!row) throw notFound('contact');
    return row;
  }

  function require(actor: StaffActor, action: ContactAction, row: ContactRow | null) {
    if (!can(actor.roles, action, row ? isOwn(row, actor) : false)) throw forbidden();
  }

  async function fullView(row: ContactRow, tx?: Db): Promise<ContactView> {
    const [flags, cases, caller] = await Promise.all([
      row.phoneHash ? repo.activeFlags(row.phoneHash, now(), tx) : Promise.resolve([]),
      openCases.openCaseOf([row.id], tx),
      callers?.info(row.phoneHash, row.createdAt, { contactId: row.id, callId: row.callId, conversationId: row.conversationId }, tx),
    ]);
    const caseId = cases.get(row.id);
    return toView(row, 'full', { label: phones.label, caller, callerFlags: flags, openCase: caseId ? { id: caseId } : null });
  }

  /** After the commit: sockets and after-listeners. */
  type Effect = () => Promise<void> | void;
  const run = async (effects: Effect[]) => {
    for (const e of effects) await e();
  };

  function riskEffects(before: { riskLevel: ContactRisk; alertRaisedAt: Date | null }, after: ContactRow): Effect[] {
    const out: Effect[] = [];
    if (before.riskLevel !== after.riskLevel) {
      const p = { contactId: after.id, riskLevel: after.riskLevel, previous: before.riskLevel, hasMinor: after.hasMinor, status: after.status };
      out.push(() => {
        emitter.to(rooms.role('supervisor')).emit('contact:risk-changed', p);
      });
      out.push(() => events.emitAfter('contact.risk-changed', p));
    }
    if (!before.alertRaisedAt && after.alertRaisedAt) {
      const p = { contactId: after.id, operatorId: after.operatorId, hasMinor: after.hasMinor, raisedAt: after.alertRaisedAt.toISOString() };
      out.push(() => {
        emitter.to(rooms.role('supervisor')).emit('contact:alert-raised', { ...p, riskLevel: 'R4' });
      });
      out.push(() => events.emitAfter('contact.alert-raised', p));
    }
    return out;
  }

  return {
    /** For the follow-up reminder jobs: whether the follow-up is still due, and whose it is. */
    followUpState: (contactId: string) => repo.followUpState(contactId),
    /** Opens (or assigns) the draft for a call or a text conversation. Idempotent on callId /
     * conversationId; runs inside the caller's transaction when given one. */
    async openDraftFor(input: DraftSource, tx?: Db) {
      const link = input.source === 'call' ? { callId: input.callId } : { conversationId: input.conversationId };
      const work = async (t: Db) => {
        const existing = input.source === 'call' ? await repo.findByCall(input.callId, t) : await repo.findByConversation(input.conversationId, t);
        if (existing) {
          const patch: { operatorId?: string; phoneHash?: string } = {};
          if (input.operatorId && !existing.operatorId) patch.operatorId = input.operatorId;
          if (input.phoneHash && !existing.phoneHash) patch.phoneHash = input.phoneHash;
          if (Object.keys(patch).length) return { contact: await repo.update(existing.id, patch, t), created: false };
          return { contact: existing, created: false };
        }
        const contact = await repo.create(
          {
            channel: input.source === 'call' ? 'voice' : input.channel,
            operatorId: input.operatorId,
            callId: input.source === 'call' ? input.callId : null,
            conversationId: input.source === 'conversation' ? input.conversationId : null,
            phoneHash: input.phoneHash ?? null,
          },
          t,
        );
        // The timeline names the source as before: 'call', or the conversation's channel ('sms').
        await repo.appendEvent(contact.id, 'created', input.operatorId, { source: input.source === 'call' ? 'call' : input.channel }, t);
        await events.emitWithin?.(
          'contact.created',
          {
            contactId: contact.id,
            channel: contact.channel,
            operatorId: contact.operatorId,
            callId: contact.callId,
            conversationId: contact.conversationId,
          },
          t,
        );
        return { contact, created: true };
      };
      if (tx) return work(tx);
      const res = await transaction(work);
      if (res.contact.operatorId) this.announceOpened(link, res.contact.operatorId);
      return res;
    },

    /** Tells the operator's console to open the form (after the commit). */
    async announceOpened(link: { callId?: string; conversationId?: string }, operatorId: string) {
      const row = link.callId ? await repo.findByCall(link.callId) : link.conversationId ? await repo.findByConversation(link.conversationId) : null;
      if (!row) return;
      emitter.to(rooms.user(operatorId)).emit('contact:opened', { contactId: row.id, callId: row.callId, conversationId: row.conversationId });
    },

    async startOffline(body: StartOfflineContactBody, actor: StaffActor): Promise<ContactView> {
      require(actor, 'contact.start-offline', null);
      const row = await transaction(async (tx) => {
        const c = await repo.create(
          {
            channel: body.channel satisfies Channel,
            operatorId: actor.userId,
            sourceOrgType: body.sourceOrgType ?? null,
            sourceOrgName: body.sourceOrgName ?? null,
          },
          tx,
        );
        await repo.appendEvent(c.id, 'created', actor.userId, { source: body.channel }, tx);
        return c;
      });
      return fullView(row);
    },

    async get(id: string, actor: StaffActor): Promise<ContactView> {
      return transaction(async (tx) => {
        const row = await load(id, tx);
        const view = viewFor(actor.roles, isOwn(row, actor));
        if (!view) throw forbidden();
        if (row.identity && view !== 'summary') {
          await audit.record(actor, 'contact.identity.read', { entity: 'Contact', entityId: id, detail: { view } }, tx);
        }
        return view === 'full' ? fullView(row, tx) : toView(row, view);
      });
    },

    async patch(id: string, body: PatchContactBody, actor: StaffActor): Promise<ContactView> {
      let effects: Effect[] = [];
      let scheduled = false;
      const result = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const row = await load(id, tx);
        require(actor, 'contact.edit', row);
        if (row.status === 'finalised') throw new DomainError('CONTACT_FINALISED', 'this contact is finalised; a supervisor can reopen it', 409);
        if (row.version !== body.version) throw new ContactVersionConflict(await fullView(row, tx));

        const data: Record<string, unknown> = {};
        for (const k of [
          'sourceOrgType',
          'sourceOrgName',
          'ageGroup',
          'gender',
          'callerRole',
          'summary',
          'actionsTaken',
          'outcome',
          'safetyPlan',
          'followUpAssigneeId',
        ] as const) {
          if (body[k] !== undefined) data[k] = body[k];
        }
        if (body.areaId !== undefined) {
          if (body.areaId && !(await repo.areaExists(body.areaId, tx))) throw invalid('body.areaId', 'no such district or settlement');
          data.areaId = body.areaId;
        }
        if (body.followUpAt !== undefined) {
          data.followUpAt = body.followUpAt ? new Date(body.followUpAt) : null;
          data.followUpDoneAt = null;
        }
        if (body.categoryIds) {
          const ids = [...new Set(body.categoryIds)];
          if ((await repo.countCategories(ids, tx)) !== ids.length) throw invalid('body.categoryIds', 'unknown category');
          if ((await repo.retiredNotOn(id, ids, tx)).length) throw invalid('body.categoryIds', 'a retired category cannot be added');
          await repo.setCategories(id, ids, tx);
        }
        if (body.safetyChecklist) data.safetyChecklist = { ...(row.safetyChecklist as object), ...body.safetyChecklist };

        // Risk: computed by the rule table; a hand-set level may raise it or lower it
        // (shared/src/risk-override.ts has the rules).
        const screener: ScreenerAnswers = { ...(row.screener as ScreenerAnswers), ...(body.screener ?? {}) };
        const computed = computeRisk(screener).level;
        const risk = decideRisk({
          stored: {
            computed: row.computedRisk,
            overrideLevel: row.riskOverrideLevel as ContactRisk | null,
            overrideReason: row.riskOverrideReason,
            overrideById: row.riskOverrideById,
          },
          computed,
          override: body.riskOverride,
          mayLower: can(actor.roles, 'contact.lower-risk', true),
          actorId: actor.userId,
        });
        if (!risk.ok) {
          throw new DomainError('RISK_LOWER_NEEDS_SUPERVISOR', 'only a supervisor can set the level below the computed one', 403, [
            { path: 'riskOverride.level', message: 'below the computed level' },
          ]);
        }
        const overrideLevel = risk.overrideLevel;
        Object.assign(data, {
          screener,
          computedRisk: computed,
          riskLevel: risk.effective,
          riskOverrideLevel: overrideLevel,
          riskOverrideReason: risk.overrideReason,
          riskOverrideById: risk.overrideById,
        });
        if (raisesAlert(risk.effective, row.alertRaisedAt)) data.alertRaisedAt = now();

        // Identified part, only with consent (contacts.identity.ts).
        let identified = row.identified;
        let minorIdentified = minorInIdentity(row);
        if (body.identity) {
          const out = await identity.apply(row, body.identity, actor, tx);
          identified = out.identified;
          minorIdentified = out.minorInIdentity;
          if (out.phoneHash !== undefined) data.phoneHash = out.phoneHash;
        }
        data.identified = identified;
        const ageGroup = (data.ageGroup === undefined ? row.ageGroup : data.ageGroup) as string | null;
        const callerRole = (data.callerRole === undefined ? row.callerRole : data.callerRole) as string | null;
        data.hasMinor = minorIdentified || minorByPlace(callerRole, ageGroup);

        if (!(await repo.updateVersioned(id, body.version, data as never, tx))) throw new ContactVersionConflict(await fullView(await load(id, tx), tx));
        const after = await load(id, tx);
        if (row.riskLevel !== after.riskLevel) {
          await repo.appendEvent(id, 'risk-changed', actor.userId, { from: row.riskLevel, to: after.riskLevel, computed, override: overrideLevel }, tx);
        }
        if (body.riskOverride) {
          await audit.record(actor, 'contact.risk-override', { entity: 'Contact', entityId: id, detail: { level: body.riskOverride.level, computed } }, tx);
        }
        effects = riskEffects(row, after);
        // The reminders are written with the save (the outbox), so none is lost if Redis is away.
        if (body.followUpAt && after.followUpAt) {
          await followUps.schedule(id, after.followUpAt, tx);
          scheduled = true;
        }
        return fullView(after, tx);
      });
      if (scheduled) followUps.kick();
      await run(effects);
      return result;
    },

    /** Consent to the identified record withdrawn through the privacy feature (inside its
     * transaction): the identity goes as with the form's "no consent" (contacts.identity.ts). */
    async eraseIdentity(id: string, actor: Actor, tx: Db) {
      await repo.lock(id, tx);
      await identity.erase(await load(id, tx), actor, tx);
    },

    async finalise(id: string, version: number, actor: StaffActor): Promise<ContactView> {
      const result = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const row = await load(id, tx);
        require(actor, 'contact.finalise', row);
        if (row.status === 'finalised') throw new DomainError('CONTACT_FINALISED', 'this contact is already finalised', 409);
        if (row.version !== version) throw new ContactVersionConflict(await fullView(row, tx));
        const missing = finaliseBlockers(row);
        if (missing.length) {
          const code =
            row.riskLevel === 'R4' && missing.some((m) => m.path.startsWith('safetyChecklist'))
              ? 'CONTACT_R4_CHECKLIST_INCOMPLETE'
              : 'CONTACT_HIGH_RISK_INCOMPLETE';
          throw new DomainError(code, `cannot finalise yet: ${missing.map((m) => m.path).join(', ')}`, 422, missing);
        }
        await repo.updateVersioned(id, version, { status: 'finalised', finalisedAt: now() }, tx);
        await repo.appendEvent(id, 'finalised', actor.userId, { riskLevel: row.riskLevel }, tx);
        await audit.record(actor, 'contact.finalise', { entity: 'Contact', entityId: id, detail: { riskLevel: row.riskLevel } }, tx);
        return load(id, tx);
      });
      await events.emitAfter('contact.finalised', { contactId: id, riskLevel: result.riskLevel, operatorId: result.operatorId });
      if (result.riskLevel === 'R3' || result.riskLevel === 'R4') {
        emitter.to(rooms.role('supervisor')).emit('contact:risk-changed', {
          contactId: id,
          riskLevel: result.riskLevel,
          previous: result.riskLevel,
          hasMinor: result.hasMinor,
        });
      }
      return fullView(result);
    },

    async reopen(id: string, reason: string, actor: StaffActor): Promise<ContactView> {
      const row = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const row = await load(id, tx);
        require(actor, 'contact.reopen', row);
        if (row.status !== 'finalised') throw new DomainError('CONTACT_NOT_FINALISED', 'only a finalised contact can be reopened', 409);
        await repo.updateVersioned(id, row.version, { status: 'reopened' }, tx);
        await repo.appendEvent(id, 'reopened', actor.userId, { reason }, tx);
        await audit.record(actor, 'contact.reopen', { entity: 'Contact', entityId: id }, tx);
        return load(id, tx);
      });
      await events.emitAfter('contact.reopened', { contactId: id, by: actor.userId });
      return fullView(row);
    },

    /** A supervisor signs off an R4 contact whose checklist cannot be completed. */
    async signOffR4(id: string, reason: string, actor: StaffActor): Promise<ContactView> {
      const row = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const row = await load(id, tx);
        require(actor, 'contact.sign-off-r4', row);
        if (!takesR4SignOff(row.riskLevel)) throw new DomainError('CONTACT_NOT_R4', 'only an R4 contact needs a sign-off', 409);
        await repo.updateVersioned(id, row.version, { r4SignOffById: actor.userId, r4SignOffReason: reason }, tx);
        await repo.appendEvent(id, 'r4-signed-off', actor.userId, {}, tx);
        await audit.record(actor, 'contact.r4-sign-off', { entity: 'Contact', entityId: id }, tx);
        return load(id, tx);
      });
      return fullView(row);
    },

    async acknowledgeAlert(id: string, actor: StaffActor) {
      const at = now();
      const acked = await transaction(async (tx) => {
        await repo.lock(id, tx);
        const row = await load(id, tx);
        require(actor, 'contact.ack-alert', row);
        if (!row.alertRaisedAt) throw new DomainError('NO_ALERT', 'this contact has no alert', 409);
        if (row.alertAckedAt) return false;
        await repo.update(id, { alertAckedAt: at, alertAckedById: actor.userId }, tx);
        await repo.appendEvent(id, 'alert-acknowledged', actor.userId, {}, tx);
        await audit.record(actor, 'contact.alert-ack', { entity: 'Contact', entityId: id }, tx);
        return true;
      });
      if (acked) {
        const p = { contactId: id, by: actor.userId, at: at.toISOString() };
        emitter.to(rooms.role('supervisor')).emit('contact:alert-acknowledged', p);
        await events.emitAfter('contact.alert-acknowledged', p);
      }
      return { acknowledged: true };
    },

    /** Open R3/R4 contacts with their alert state, for supervisors and the wallboard. */
    async highRisk(actor: StaffActor) {
      require(actor, 'contact.high-risk-list', null);
      return (await repo.highRisk()).map((r) => ({
        id: r.id,
        riskLevel: r.riskLevel,
        status: r.status,
        operatorId: r.operatorId,
        hasMinor: r.hasMinor,
        createdAt: r.createdAt.toISOString(),
        alertRaisedAt: r.alertRaisedAt?.toISOString() ?? null,
        alertAckedAt: r.alertAckedAt?.toISOString() ?? null,
        alertAckedById: r.alertAckedById,
      }));
    },

    /** Timeline: other features (dispatch, cases) append entries here. */
    async appendEvent(contactId: string, kind: string, detail: Record<string, string | number | boolean | null>, actorId: string | null, tx?: Db) {
      const work = async (t: Db) => {
        await load(contactId, t);
        return repo.appendEvent(contactId, kind, actorId, detail, t);
      };
      return tx ? work(tx) : transaction(work);
    },

    async timeline(id: string, actor: StaffActor) {
      const row = await load(id);
      require(actor, 'contact.timeline-read', row);
      return (await repo.events(id)).map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), kind: e.kind, actorId: e.actorId, detail: e.detail }));
    },

    async followUpDone(id: string, actor: StaffActor) {
      await transaction(async (tx) => {
        const row = await load(id, tx);
        require(actor, 'contact.follow-up-done', row);
        await repo.update(id, { followUpDoneAt: now() }, tx);
        await repo.appendEvent(id, 'follow-up-done', actor.userId, {}, tx);
      });
    },

    /** "N earlier contacts" from the same number: anonymised, never the number. */
    async history(id: string, actor: StaffActor) {
      const row = await load(id);
      require(actor, 'contact.history', row);
      if (!row.phoneHash) return { count: 0, items: [] };
      const [count, items] = await repo.earlier(row.phoneHash, row.createdAt, id, 20);
      return { count, items: items.map((c) => ({ ...toView(c as ContactRow, 'summary'), categories: toView(c as ContactRow, 'summary').categories })) };
    },

    async flagCaller(id: string, body: { kind: string; reason: string; expiresAt: string }, actor: StaffActor) {
      return transaction(async (tx) => {
        const row = await load(id, tx);
        require(actor, 'caller.flag', row);
        if (!row.phoneHash) throw new DomainError('NO_CALLER_NUMBER', 'this contact has no caller number to flag', 409);
        const expiresAt = new Date(body.expiresAt);
        if (expiresAt <= now()) throw invalid('body.expiresAt', 'must be in the future');
        const flag = await repo.createFlag({ phoneHash: row.phoneHash, kind: body.kind, reason: body.reason, expiresAt, setById: actor.userId }, tx);
        await audit.record(actor, 'caller.flag', { entity: 'Contact', entityId: id, detail: { kind: body.kind } }, tx);
        return { id: flag.id, kind: flag.kind, reason: flag.reason, expiresAt: flag.expiresAt.toISOString() };
      });
    },
  };
}

export { finaliseBlockers };

export type ContactsService = ReturnType<typeof contactsService>;
