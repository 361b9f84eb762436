// Every column of the schema (prisma/schema/*.prisma) that holds a person's data, by table: the
// category it is, and which retention policy removes it, or why it stays. Blind indexes and note
// tokens (encryption at rest, server/src/db/encryption.ts) are written by the encryption layer
// from the field they index: clearing the field through Prisma clears them in the same statement. A unit test
// (test/unit/personal-data-map.test.ts) reads the schema and fails when a column that looks
// personal is in neither this map nor NOT_SUBJECT_DATA, so a new column cannot be forgotten.
import type { DataCategory, RetentionKind } from '@trustline/shared';

export interface PersonalColumn {
  category: DataCategory | 'phone_hash';
  /** The policies that remove it; empty: kept, for the reason given. */
  removedBy: readonly RetentionKind[];
  kept?: string;
}

const c = (category: PersonalColumn['category'], ...removedBy: RetentionKind[]): PersonalColumn => ({ category, removedBy });
const keptHash = (why: string): PersonalColumn => ({ category: 'phone_hash', removedBy: [], kept: why });
const CONTACT = ['contacts', 'drafts'] as const;

export const PERSONAL_DATA: Record<string, Record<string, PersonalColumn>> = {
  Contact: {
    summary: c('notes', ...CONTACT),
    actionsTaken: c('notes', ...CONTACT),
    safetyPlan: c('notes', ...CONTACT),
    riskOverrideReason: c('notes', ...CONTACT),
    r4SignOffReason: c('notes', ...CONTACT),
    sourceOrgName: c('notes', ...CONTACT),
    summaryTokens: c('notes', ...CONTACT),
    actionsTokens: c('notes', ...CONTACT),
    planTokens: c('notes', ...CONTACT),
    phoneHash: keptHash("keyed hash (no digit recoverable without APP_SECRET): links repeat contacts; removed on a person's request"),
  },
  /** Deleted whole. */
  ContactIdentity: {
    name: c('name', ...CONTACT),
    nameIndex: c('name', ...CONTACT),
    age: c('age', ...CONTACT),
    address: c('address', ...CONTACT),
    phoneSealed: c('phone', ...CONTACT),
    phoneHash: c('phone', ...CONTACT),
  },
  /** Deleted whole. */
  ContactPerson: { name: c('family', ...CONTACT), nameIndex: c('family', ...CONTACT), age: c('family', ...CONTACT), relation: c('family', ...CONTACT) },
  /** Deleted once expired (contacts policy). */
  CallerFlag: { reason: c('notes', 'contacts'), phoneHash: c('phone', 'contacts') },
  Call: {
    callerSealed: c('phone', 'calls'),
    callerCountry: c('phone', 'calls'),
    callerHash: keptHash("keyed hash: repeat-caller history and reports; removed on a person's request"),
  },
  Conversation: {
    peerSealed: c('phone', 'messages'),
    peerHash: keptHash("keyed hash: links a later text to the same sender; removed on a person's request"),
  },
  Message: {
    body: c('message_text', 'messages'),
    peerSealed: c('phone', 'messages'),
    mediaUrls: c('message_media', 'messages'),
    mediaTypes: c('message_media', 'messages'),
    peerHash: keptHash("keyed hash: links the message to its thread; removed on a person's request"),
  },
  /** Deleted whole. */
  CallbackRequest: {
    callerSealed: c('phone', 'callbacks'),
    callerHash: c('phone', 'callbacks'),
    recordingUrl: c('voicemail', 'callbacks'),
  },
  OptOut: { peerHash: keptHash('keyed hash of a number that asked for no texts: kept so it is never texted again') },
  Dispatch: {
    recipientName: c('name', 'dispatches'),
    recipientNameIndex: c('name', 'dispatches'),
    recipientPhoneEnc: c('phone', 'dispatches'),
    recipientPhoneHash: c('phone', 'dispatches'),
    address: c('address', 'dispatches'),
    providerNote: c('notes', 'dispatches'),
    referral: c('notes', 'dispatches'),
  },
  DispatchEvent: { note: c('notes', 'dispatches') },
  Case: {
    subjectName: c('name', 'cases'),
    subjectNameIndex: c('name', 'cases'),
    phoneSealed: c('phone', 'cases'),
    phoneHash: c('phone', 'cases'),
    address: c('address', 'cases'),
    signalFrom: c('notes', 'cases'),
    signalSummary: c('notes', 'cases'),
    consentNote: c('notes', 'cases'),
    checkSummary: c('notes', 'cases'),
    assessmentNote: c('notes', 'cases'),
    closeReasonText: c('notes', 'cases'),
    safetyFactors: c('notes', 'cases'),
    riskFactors: c('notes', 'cases'),
  },
  /** Deleted whole. */
  CaseMember: {
    name: c('family', 'cases'),
    nameIndex: c('family', 'cases'),
    relation: c('family', 'cases'),
    age: c('family', 'cases'),
    birthYear: c('family', 'cases'),
  },
  /** Deleted whole. */
  CaseNote: { text: c('notes', 'cases') },
  CaseGoal: { text: c('case_plan', 'cases') },
  CaseTask: { text: c('case_plan', 'cases'), ownerName: c('case_plan', 'cases') },
  CaseTransition: { reason: c('notes', 'cases') },
};

/** Columns whose names look personal but hold no data about the people the centre helps: staff
 * accounts, providers, the centre's own lines, the audit log, keyed hashes of a provider. */
export const NOT_SUBJECT_DATA: Record<string, readonly string[]> = {
  User: ['username', 'displayName', 'passwordHash', 'totpSecret', 'totpRecoveryCodes'],
  Session: ['ip', 'userAgent'],
  AuditLog: ['actorLabel', 'ip', 'userAgent', 'detail'],
  Line: ['number', 'name', 'greeting', 'fallbackNumber'],
  /** The kind of caller (child, parent, professional): a statistics category, no one's identity. */
  Contact: ['callerRole'],
  /** Ids and kinds of what happened, never a value. */
  ContactEvent: ['detail'],
  DispatchOffer: ['reasons'],
  Outbox: ['name'],
  /** Reference numbers printed on the console and on acts. */
  Case: ['number'],
  DestructionRecord: ['number', 'actorLabel', 'reference'],
  /** Codes: why a call ended or a thread closed; how many attachments. */
  Call: ['endReason'],
  Conversation: ['closeReason'],
  Message: ['numMedia'],
  OperatorState: ['reason'],
  OperatorStateHistory: ['reason'],
  Category: ['labelRu', 'labelEn'],
  Area: ['nameRu', 'nameEn'],
  CalendarDay: ['name'],
  DispatchEvent: ['actorLabel', 'detail'],
  /** Why a dispatch failed or was escalated, as the reports group it ("no provider answered"). */
  Dispatch: ['number', 'closeReason', 'escalatedReason'],
  Consent: ['reference', 'withdrawalReference'],
  DataBreach: ['number', 'summary', 'measures'],
  BreachNotice: ['recipient', 'content'],
};

/** Directory tables (providers' organisations, services, places, phones) are the centre's
 * partners, not the people it helps: every column is left out of the map. */
export const NOT_SUBJECT_TABLE_PREFIXES = ['Dir'] as const;

/** Categories a policy removes from the tables it touched. */
export function categoriesOf(kind: RetentionKind, tables: Iterable<string>): DataCategory[] {
  const out = new Set<DataCategory>();
  for (const t of tables)
    for (const col of Object.values(PERSONAL_DATA[t] ?? {})) if (col.category !== 'phone_hash' && col.removedBy.includes(kind)) out.add(col.category);
  return [...out].sort();
}
