// A person's requests about their personal data (152-FZ art. 14 access, art. 21 erasure): the
// search that finds what is held, the export, and the erasure. Admin only; see docs/privacy.md.
import { z } from 'zod';

const Id = z.uuid('must be a UUID');
/** The centre's registration number of the request ("№ 12/2026"): never a name, so short. */
export const DataRequestReference = z
  .string()
  .trim()
  .min(1, 'give the registration number of the request')
  .max(60, 'at most 60 characters')
  .regex(/^[\p{L}\p{N}\s№#/\-.()_:]+$/u, 'letters, digits, spaces and № / - . ( ) only');

export const DataRequestSearchBody = z
  .object({
    /** Typed by the admin as the person gave it; normalised and hashed, never stored. */
    phone: z
      .string()
      .regex(/^(?=(?:\D*\d){5})\+?[\d\s()\-.]{5,25}$/, 'must be a phone number')
      .optional(),
    contactId: Id.optional(),
    caseId: Id.optional(),
    caseNumber: z.number().int('must be a whole number').positive('must be positive').max(2_147_483_647, 'too large').optional(),
    reference: DataRequestReference,
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500, 'at most 500 characters'),
  })
  .refine((b) => [b.phone, b.contactId, b.caseId, b.caseNumber].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of phone, contactId, caseId or caseNumber',
    path: ['phone'],
  });
export type DataRequestSearchBody = z.infer<typeof DataRequestSearchBody>;

/** The kinds of record a person's data is held in, in the order the summary lists them. */
export const DATA_REQUEST_KINDS = ['contacts', 'calls', 'conversations', 'messages', 'callbacks', 'dispatches', 'cases', 'consents', 'flags'] as const;
export type DataRequestKind = (typeof DATA_REQUEST_KINDS)[number];

export const DataRequestItem = z.object({
  id: z.string(),
  /** When the record began (received, opened, created). */
  at: z.string().nullable(),
  /** Case or dispatch number, when the record has one. */
  number: z.number().nullable(),
  /** How it was linked to the person: the number's hash, the contact or the case named. */
  via: z.enum(['phone', 'contact', 'case']),
});
export type DataRequestItem = z.infer<typeof DataRequestItem>;

export const DataRequestSummary = z.object({
  /** Opaque and short-lived (sealed on the server): names the search for the export and the
   * erasure without carrying the number. */
  handle: z.string(),
  expiresAt: z.string(),
  reference: z.string(),
  /** The caller's label (K-XXXXX) when searched by a number; never the number. */
  callerLabel: z.string().nullable(),
  total: z.number(),
  kinds: z.record(z.enum(DATA_REQUEST_KINDS), z.array(DataRequestItem)),
  /** Cases still open among those found: erasure waits until they are closed. */
  openCases: z.array(z.object({ id: z.string(), number: z.number() })),
  /** Urgent-help requests still under way: erasure waits for them too. */
  activeDispatches: z.array(z.object({ id: z.string(), number: z.number() })),
  /** Contacts linked to a found case but from another number: another person's, left out. */
  leftOut: z.number(),
});
export type DataRequestSummary = z.infer<typeof DataRequestSummary>;

const Handle = z.string().min(20, 'not a search handle').max(4000, 'not a search handle');

export const DataRequestExportQuery = z.object({
  handle: Handle,
  format: z.enum(['json', 'html']).default('json'),
  lang: z.enum(['ru', 'en']).default('ru'),
});
export type DataRequestExportQuery = z.infer<typeof DataRequestExportQuery>;

export const DataRequestEraseBody = z.object({
  handle: Handle,
  /** Typed again: must be the search's reference. */
  reference: DataRequestReference,
  /** The admin confirmed, having read the counts. */
  confirm: z.literal(true, 'confirm the erasure (true)'),
  /** The number of records the admin was shown; erasure stops if more or fewer are found now. */
  expectedTotal: z.number().int('must be a whole number').min(0, 'cannot be negative'),
});
export type DataRequestEraseBody = z.infer<typeof DataRequestEraseBody>;

export const DataRequestEraseResult = z.object({
  destructionRecordId: z.string(),
  destructionNumber: z.number(),
  rows: z.number(),
  tables: z.record(z.string(), z.number()),
});
export type DataRequestEraseResult = z.infer<typeof DataRequestEraseResult>;
