import { z } from 'zod';
import { Channel } from './contacts.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** A period of centre days (both ends included) and optional filters. */
const ReportFilters = z.object({
  from: Day,
  to: Day,
  lineId: z.uuid('lineId must be a UUID').optional(),
  channel: Channel.optional(),
  areaId: z.uuid('areaId must be a UUID').optional(),
  categoryId: z.uuid('categoryId must be a UUID').optional(),
  risk: z.enum(['R0', 'R1', 'R2', 'R3', 'R4']).optional(),
  operatorId: z.uuid('operatorId must be a UUID').optional(),
});
const periodChecks = <T extends z.ZodType<{ from: string; to: string }>>(schema: T) =>
  schema
    .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, { message: 'a period is at most 400 days', path: ['to'] });
export const ReportQuery = periodChecks(ReportFilters);
export type ReportQuery = z.infer<typeof ReportFilters>;

/** One row of a breakdown: a stable key, labels in both languages, a count. */
export const ReportRow = z.object({ key: z.string(), labelRu: z.string(), labelEn: z.string(), count: z.number().int() });
export type ReportRow = z.infer<typeof ReportRow>;

const Share = z.number().nullable();
const Seconds = z.number().nullable();

export const ContactsReport = z.object({
  total: z.number().int(),
  byChannel: z.array(ReportRow),
  byCategory: z.array(ReportRow),
  byRisk: z.array(ReportRow),
  byOutcome: z.array(ReportRow),
  byDistrict: z.array(ReportRow),
  /** 24 counts, by the hour of the centre's day. */
  byHour: z.array(z.number().int()),
  /** 7 counts, Monday first. */
  byWeekday: z.array(z.number().int()),
  repeat: z.object({ withNumber: z.number().int(), repeat: z.number().int(), share: Share }),
  followUps: z.object({ due: z.number().int(), onTime: z.number().int(), late: z.number().int(), notDone: z.number().int(), shareOnTime: Share }),
});
export type ContactsReport = z.infer<typeof ContactsReport>;

export const CallsReport = z.object({
  offered: z.number().int(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  abandonedShort: z.number().int(),
  serviceLevel: Share,
  serviceLevelSeconds: z.number(),
  averageWaitSeconds: Seconds,
  waitP50Seconds: Seconds,
  waitP90Seconds: Seconds,
  waitP95Seconds: Seconds,
  byDay: z.array(z.object({ day: z.string(), offered: z.number().int(), answered: z.number().int(), abandoned: z.number().int() })),
});
export type CallsReport = z.infer<typeof CallsReport>;

export const DispatchGroup = z.object({
  kind: z.string(),
  district: z.string(),
  count: z.number().int(),
  delivered: z.number().int(),
  shareDelivered: Share,
  acceptMedianSeconds: Seconds,
  acceptP90Seconds: Seconds,
  deliverMedianSeconds: Seconds,
  deliverP90Seconds: Seconds,
});
export const DispatchesReport = z.object({
  total: z.number().int(),
  delivered: z.number().int(),
  shareDelivered: Share,
  groups: z.array(DispatchGroup),
  failureReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
export type DispatchesReport = z.infer<typeof DispatchesReport>;

export const CasesReport = z.object({
  openAtEnd: z.number().int(),
  openFamilies: z.number().int(),
  childrenInOpen: z.number().int(),
  openedInPeriod: z.number().int(),
  closedInPeriod: z.number().int(),
  closedByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  shareImproved: Share,
});
export type CasesReport = z.infer<typeof CasesReport>;

/** Sections whose source tables do not exist yet are null (and listed in `missing`). */
export const Report = z.object({
  query: z.record(z.string(), z.string()),
  timezone: z.string(),
  generatedAt: z.iso.datetime(),
  contacts: ContactsReport.nullable(),
  calls: CallsReport.nullable(),
  dispatches: DispatchesReport.nullable(),
  cases: CasesReport.nullable(),
  missing: z.array(z.string()),
});
export type Report = z.infer<typeof Report>;

export const REPORT_TABLES = [
  'contacts-channel',
  'contacts-category',
  'contacts-risk',
  'contacts-outcome',
  'contacts-district',
  'contacts-hour',
  'contacts-weekday',
  'calls',
  'calls-by-day',
  'dispatches',
  'dispatch-failures',
  'cases',
  'cases-closed',
] as const;
export const ReportTable = z.enum(REPORT_TABLES);
export type ReportTable = z.infer<typeof ReportTable>;
export const ReportCsvParams = z.object({ table: ReportTable });
export const ReportCsvQuery = periodChecks(ReportFilters.extend({ lang: z.enum(['ru', 'en']).default('ru') }));
