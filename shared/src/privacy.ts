// Privacy (152-FZ): consent records and the personal-data breach register. API bodies and views.
import { z } from 'zod';

export const CONSENT_PURPOSES = ['identified_contact', 'follow_up_callback', 'case_work', 'provider_sharing'] as const;
export const ConsentPurpose = z.enum(CONSENT_PURPOSES);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

export const CONSENT_METHODS = ['spoken', 'written', 'sms'] as const;
export const ConsentMethod = z.enum(CONSENT_METHODS);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/** A contact's channel is how its consent was most likely given, when the form does not say. */
export const methodForChannel = (channel: string): ConsentMethod => (channel === 'sms' ? 'sms' : channel === 'referral' ? 'written' : 'spoken');

const Id = z.uuid('must be a UUID');
/** A reference (a written form's number, an SMS id): never a name, so short. */
const Reference = z.string().trim().max(200, 'at most 200 characters');

/** Whose consents: a contact's or a case's (exactly one). */
export const ConsentSubjectQuery = z
  .object({ contactId: Id.optional(), caseId: Id.optional() })
  .refine((q) => !!q.contactId !== !!q.caseId, { message: 'give either contactId or caseId', path: ['contactId'] });
export type ConsentSubjectQuery = z.infer<typeof ConsentSubjectQuery>;

export const RecordConsentBody = z
  .object({
    contactId: Id.optional(),
    caseId: Id.optional(),
    purpose: ConsentPurpose,
    method: ConsentMethod,
    reference: Reference.nullable().optional(),
  })
  .refine((b) => !!b.contactId !== !!b.caseId, { message: 'give either contactId or caseId', path: ['contactId'] });
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

export const WithdrawConsentBody = z.object({
  /** How the person withdrew it. */
  method: ConsentMethod,
  reference: Reference.nullable().optional(),
});
export type WithdrawConsentBody = z.infer<typeof WithdrawConsentBody>;

export const ConsentParams = z.object({ id: Id });

const Staff = z.object({ id: z.string(), displayName: z.string() }).nullable();

export const ConsentView = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  caseId: z.string().nullable(),
  purpose: ConsentPurpose,
  method: ConsentMethod,
  reference: z.string().nullable(),
  recordedBy: Staff,
  recordedAt: z.string(),
  withdrawal: z.object({ at: z.string(), by: Staff, method: ConsentMethod.nullable(), reference: z.string().nullable() }).nullable(),
});
export type ConsentView = z.infer<typeof ConsentView>;

// ─── Breach register ─────────────────────────────────────────────────────────────────────────

/** 152-FZ art. 21 part 3.1: the two notices to Roskomnadzor, counted from discovery. */
export const BREACH_NOTICE_HOURS = { initial: 24, results: 72 } as const;
export const BreachNoticeKind = z.enum(['initial', 'results']);
export type BreachNoticeKind = z.infer<typeof BreachNoticeKind>;

export const BREACH_DATA_KINDS = [
  'names',
  'phones',
  'addresses',
  'ages',
  'children',
  'health',
  'contact_notes',
  'case_files',
  'messages',
  'recordings',
  'staff_accounts',
  'other',
] as const;
export const BreachDataKind = z.enum(BREACH_DATA_KINDS);
export type BreachDataKind = z.infer<typeof BreachDataKind>;

const Summary = z.string().trim().min(1, 'say what happened').max(4000, 'at most 4000 characters');
const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time (ISO 8601)' });

export const CreateBreachBody = z.object({
  summary: Summary,
  discoveredAt: Instant,
  occurredAt: Instant.nullable().optional(),
  peopleAffected: z.number().int('a whole number').min(0).max(100_000_000).nullable().optional(),
  dataKinds: z.array(BreachDataKind).max(BREACH_DATA_KINDS.length).default([]),
  measures: z.string().trim().max(4000, 'at most 4000 characters').default(''),
});
export type CreateBreachBody = z.infer<typeof CreateBreachBody>;

export const UpdateBreachBody = z
  .object({
    summary: Summary.optional(),
    occurredAt: Instant.nullable().optional(),
    peopleAffected: z.number().int('a whole number').min(0).max(100_000_000).nullable().optional(),
    dataKinds: z.array(BreachDataKind).max(BREACH_DATA_KINDS.length).optional(),
    measures: z.string().trim().max(4000, 'at most 4000 characters').optional(),
    /** Close (true) or reopen (false) the investigation. */
    closed: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type UpdateBreachBody = z.infer<typeof UpdateBreachBody>;

export const BreachNoticeBody = z.object({
  kind: BreachNoticeKind,
  sentAt: Instant,
  recipient: z.string().trim().min(1, 'say to whom it was sent').max(300, 'at most 300 characters'),
  /** The text sent, or a reference to it (the Roskomnadzor portal's number). */
  content: z.string().trim().min(1, 'give the text or a reference').max(10_000, 'at most 10000 characters'),
});
export type BreachNoticeBody = z.infer<typeof BreachNoticeBody>;

export const BreachParams = z.object({ id: Id });

export const BreachNoticeView = z.object({
  id: z.string(),
  kind: BreachNoticeKind,
  sentAt: z.string(),
  recipient: z.string(),
  content: z.string(),
  recordedBy: Staff,
  createdAt: z.string(),
});
export type BreachNoticeView = z.infer<typeof BreachNoticeView>;

/**
 * One statutory deadline. `pending`: not sent, time left; `overdue`: not sent, past due; `met`:
 * sent by the deadline; `late`: sent after it. `msLeft` is negative once past due.
 */
export const BreachDeadline = z.object({
  kind: BreachNoticeKind,
  dueAt: z.string(),
  state: z.enum(['pending', 'overdue', 'met', 'late']),
  msLeft: z.number(),
  sentAt: z.string().nullable(),
});
export type BreachDeadline = z.infer<typeof BreachDeadline>;

export const BreachView = z.object({
  id: z.string(),
  number: z.number(),
  summary: z.string(),
  discoveredAt: z.string(),
  occurredAt: z.string().nullable(),
  peopleAffected: z.number().nullable(),
  dataKinds: z.array(BreachDataKind),
  measures: z.string(),
  closedAt: z.string().nullable(),
  recordedBy: Staff,
  createdAt: z.string(),
  /** When the server answered: the console counts down from here, whatever its own clock says. */
  asOf: z.string(),
  deadlines: z.array(BreachDeadline),
  notices: z.array(BreachNoticeView),
});
export type BreachView = z.infer<typeof BreachView>;

/** The deadlines of a breach discovered at `discoveredAt`, as of `now`. */
export function breachDeadlines(discoveredAt: Date, notices: { kind: BreachNoticeKind; sentAt: Date }[], now: Date): BreachDeadline[] {
  return BreachNoticeKind.options.map((kind) => {
    const due = new Date(discoveredAt.getTime() + BREACH_NOTICE_HOURS[kind] * 3_600_000);
    const first = notices.filter((n) => n.kind === kind).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())[0];
    const msLeft = due.getTime() - now.getTime();
    const state = first ? (first.sentAt <= due ? 'met' : 'late') : msLeft < 0 ? 'overdue' : 'pending';
    return { kind, dueAt: due.toISOString(), state, msLeft, sentAt: first?.sentAt.toISOString() ?? null };
  });
}
