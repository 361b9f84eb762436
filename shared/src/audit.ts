import { z } from 'zod';
import { AUDIT_ACTION_GROUPS } from './audit-actions.js';

export * from './audit-actions.js';

const AuditFilterFields = z.object({
  /** `from` inclusive, `to` exclusive; the console sends local midnights as ISO instants. */
  from: z.iso.datetime({ offset: true, error: 'from must be a date and time with an offset' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'to must be a date and time with an offset' }).optional(),
  actorId: z.uuid('actorId must be a staff member id').optional(),
  /** One action code exactly (`auth.login` does not find `auth.login.failed`). Codes older
   * releases wrote are allowed, so the shape is checked, not the list. */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'action must be an action code such as auth.login')
    .optional(),
  /** Every action of one group: the first part of the code (`case` finds `case.read`, `case.plan.task-add`). */
  group: z.enum(Object.keys(AUDIT_ACTION_GROUPS) as [keyof typeof AUDIT_ACTION_GROUPS], 'group must be one of the action groups').optional(),
  entity: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  /** Free text on the readable reference: a case or dispatch number, a username, a line's name,
   * a category or area code, a provider's name, or the start of a record id. */
  q: z.string().trim().min(1, 'q must not be blank').max(100).optional(),
});
const fromBeforeTo = (v: { from?: string; to?: string }) => !v.from || !v.to || new Date(v.from) < new Date(v.to);
const rangeError = { message: 'to must be later than from', path: ['to'] };

export const AuditQuery = AuditFilterFields.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Cursor: the id of the last entry of the previous page (a PostgreSQL bigint: a larger number
   * would reach the database and be refused there, reported against no field). */
  before: z
    .string()
    .regex(/^\d+$/, 'before must be an entry id')
    .refine((v) => !/^\d+$/.test(v) || BigInt(v) <= 9_223_372_036_854_775_807n, 'before is larger than any entry id')
    .optional(),
}).refine(fromBeforeTo, rangeError);
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The filtered view as CSV; `lang` picks the column names, labels and separator (as reports). */
export const AuditCsvQuery = AuditFilterFields.extend({ lang: z.enum(['ru', 'en']).default('ru') }).refine(fromBeforeTo, rangeError);
export type AuditCsvQuery = z.infer<typeof AuditCsvQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  /** The acting staff member as they are named now; null for the system and for sign-ins that
   * named no account. */
  actor: z.object({ displayName: z.string(), username: z.string() }).nullable(),
  /** A readable name for the record: a case or dispatch number, a username, a line's name, a
   * short id. Never a caller's name or number. `referenceAt` is when that record began. */
  reference: z.string().nullable(),
  referenceAt: z.string().nullable(),
  /** The reason given, when the action asked for one (break-glass, closing). */
  reason: z.string().nullable(),
  /** Readable references for the ids inside `detail` (operator, contact, case...), by id. */
  refs: z.record(z.string(), z.object({ entity: z.string(), text: z.string() })),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
