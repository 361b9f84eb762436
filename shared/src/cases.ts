// Cases: API bodies, views and socket events. The cycle and its table live in cases-flow.ts.
import { z } from 'zod';
import type { Ack } from './errors.js';
import { CaseRiskLevel, CaseStage, CloseReason, DeadlineKind, PlanPart } from './cases-flow.js';
import { ConsentMethod } from './privacy.js';

export * from './cases-flow.js';

const IsoDate = z.iso.date('must be a date (YYYY-MM-DD)');
const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);
// At least five digits: punctuation alone normalised to an empty number, sealed as a value no
// one could open again (the case then failed to render).
const Phone = z.string().regex(/^(?=(?:\D*\d){5})\+?[\d\s()\-.]{5,25}$/, 'must be a phone number');

export const CaseMemberInput = z
  .object({
    name: text(200, 'name'),
    relation: text(60, 'relation'),
    isChild: z.boolean().default(false),
    age: z.number().int().min(0).max(120).nullable().optional(),
  })
  .refine((m) => !m.isChild || (m.age !== null && m.age !== undefined && m.age < 18), {
    message: 'a child needs an age under 18',
    path: ['age'],
  });
export type CaseMemberInput = z.infer<typeof CaseMemberInput>;

export const CaseSubjectInput = z.object({
  kind: z.enum(['person', 'family']),
  /** The person's name, or how the family is known ("Ivanov family"). */
  name: text(200, 'name'),
  phone: Phone.nullable().optional(),
  address: z.string().trim().max(400).nullable().optional(),
  district: z.string().trim().max(120).nullable().optional(),
  members: z.array(CaseMemberInput).max(30).default([]),
});
export type CaseSubjectInput = z.infer<typeof CaseSubjectInput>;

/** Moving identified data into a case needs the person's consent, recorded (as for contacts). */
export const CaseConsent = z.object({
  given: z.literal(true, 'consent must be recorded before a case is opened'),
  /** How it was given; spoken (on a call or a visit) unless said. */
  method: ConsentMethod.optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const CreateCaseBody = z
  .object({
    /** Escalation from one or more contacts… */
    contactIds: z.array(z.uuid('contactIds must hold contact ids')).max(20).default([]),
    /** …or a signal from another organisation (school, hospital, police, guardianship). */
    signal: z
      .object({ from: text(200, 'signal.from'), summary: text(4000, 'signal.summary'), receivedAt: z.iso.datetime({ offset: true }).optional() })
      .optional(),
    subject: CaseSubjectInput,
    consent: CaseConsent,
    /** Date of the application for social services, when there is one: starts the statutory clocks. */
    applicationDate: IsoDate.nullable().optional(),
    curatorId: z.uuid().nullable().optional(),
  })
  .refine((b) => b.contactIds.length > 0 || b.signal, { message: 'a case starts from contacts or from a signal', path: ['contactIds'] });
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const CaseIdParams = z.object({ id: z.uuid('id must be a UUID') });
export const CaseItemParams = z.object({ id: z.uuid('id must be a UUID'), itemId: z.uuid('itemId must be a UUID') });

export const TransitionBody = z.object({
  to: CaseStage,
  checkResult: z.object({ confirmed: z.boolean(), summary: text(4000, 'checkResult.summary') }).optional(),
  assessment: z
    .object({
      level: CaseRiskLevel,
      safetyFactors: z.array(text(300, 'safety factor')).max(30),
      riskFactors: z.array(text(300, 'risk factor')).max(30),
      note: z.string().trim().max(4000).nullable().optional(),
    })
    .optional(),
  close: z.object({ reason: CloseReason, text: z.string().trim().max(1000).nullable().optional() }).optional(),
  reopenReason: z.string().trim().min(1).max(1000).optional(),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const AssignCuratorBody = z.object({ curatorId: z.uuid('curatorId must be a UUID') });
export const LinkContactBody = z.object({ contactId: z.uuid('contactId must be a UUID') });
export const ApplicationBody = z.object({ applicationDate: IsoDate });
export const DeadlineMetBody = z.object({ metOn: IsoDate });

export const GoalBody = z.object({ part: PlanPart, text: text(1000, 'text') });
export const TaskBody = z.object({
  goalId: z.uuid('goalId must be a UUID'),
  text: text(1000, 'text'),
  ownerId: z.uuid().nullable().optional(),
  ownerName: z.string().trim().max(200).nullable().optional(),
  dueDate: IsoDate.nullable().optional(),
});
export const UpdateTaskBody = z
  .object({
    done: z.boolean().optional(),
    text: text(1000, 'text').optional(),
    dueDate: IsoDate.nullable().optional(),
    ownerId: z.uuid().nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export const CaseNoteBody = z.object({ kind: z.enum(['monitoring', 'note']).default('note'), text: text(8000, 'text') });

export const CaseListQuery = z.object({
  stage: CaseStage.optional(),
  curatorId: z.uuid().optional(),
  risk: CaseRiskLevel.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CuratorRef = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

export const DeadlineView = z.object({
  id: z.uuid(),
  kind: DeadlineKind,
  startDate: z.string(),
  workingDays: z.number().int(),
  dueDate: z.string(),
  metOn: z.string().nullable(),
  /** Working days from today to the due date (negative: overdue by that many). */
  workingDaysLeft: z.number().int(),
  status: z.enum(['pending', 'due_soon', 'overdue', 'met', 'missed']),
});
export type DeadlineView = z.infer<typeof DeadlineView>;

export const CaseListItem = z.object({
  id: z.uuid(),
  number: z.number().int(),
  stage: CaseStage,
  subjectKind: z.enum(['person', 'family']),
  subjectName: z.string(),
  district: z.string().nullable(),
  children: z.number().int(),
  riskLevel: CaseRiskLevel.nullable(),
  curator: CuratorRef,
  stageChangedAt: z.string(),
  /** The nearest open deadline or plan task due date. */
  nextDue: z.string().nullable(),
  overdue: z.number().int(),
});
export type CaseListItem = z.infer<typeof CaseListItem>;

export const CaseTaskView = z.object({
  id: z.uuid(),
  goalId: z.uuid(),
  text: z.string(),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  dueDate: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export const CaseGoalView = z.object({ id: z.uuid(), part: PlanPart, text: z.string(), tasks: z.array(CaseTaskView) });

export const CaseView = z.object({
  id: z.uuid(),
  number: z.number().int(),
  stage: CaseStage,
  origin: z.enum(['contact', 'signal']),
  signal: z.object({ from: z.string().nullable(), summary: z.string().nullable(), receivedAt: z.string().nullable() }),
  subject: z.object({
    kind: z.enum(['person', 'family']),
    name: z.string(),
    /** The number's label (`K-ABCDE`) from its keyed hash; no digit of it. */
    phoneLabel: z.string().nullable(),
    address: z.string().nullable(),
    district: z.string().nullable(),
    members: z.array(z.object({ id: z.uuid(), name: z.string(), relation: z.string(), isChild: z.boolean(), age: z.number().int().nullable() })),
  }),
  consentAt: z.string(),
  curator: CuratorRef,
  check: z.object({ confirmed: z.boolean().nullable(), summary: z.string().nullable() }),
  assessment: z.object({ level: CaseRiskLevel.nullable(), safetyFactors: z.array(z.string()), riskFactors: z.array(z.string()), note: z.string().nullable() }),
  plan: z.array(CaseGoalView),
  applicationDate: z.string().nullable(),
  deadlines: z.array(DeadlineView),
  close: z.object({ reason: CloseReason.nullable(), text: z.string().nullable(), at: z.string().nullable() }),
  contactIds: z.array(z.uuid()),
  openedAt: z.string().nullable(),
  createdAt: z.string(),
  stageChangedAt: z.string(),
});
export type CaseView = z.infer<typeof CaseView>;

/** What an operator may know about a caller's case: that it exists, its number and curator. */
export const CaseGlimpse = z.object({ id: z.uuid(), number: z.number().int(), open: z.boolean(), curator: CuratorRef });
export type CaseGlimpse = z.infer<typeof CaseGlimpse>;
export const CaseLookupQuery = z.object({ contactId: z.uuid('contactId must be a UUID') });

export const TimelineEntry = z.object({
  at: z.string(),
  kind: z.enum(['contact', 'dispatch', 'dispatch_step', 'stage', 'task', 'task_done', 'note', 'deadline']),
  /** A short, already-safe label key and its parameters; the console renders it. */
  title: z.string(),
  detail: z.record(z.string(), z.unknown()).default({}),
  refId: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const ResultsQuery = z.object({ from: IsoDate, to: IsoDate });
export type ResultsQuery = z.infer<typeof ResultsQuery>;
export const CaseResults = z.object({
  from: z.string(),
  to: z.string(),
  opened: z.number().int(),
  children: z.number().int(),
  closed: z.number().int(),
  closedByReason: z.record(CloseReason, z.number().int()),
  /** Share (0..1) of the cases closed in the period that closed because the situation improved. */
  improvedShare: z.number().nullable(),
  /** Median days spent in each stage, over stage exits in the period. */
  medianDaysInStage: z.record(CaseStage, z.number().nullable()),
  deadlines: z.object({ met: z.number().int(), missed: z.number().int(), pending: z.number().int() }),
});
export type CaseResults = z.infer<typeof CaseResults>;

export const CalendarDayView = z.object({
  date: z.string(),
  working: z.boolean(),
  kind: z.enum(['holiday', 'day_off', 'working_day']),
  name: z.string(),
  confirmed: z.boolean(),
  source: z.string(),
});
export type CalendarDayView = z.infer<typeof CalendarDayView>;
export const CalendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const CalendarDayBody = z.object({
  date: IsoDate,
  kind: z.enum(['holiday', 'day_off', 'working_day']),
  name: text(200, 'name'),
  confirmed: z.boolean().default(true),
  source: text(400, 'source'),
});
export const CalendarDateParams = z.object({ date: IsoDate });

export const CaseDeadlineAlert = z.object({
  caseId: z.uuid(),
  caseNumber: z.number().int(),
  deadlineId: z.uuid(),
  kind: DeadlineKind,
  dueDate: z.string(),
  curatorId: z.uuid().nullable(),
});
export type CaseDeadlineAlert = z.infer<typeof CaseDeadlineAlert>;

export const CaseTaskAlert = z.object({
  caseId: z.uuid(),
  caseNumber: z.number().int(),
  taskId: z.uuid(),
  dueDate: z.string(),
  ownerId: z.uuid().nullable(),
  curatorId: z.uuid().nullable(),
});
export type CaseTaskAlert = z.infer<typeof CaseTaskAlert>;

export interface CasesServerEvents {
  /** A case was created or escalated (supervisors: it may need a curator). */
  'case:created': (c: { caseId: string; number: number; stage: CaseStage; curatorId: string | null }) => void;
  'case:updated': (c: { caseId: string; stage: CaseStage; curatorId: string | null }) => void;
  /** A statutory deadline is near (the curator). */
  'case:deadline-due': (a: CaseDeadlineAlert) => void;
  /** A statutory deadline passed unmet (the curator and supervisors). */
  'case:deadline-overdue': (a: CaseDeadlineAlert) => void;
  /** A plan task is due tomorrow / has passed its due date undone (its owner and the curator). */
  'case:task-due': (a: CaseTaskAlert) => void;
  'case:task-overdue': (a: CaseTaskAlert) => void;
}

export interface CasesClientCommands {
  /** Operators: does this contact's caller have a case, and who is the curator. */
  'cases:glimpse': (payload: { contactId: string }, ack: (res: Ack<CaseGlimpse[]>) => void) => void;
}
