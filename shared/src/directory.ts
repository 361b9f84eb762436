import { z } from 'zod';

/** The six urgent social services of 442-FZ art. 21. */
export const URGENT_KINDS = ['food', 'clothing', 'accommodation', 'legal', 'psychological', 'other'] as const;
export const UrgentKind = z.enum(URGENT_KINDS);
export type UrgentKind = z.infer<typeof UrgentKind>;

export const ServiceStatus = z.enum(['active', 'inactive', 'defunct', 'temporarily closed']);

export const ImportProblem = z.object({
  severity: z.enum(['error', 'warning']),
  table: z.string(),
  file: z.string().nullable(),
  /** Spreadsheet row number: the header is row 1. */
  row: z.number().int().nullable(),
  field: z.string().nullable(),
  problem: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportReport = z.object({
  imported: z.boolean(),
  dryRun: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  errors: z.array(ImportProblem),
  warnings: z.array(ImportProblem),
  ignored: z.array(z.object({ file: z.string(), rows: z.number().int() })),
});
export type ImportReport = z.infer<typeof ImportReport>;
/** A refused import (422): the report plus an ApiError code and a summary message. */
export const RefusedImport = ImportReport.extend({ code: z.literal('HSDS_INVALID'), message: z.string() });

export const ImportQuery = z.object({ dryRun: z.stringbool().optional() });
export const ExportQuery = z.object({ format: z.enum(['zip', 'json']).default('zip') });

const Time = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d(:[0-5]\d)?$/, 'HH:MM');
const DayCode = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

export const ScheduleInput = z.object({
  /** Weekly hours on these days; empty with `date` set means a holiday (closed unless hours are given). */
  days: z.array(DayCode).default([]),
  opensAt: Time.nullable().default(null),
  closesAt: Time.nullable().default(null),
  /** A single date (holiday or special hours). */
  date: z.iso.date().nullable().default(null),
  description: z.string().trim().max(500).nullable().default(null),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const UpsertOrganizationBody = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'name is required').max(300),
  description: z.string().trim().max(4000).nullable().optional(),
  email: z.email().nullable().optional(),
  website: z.url().nullable().optional(),
});
export type UpsertOrganizationBody = z.infer<typeof UpsertOrganizationBody>;

export const UpsertServiceBody = z.object({
  id: z.uuid().optional(),
  organizationId: z.uuid(),
  name: z.string().trim().min(1, 'name is required').max(300),
  description: z.string().trim().max(4000).nullable().optional(),
  status: ServiceStatus.default('active'),
  urgentKinds: z.array(UrgentKind).min(1, 'at least one urgent kind'),
  eligibilityDescription: z.string().trim().max(2000).nullable().optional(),
  minimumAge: z.number().int().min(0).max(150).nullable().optional(),
  maximumAge: z.number().int().min(0).max(150).nullable().optional(),
  alert: z.string().trim().max(1000).nullable().optional(),
  /** District or settlement names served; "*" for everywhere. */
  areas: z.array(z.string().trim().min(1).max(200)).optional(),
  schedules: z.array(ScheduleInput).optional(),
  /** SMS numbers for offers (stored encrypted, shown masked). */
  smsPhones: z
    .array(
      z
        .string()
        .trim()
        .regex(/^(?=(?:\D*\d){5})\+?[\d\s()\-.]{5,20}$/, 'not a phone number'),
    )
    .optional(),
});
export type UpsertServiceBody = z.infer<typeof UpsertServiceBody>;

export const UpdateCapacityBody = z.object({
  id: z.uuid().optional(),
  unitId: z.uuid(),
  available: z.number().int().min(0),
  maximum: z.number().int().min(0).nullable(),
  description: z.string().trim().max(500).nullable().optional(),
});
export type UpdateCapacityBody = z.infer<typeof UpdateCapacityBody>;

export const DirectoryIdParams = z.object({ id: z.uuid() });

export const CapacityView = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unit: z.string(),
  available: z.number().int(),
  maximum: z.number().int().nullable(),
  updated: z.iso.datetime(),
});
export const ServiceView = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  urgentKinds: z.array(UrgentKind),
  eligibilityDescription: z.string().nullable(),
  minimumAge: z.number().int().nullable(),
  maximumAge: z.number().int().nullable(),
  areas: z.array(z.string()),
  schedules: z.array(
    z.object({
      byday: z.string().nullable(),
      opensAt: z.string().nullable(),
      closesAt: z.string().nullable(),
      validFrom: z.string().nullable(),
      validTo: z.string().nullable(),
      description: z.string().nullable(),
    }),
  ),
  phones: z.array(z.object({ id: z.uuid(), masked: z.string(), type: z.string().nullable() })),
  languages: z.array(z.string()),
  capacities: z.array(CapacityView),
  isExample: z.boolean(),
});
export type ServiceView = z.infer<typeof ServiceView>;
export const OrganizationView = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  isExample: z.boolean(),
  districts: z.array(z.string()),
  services: z.array(ServiceView),
});
export type OrganizationView = z.infer<typeof OrganizationView>;
export const UnitView = z.object({ id: z.uuid(), name: z.string() });
