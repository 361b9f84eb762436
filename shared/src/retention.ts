// Retention and destruction records (152-FZ art. 21; Roskomnadzor order No. 179 of 28.10.2022,
// in force since 1 March 2023): the kinds of policy, the categories of data and of persons an act
// names, and the API shapes. See docs/privacy.md "Retention and destruction records".
import { z } from 'zod';

/** One retention policy per kind of record, in the order a run applies them. */
export const RETENTION_KINDS = ['contacts', 'drafts', 'calls', 'messages', 'callbacks', 'dispatches', 'cases'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** What a destruction record is about: a retention policy, or a person's request (art. 21). */
export const DESTRUCTION_KINDS = [...RETENTION_KINDS, 'request'] as const;
export type DestructionKind = (typeof DESTRUCTION_KINDS)[number];

export const DESTRUCTION_METHODS = ['anonymised', 'deleted'] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];

export const DESTRUCTION_BASES = ['retention', 'request'] as const;
export type DestructionBasis = (typeof DESTRUCTION_BASES)[number];

/** Categories of personal data an act lists (order No. 179: "перечень категорий"). */
export const DATA_CATEGORIES = ['name', 'age', 'address', 'phone', 'family', 'notes', 'message_text', 'message_media', 'voicemail', 'case_plan'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Categories of persons whose data each kind holds (the act names a category, never a person). */
export const DATA_SUBJECTS = ['callers', 'family_members', 'service_recipients', 'case_subjects'] as const;
export type DataSubject = (typeof DATA_SUBJECTS)[number];
export const SUBJECTS_BY_KIND: Record<DestructionKind, readonly DataSubject[]> = {
  contacts: ['callers', 'family_members'],
  drafts: ['callers', 'family_members'],
  calls: ['callers'],
  messages: ['callers'],
  callbacks: ['callers'],
  dispatches: ['service_recipients'],
  cases: ['case_subjects', 'family_members'],
  request: ['callers', 'family_members', 'service_recipients', 'case_subjects'],
};

const day = z.iso.date('must be a date (YYYY-MM-DD)');
const instant = z.iso.datetime({ offset: true, error: 'must be a date and time with an offset' });

export const DestructionRecordQuery = z
  .object({
    /** `from` inclusive, `to` exclusive; a date (YYYY-MM-DD) or an instant with an offset. The
     * console sends local midnights as instants. */
    from: z.union([instant, day], 'from must be a date (YYYY-MM-DD) or a date and time with an offset').optional(),
    to: z.union([instant, day], 'to must be a date (YYYY-MM-DD) or a date and time with an offset').optional(),
    kind: z.enum(DESTRUCTION_KINDS, `kind must be one of ${DESTRUCTION_KINDS.join(', ')}`).optional(),
    limit: z.coerce
      .number('limit must be a number')
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(200, 'limit must be at most 200')
      .default(50),
    /** Cursor: the number of the last record of the previous page. */
    before: z.coerce
      .number('before must be a record number')
      .int('before must be a record number')
      .min(1, 'before must be a record number')
      .max(2_147_483_647, 'before is larger than any record number')
      .optional(),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), { message: 'to must be later than from', path: ['to'] });
export type DestructionRecordQuery = z.infer<typeof DestructionRecordQuery>;

export const DestructionRecordParams = z.object({ id: z.uuid('id must be a destruction record id') });

export const DestructionRecordView = z.object({
  id: z.string(),
  number: z.number(),
  at: z.string(),
  runId: z.string(),
  kind: z.string(),
  method: z.string(),
  rows: z.number(),
  /** Rows per table: { "ContactIdentity": 3, ... }. */
  tables: z.record(z.string(), z.number()),
  categories: z.array(z.string()),
  subjects: z.array(z.string()),
  basis: z.string(),
  periodDays: z.number().nullable(),
  reference: z.string().nullable(),
  /** Who: a staff member's name, or null with actorLabel 'system:retention'. */
  actor: z.object({ id: z.string().nullable(), label: z.string(), displayName: z.string().nullable() }),
});
export type DestructionRecordView = z.infer<typeof DestructionRecordView>;

export const DestructionRecordPage = z.object({
  items: z.array(DestructionRecordView),
  /** Pass as `before` for the next page; null on the last page. */
  next: z.number().nullable(),
});
export type DestructionRecordPage = z.infer<typeof DestructionRecordPage>;

export const RetentionRunBody = z.object({
  /** Only these policies (all when left out). */
  kinds: z
    .array(z.enum(RETENTION_KINDS, `kinds must be among ${RETENTION_KINDS.join(', ')}`))
    .min(1, 'give at least one kind, or leave kinds out')
    .max(RETENTION_KINDS.length)
    .optional(),
});
export type RetentionRunBody = z.infer<typeof RetentionRunBody>;

export const RetentionRunResult = z.object({
  runId: z.string(),
  records: z.array(DestructionRecordView),
  /** Expired rows left alone because an open case, a pending follow-up or an active dispatch holds them. */
  kept: z.record(z.string(), z.number()),
});
export type RetentionRunResult = z.infer<typeof RetentionRunResult>;
