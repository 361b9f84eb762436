// Turns a contact row into what a role may see (shared/src/contact-permissions.ts decides which view).
import type { CallerInfo, Channel, ContactView, ViewKind } from '@trustline/shared';
import { computeRisk, type ScreenerAnswers } from '@trustline/shared';
import type { ContactRow } from './contacts.repository.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const categoryRefs = (row: { categories: { category: { id: string; code: string; labelRu: string; labelEn: string; retired: boolean } }[] }) =>
  row.categories
    .map((c) => ({ id: c.category.id, code: c.category.code, labelRu: c.category.labelRu, labelEn: c.category.labelEn, retired: c.category.retired }))
    .sort((a, b) => a.code.localeCompare(b.code));

export interface ViewExtras {
  /** The label of a keyed hash (services.phones.label): a number is shown by it, never by a digit. */
  label?: (hash: string) => string | null;
  caller?: CallerInfo;
  callerFlags?: { id: string; kind: string; reason: string; expiresAt: Date }[];
  openCase?: { id: string } | null;
}

export function toView(row: ContactRow, view: ViewKind, extras: ViewExtras = {}): ContactView {
  const base: ContactView = {
    id: row.id,
    view,
    // Stored as the shared code itself (text column, written only from CHANNELS).
    channel: row.channel as Channel,
    status: row.status,
    version: row.version,
    operatorId: row.operatorId,
    categories: categoryRefs(row),
    outcome: row.outcome,
    computedRisk: row.computedRisk,
    riskLevel: row.riskLevel,
    hasMinor: row.hasMinor,
    identified: row.identified,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalisedAt: iso(row.finalisedAt),
  };
  if (view === 'summary') return base;

  const place = {
    ageGroup: row.ageGroup,
    callerRole: row.callerRole,
    areaId: row.areaId,
    sourceOrgType: row.sourceOrgType,
    sourceOrgName: row.sourceOrgName,
    alertRaisedAt: iso(row.alertRaisedAt),
    alertAckedAt: iso(row.alertAckedAt),
  };
  if (view === 'dispatch') {
    return {
      ...base,
      ...place,
      identity: row.identity
        ? {
            consentAt: row.identity.consentAt.toISOString(),
            name: row.identity.name,
            age: row.identity.age,
            address: row.identity.address,
            callbackPhoneLabel: null,
            people: row.people.map((p) => ({ relation: p.relation, name: p.name, age: p.age })),
          }
        : null,
    };
  }

  const screener = (row.screener ?? {}) as ScreenerAnswers;
  const phoneLabel = row.identity?.phoneSealed && row.identity.phoneHash && extras.label ? extras.label(row.identity.phoneHash) : null;
  return {
    ...base,
    ...place,
    callId: row.callId,
    conversationId: row.conversationId,
    gender: row.gender,
    summary: row.summary,
    actionsTaken: row.actionsTaken,
    followUpAt: iso(row.followUpAt),
    followUpAssigneeId: row.followUpAssigneeId,
    followUpDoneAt: iso(row.followUpDoneAt),
    screener,
    riskRules: computeRisk(screener).rules,
    riskOverrideReason: row.riskOverrideReason,
    safetyChecklist: (row.safetyChecklist ?? {}) as ContactView['safetyChecklist'],
    safetyPlan: row.safetyPlan,
    r4SignOffReason: row.r4SignOffReason,
    anonymisedAt: iso(row.anonymisedAt),
    identity: row.identity
      ? {
          consentAt: row.identity.consentAt.toISOString(),
          name: row.identity.name,
          age: row.identity.age,
          address: row.identity.address,
          callbackPhoneLabel: phoneLabel,
          people: row.people.map((p) => ({ relation: p.relation, name: p.name, age: p.age })),
        }
      : null,
    callerFlags: (extras.callerFlags ?? []).map((f) => ({ id: f.id, kind: f.kind, reason: f.reason, expiresAt: f.expiresAt.toISOString() })),
    openCase: extras.openCase ?? null,
    ...(extras.caller ? { caller: extras.caller } : {}),
  };
}
