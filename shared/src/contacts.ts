// Contacts (обращения): API bodies, views and socket events. The risk rules are in triage-rules.ts.
import { z } from 'zod';
import type { Ack } from './errors.js';
import { ContactRisk, SafetyChecklist, ScreenerAnswers } from './triage-rules.js';
import { ConsentMethod } from './privacy.js';
import { CallerInfo } from './callers.js';

/** How a contact came. THE list: the contact's channel column is text checked against it, so a
 * new channel is added here (with its labels below and in the console's i18n), not in the schema. */
export const CHANNELS = ['voice', 'sms', 'walk-in', 'referral'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
/** The channels' names in reports and exports (the console's own are in its i18n, `channel.*`). */
export const CHANNEL_LABELS: Record<Channel, { ru: string; en: string }> = {
  voice: { ru: 'Звонок', en: 'Call' },
  sms: { ru: 'SMS', en: 'SMS' },
  'walk-in': { ru: 'Личный визит', en: 'Walk-in' },
  referral: { ru: 'Направление', en: 'Referral' },
};
/** A channel code with its labels; a code not labelled yet shows as itself. */
export const channelLabels = (code: string): { key: string; labelRu: string; labelEn: string } => {
  const l = (CHANNEL_LABELS as Record<string, { ru: string; en: string } | undefined>)[code];
  return { key: code, labelRu: l?.ru ?? code, labelEn: l?.en ?? code };
};
export const SourceOrgType = z.enum(['school', 'hospital', 'police', 'other']);
export const ContactStatus = z.enum(['draft', 'finalised', 'reopened']);
export type ContactStatus = z.infer<typeof ContactStatus>;
export const AgeGroup = z.enum(['0-9', '10-13', '14-17', '18-29', '30-59', '60+', 'unknown']);
export const Gender = z.enum(['female', 'male', 'other', 'unknown']);
export const CallerRole = z.enum(['child', 'parent', 'relative', 'professional', 'other']);
export const OUTCOMES = [
  'information-given',
  'referred',
  'urgent-help-dispatched',
  'escalated-to-case',
  'emergency-services-called',
  'follow-up-planned',
] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

const Text = (max: number) => z.string().max(max, `at most ${max} characters`);
const Id = z.uuid('must be a UUID');

export const ContactPersonInput = z.object({
  relation: z.enum(['child', 'sibling', 'parent', 'partner', 'relative', 'other']),
  name: Text(200).nullable().optional(),
  age: z.number().int().min(0).max(120).nullable().optional(),
});
export type ContactPersonInput = z.infer<typeof ContactPersonInput>;

/** The identified part. Sent only with consent; `consent: false` removes it. */
export const IdentityInput = z.object({
  consent: z.boolean(),
  /** How the person gave (or withdrew) consent; by default the contact's channel says. */
  consentMethod: ConsentMethod.optional(),
  name: Text(200).nullable().optional(),
  age: z.number().int().min(0).max(120).nullable().optional(),
  address: Text(500).nullable().optional(),
  /** Call-back number: stored as a keyed hash and a sealed value; never shown whole. At least
   * five digits: punctuation alone normalises to an empty number. */
  callbackPhone: z
    .string()
    .regex(/^(?=(?:\D*\d){5})\+?[\d\s()\-.]{5,25}$/, 'must be a phone number')
    .nullable()
    .optional(),
  people: z.array(ContactPersonInput).max(30).optional(),
});
export type IdentityInput = z.infer<typeof IdentityInput>;

export const StartOfflineContactBody = z.object({
  channel: z.enum(['walk-in', 'referral']),
  sourceOrgType: SourceOrgType.nullable().optional(),
  sourceOrgName: Text(200).nullable().optional(),
});
export type StartOfflineContactBody = z.infer<typeof StartOfflineContactBody>;

/** Autosave: every field optional; `version` is the version the client edited. */
export const PatchContactBody = z.object({
  version: z.number().int().positive(),
  sourceOrgType: SourceOrgType.nullable().optional(),
  sourceOrgName: Text(200).nullable().optional(),
  ageGroup: AgeGroup.nullable().optional(),
  gender: Gender.nullable().optional(),
  callerRole: CallerRole.nullable().optional(),
  areaId: Id.nullable().optional(),
  categoryIds: z.array(Id).max(20).optional(),
  summary: Text(20_000).optional(),
  actionsTaken: Text(20_000).optional(),
  outcome: Outcome.nullable().optional(),
  followUpAt: z.iso.datetime().nullable().optional(),
  followUpAssigneeId: Id.nullable().optional(),
  screener: ScreenerAnswers.optional(),
  /** Set the level by hand: raising needs a reason; lowering below the computed level needs a supervisor. */
  riskOverride: z
    .object({ level: ContactRisk, reason: Text(1000).trim().min(3, 'give a reason') })
    .nullable()
    .optional(),
  safetyChecklist: SafetyChecklist.optional(),
  safetyPlan: Text(10_000).optional(),
  identity: IdentityInput.optional(),
});
export type PatchContactBody = z.infer<typeof PatchContactBody>;

export const VersionBody = z.object({ version: z.number().int().positive() });
export const ContactReasonBody = z.object({ reason: Text(1000).trim().min(3, 'give a reason') });
export const ContactParams = z.object({ id: Id });

export const CategoryRef = z.object({ id: z.uuid(), code: z.string(), labelRu: z.string(), labelEn: z.string(), retired: z.boolean() });

export const IdentityView = z.object({
  consentAt: z.iso.datetime(),
  name: z.string().nullable(),
  age: z.number().nullable(),
  address: z.string().nullable(),
  /** The call-back number's label from its keyed hash (`K-ABCDE`), never a digit of it. */
  callbackPhoneLabel: z.string().nullable(),
  people: z.array(z.object({ relation: z.string(), name: z.string().nullable(), age: z.number().nullable() })),
});

/** What a role may see of one contact; fields it may not see are absent (see permissions.ts). */
export const ContactView = z.object({
  id: z.uuid(),
  view: z.enum(['full', 'summary', 'dispatch']),
  channel: Channel,
  status: ContactStatus,
  version: z.number(),
  operatorId: z.uuid().nullable(),
  callId: z.uuid().nullable().optional(),
  conversationId: z.uuid().nullable().optional(),
  sourceOrgType: z.string().nullable().optional(),
  sourceOrgName: z.string().nullable().optional(),
  ageGroup: z.string().nullable().optional(),
  gender: z.string().nullable().optional(),
  callerRole: z.string().nullable().optional(),
  areaId: z.uuid().nullable().optional(),
  categories: z.array(CategoryRef),
  summary: z.string().optional(),
  actionsTaken: z.string().optional(),
  outcome: z.string().nullable(),
  followUpAt: z.iso.datetime().nullable().optional(),
  followUpAssigneeId: z.uuid().nullable().optional(),
  followUpDoneAt: z.iso.datetime().nullable().optional(),
  screener: ScreenerAnswers.optional(),
  computedRisk: ContactRisk,
  riskRules: z.array(z.string()).optional(),
  riskLevel: ContactRisk,
  riskOverrideReason: z.string().nullable().optional(),
  safetyChecklist: SafetyChecklist.optional(),
  safetyPlan: z.string().optional(),
  r4SignOffReason: z.string().nullable().optional(),
  alertRaisedAt: z.iso.datetime().nullable().optional(),
  alertAckedAt: z.iso.datetime().nullable().optional(),
  hasMinor: z.boolean(),
  identified: z.boolean(),
  identity: IdentityView.nullable().optional(),
  anonymisedAt: z.iso.datetime().nullable().optional(),
  callerFlags: z.array(z.object({ id: z.uuid(), kind: z.string(), reason: z.string(), expiresAt: z.iso.datetime() })).optional(),
  /** Cases feature seam: the open case this contact is linked to, if any. */
  openCase: z.object({ id: z.string() }).nullable().optional(),
  /** The caller by label and earlier contacts (full view); null label for a withheld or absent number. */
  caller: CallerInfo.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  finalisedAt: z.iso.datetime().nullable(),
});
export type ContactView = z.infer<typeof ContactView>;

/** 409 body for a stale version: the server's current copy, so the console can show the conflict. */
export const ContactConflict = z.object({ code: z.literal('CONTACT_VERSION_CONFLICT'), message: z.string(), current: ContactView });

export const ContactSearchQuery = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  channel: Channel.optional(),
  categoryId: Id.optional(),
  risk: ContactRisk.optional(),
  minRisk: ContactRisk.optional(),
  operatorId: Id.optional(),
  areaId: Id.optional(),
  outcome: Outcome.optional(),
  status: ContactStatus.optional(),
  followUpDue: z.stringbool().optional(),
  q: z.string().trim().min(2, 'at least 2 characters').max(200).optional(),
  /** Exact name (of the caller or a recorded person), matched through the blind index: case, ё/е
   * and extra spaces do not matter, but the whole name must match. */
  name: z.string().trim().min(2, 'at least 2 characters').max(200).optional(),
  sort: z.enum(['newest', 'oldest', 'risk']).default('newest'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /** Count the matches too (up to 1,000); costs more than the page itself on large sets. */
  count: z.stringbool().default(false),
});
export type ContactSearchQuery = z.infer<typeof ContactSearchQuery>;

export const ContactListItem = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  channel: Channel,
  status: ContactStatus,
  riskLevel: ContactRisk,
  outcome: z.string().nullable(),
  operatorId: z.uuid().nullable(),
  areaId: z.uuid().nullable(),
  categoryIds: z.array(z.uuid()),
  followUpAt: z.iso.datetime().nullable(),
  hasMinor: z.boolean(),
  /** Only where the role may read the contact's content. */
  excerpt: z.string().optional(),
});
export type ContactListItem = z.infer<typeof ContactListItem>;
export const ContactSearchResult = z.object({
  items: z.array(ContactListItem),
  /** Whether another page follows. */
  hasMore: z.boolean(),
  /** Matches counted up to 1,000 when `count=true`, else null. */
  total: z.number().nullable(),
  page: z.number(),
  pageSize: z.number(),
});

/** Earlier contacts from the same number, anonymised. */
export const HistoryItem = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  channel: Channel,
  riskLevel: ContactRisk,
  outcome: z.string().nullable(),
  categories: z.array(CategoryRef),
});
export const ContactHistory = z.object({ count: z.number(), items: z.array(HistoryItem) });

export const HighRiskItem = z.object({
  id: z.uuid(),
  riskLevel: ContactRisk,
  status: ContactStatus,
  operatorId: z.uuid().nullable(),
  hasMinor: z.boolean(),
  createdAt: z.iso.datetime(),
  alertRaisedAt: z.iso.datetime().nullable(),
  alertAckedAt: z.iso.datetime().nullable(),
  alertAckedById: z.uuid().nullable(),
});
export type HighRiskItem = z.infer<typeof HighRiskItem>;

export const ContactEventView = z.object({ id: z.string(), at: z.iso.datetime(), kind: z.string(), actorId: z.uuid().nullable(), detail: z.unknown() });

export const CallerFlagBody = z.object({
  kind: z.enum(['frequent-caller', 'abusive', 'silent', 'other']),
  reason: Text(500).trim().min(3, 'give a reason'),
  expiresAt: z.iso.datetime(),
});

// Configuration: taxonomy and areas.
export const CategoryView = z.object({
  id: z.uuid(),
  code: z.string(),
  parentId: z.uuid().nullable(),
  labelRu: z.string(),
  labelEn: z.string(),
  sort: z.number(),
  retired: z.boolean(),
});
export type CategoryView = z.infer<typeof CategoryView>;
export const CategoryBody = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'lower-case letters, digits, dots and dashes')
    .max(80),
  parentId: Id.nullable().optional(),
  labelRu: Text(200).trim().min(1),
  labelEn: Text(200).trim().min(1),
  sort: z.number().int().optional(),
});
export const UpdateCategoryBody = z.object({
  labelRu: Text(200).trim().min(1).optional(),
  labelEn: Text(200).trim().min(1).optional(),
  sort: z.number().int().optional(),
  retired: z.boolean().optional(),
});
export const AreaView = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(['city-district', 'settlement']),
  nameRu: z.string(),
  nameEn: z.string(),
  example: z.boolean(),
  retired: z.boolean(),
  sort: z.number(),
});
export type AreaView = z.infer<typeof AreaView>;
export const AreaBody = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'lower-case letters, digits, dots and dashes')
    .max(80),
  kind: z.enum(['city-district', 'settlement']),
  nameRu: Text(200).trim().min(1),
  nameEn: Text(200).trim().min(1),
  sort: z.number().int().optional(),
});
export const UpdateAreaBody = z.object({
  nameRu: Text(200).trim().min(1).optional(),
  nameEn: Text(200).trim().min(1).optional(),
  sort: z.number().int().optional(),
  retired: z.boolean().optional(),
});

// Realtime.
export interface ContactAlert {
  contactId: string;
  riskLevel: 'R4';
  operatorId: string | null;
  hasMinor: boolean;
  raisedAt: string;
}

export interface ContactsServerEvents {
  /** A draft was opened for this operator (call or SMS taken): the console opens the form. */
  'contact:opened': (p: { contactId: string; callId: string | null; conversationId: string | null }) => void;
  /** To supervisors: a contact's effective risk level changed. */
  'contact:risk-changed': (p: { contactId: string; riskLevel: string; previous: string; hasMinor: boolean }) => void;
  /** To supervisors: an R4 emergency; must be acknowledged. */
  'contact:alert-raised': (p: ContactAlert) => void;
  'contact:alert-acknowledged': (p: { contactId: string; by: string; at: string }) => void;
  /** To the assignee when a follow-up comes due; to supervisors when it is overdue. */
  'contact:follow-up-due': (p: { contactId: string; followUpAt: string }) => void;
  'contact:follow-up-overdue': (p: { contactId: string; followUpAt: string; assigneeId: string | null }) => void;
}

export interface ContactsClientCommands {
  /** Autosave over the socket (same rules as PATCH /api/contacts/:id). */
  'contact:save': (p: { id: string; patch: PatchContactBody }, ack: (res: Ack<ContactView>) => void) => void;
  'contact:get': (p: { id: string }, ack: (res: Ack<ContactView>) => void) => void;
}
