// What a person gets when they ask what is held about them (152-FZ art. 14): every row found,
// with numbers decrypted as the staff would see them, under field names a person can read. The
// same object is written as JSON and rendered as the printable HTML copy.
import type { PhoneCrypto } from '../../crypto/phone.js';
import type { DataRequestsRepository } from './data-requests.repository.js';

type Rows = Awaited<ReturnType<DataRequestsRepository['read']>>;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const text = (s: string | null | undefined) => (s ? s : null);

export interface ExportMeta {
  reference: string;
  exportedAt: Date;
  exportedBy: string;
  searchedBy: 'phone' | 'contact' | 'case';
}

export function buildExport(rows: Rows, phones: PhoneCrypto, meta: ExportMeta) {
  // A number removed by retention or an earlier request is '' or null: nothing to open.
  const open = (sealed: string | null | undefined) => {
    if (!sealed) return null;
    try {
      return phones.decrypt(sealed) || null;
    } catch {
      return null;
    }
  };
  const threadIds = new Set(rows.conversations.map((c) => c.id));
  const message = (m: Rows['messages'][number]) => ({
    id: m.id,
    sentAt: iso(m.createdAt),
    direction: m.direction,
    phoneNumber: open(m.peerSealed),
    text: m.body,
    attachments: m.numMedia,
    attachmentLinks: m.mediaUrls,
    deliveryStatus: m.status,
  });
  return {
    request: { reference: meta.reference, exportedAt: iso(meta.exportedAt), exportedBy: meta.exportedBy, searchedBy: meta.searchedBy },
    contacts: rows.contacts.map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      createdAt: iso(c.createdAt),
      completedAt: iso(c.finalisedAt),
      anonymisedAt: iso(c.anonymisedAt),
      ageGroup: c.ageGroup,
      gender: c.gender,
      whoContacted: c.callerRole,
      area: c.area ? { ru: c.area.nameRu, en: c.area.nameEn } : null,
      referringOrganisation: c.sourceOrgType ? { type: c.sourceOrgType, name: text(c.sourceOrgName) } : null,
      categories: c.categories.map((x) => ({ code: x.category.code, ru: x.category.labelRu, en: x.category.labelEn })),
      summary: text(c.summary),
      actionsTaken: text(c.actionsTaken),
      safetyPlan: text(c.safetyPlan),
      outcome: c.outcome,
      riskLevel: c.riskLevel,
      riskOverrideReason: text(c.riskOverrideReason),
      imminentRiskSignOffReason: text(c.r4SignOffReason),
      involvesMinor: c.hasMinor,
      screenerAnswers: c.screener,
      followUpAt: iso(c.followUpAt),
      identity: c.identity
        ? {
            name: text(c.identity.name),
            age: c.identity.age,
            address: text(c.identity.address),
            callBackNumber: open(c.identity.phoneSealed),
            consentGivenAt: iso(c.identity.consentAt),
          }
        : null,
      familyMembers: c.people.map((p) => ({ relation: p.relation, name: text(p.name), age: p.age })),
      history: c.events.map((e) => ({ at: iso(e.at), event: e.kind })),
    })),
    calls: rows.calls.map((c) => ({
      id: c.id,
      direction: c.direction,
      phoneNumber: open(c.callerSealed),
      country: c.callerCountry,
      status: c.status,
      receivedAt: iso(c.receivedAt),
      answeredAt: iso(c.answeredAt),
      endedAt: iso(c.endedAt),
      endReason: c.endReason,
      waitSeconds: c.waitMs == null ? null : Math.round(c.waitMs / 1000),
      unanswered: c.abandoned,
    })),
    smsConversations: rows.conversations.map((c) => ({
      id: c.id,
      phoneNumber: open(c.peerSealed),
      status: c.status,
      openedAt: iso(c.openedAt),
      closedAt: iso(c.closedAt),
      messages: rows.messages.filter((m) => m.conversationId === c.id).map(message),
    })),
    otherSmsMessages: rows.messages.filter((m) => !m.conversationId || !threadIds.has(m.conversationId)).map(message),
    callBackRequests: rows.callbacks.map((c) => ({
      id: c.id,
      kind: c.kind,
      status: c.status,
      phoneNumber: open(c.callerSealed),
      voicemailRecording: c.recordingUrl,
      createdAt: iso(c.createdAt),
      dialledAt: iso(c.dialedAt),
      closedAt: iso(c.closedAt),
    })),
    urgentHelpRequests: rows.dispatches.map((d) => ({
      id: d.id,
      number: d.number,
      kind: d.kind,
      state: d.state,
      urgency: d.urgency,
      referral: text(d.referral),
      recipientName: text(d.recipientName),
      recipientPhoneNumber: open(d.recipientPhoneEnc),
      district: d.district,
      address: text(d.address),
      childrenInvolved: d.childrenInvolved,
      noteForProvider: text(d.providerNote),
      createdAt: iso(d.createdAt),
      deliveredAt: iso(d.deliveredAt),
      closedAt: iso(d.closedAt),
      closeReason: d.closeReason,
      notes: d.events.map((e) => ({ at: iso(e.at), step: e.type, note: e.note })),
    })),
    cases: rows.cases.map((k) => ({
      id: k.id,
      number: k.number,
      stage: k.stage,
      origin: k.origin,
      signalFrom: text(k.signalFrom),
      signalSummary: text(k.signalSummary),
      signalAt: iso(k.signalAt),
      subjectKind: k.subjectKind,
      subjectName: text(k.subjectName),
      phoneNumber: open(k.phoneSealed),
      address: text(k.address),
      district: k.district,
      consentGivenAt: iso(k.consentAt),
      consentNote: text(k.consentNote),
      checkSummary: text(k.checkSummary),
      riskLevel: k.riskLevel,
      safetyFactors: k.safetyFactors,
      riskFactors: k.riskFactors,
      assessmentNote: text(k.assessmentNote),
      applicationDate: day(k.applicationDate),
      openedAt: iso(k.openedAt),
      closedAt: iso(k.closedAt),
      closeReason: k.closeReason,
      closeReasonText: text(k.closeReasonText),
      createdAt: iso(k.createdAt),
      members: k.members.map((m) => ({ name: text(m.name), relation: m.relation, child: m.isChild, age: m.age, birthYear: m.birthYear })),
      notes: k.notes.map((n) => ({ at: iso(n.createdAt), kind: n.kind, text: n.text })),
      plan: k.goals.map((g) => ({
        part: g.part,
        goal: text(g.text),
        tasks: g.tasks.map((t) => ({ task: text(t.text), who: text(t.ownerName), due: day(t.dueDate), doneAt: iso(t.doneAt) })),
      })),
      stages: k.transitions.map((t) => ({ at: iso(t.at), from: t.from, to: t.to, reason: text(t.reason) })),
    })),
    consents: rows.consents.map((c) => ({
      id: c.id,
      contactId: c.contactId,
      caseId: c.caseId,
      purpose: c.purpose,
      method: c.method,
      reference: c.reference,
      givenAt: iso(c.recordedAt),
      withdrawnAt: iso(c.withdrawnAt),
      withdrawalMethod: c.withdrawalMethod,
    })),
    callerFlags: rows.flags.map((x) => ({ id: x.id, kind: x.kind, reason: x.reason, setAt: iso(x.createdAt), expiresAt: iso(x.expiresAt) })),
  };
}
export type PersonExport = ReturnType<typeof buildExport>;

/** Records in the export, for the audit entry and the summary line. */
export const exportCount = (e: PersonExport) =>
  e.contacts.length +
  e.calls.length +
  e.smsConversations.length +
  e.smsConversations.reduce((n, c) => n + c.messages.length, 0) +
  e.otherSmsMessages.length +
  e.callBackRequests.length +
  e.urgentHelpRequests.length +
  e.cases.length +
  e.consents.length +
  e.callerFlags.length;
