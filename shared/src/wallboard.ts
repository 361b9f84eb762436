import { z } from 'zod';
import type { Ack } from './errors.js';

/** Operator states as telephony keeps them (shared/src/telephony.ts OPERATOR_STATES). */
export const WallboardOperatorState = z.enum(['available', 'on_call', 'wrap_up', 'away', 'offline']);
export type WallboardOperatorState = z.infer<typeof WallboardOperatorState>;

const Iso = z.iso.datetime();
const Share = z.number().min(0).max(1).nullable();

export const WallboardCalls = z.object({
  waiting: z.number().int(),
  /** When the call that has waited longest joined the queue; the console ticks from it. */
  longestWaitSince: Iso.nullable(),
  waitingCalls: z.array(z.object({ callId: z.string(), since: Iso })),
  offered: z.number().int(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  abandonRate: Share,
  serviceLevelToday: Share,
  serviceLevelLastHour: Share,
  averageAnswerSeconds: z.number().nullable(),
  averageHandleSeconds: z.number().nullable(),
});
export type WallboardCalls = z.infer<typeof WallboardCalls>;

export const WallboardSms = z.object({
  waiting: z.number().int(),
  oldestSince: Iso.nullable(),
  waitingConversations: z.array(z.object({ conversationId: z.string(), since: Iso })),
});
export type WallboardSms = z.infer<typeof WallboardSms>;

export const WallboardOperator = z.object({
  userId: z.string(),
  name: z.string(),
  state: WallboardOperatorState,
  since: Iso,
  reason: z.string().nullable(),
  callId: z.string().nullable(),
  conversationId: z.string().nullable(),
  contactsToday: z.number().int(),
});
export type WallboardOperator = z.infer<typeof WallboardOperator>;

export const WallboardAlerts = z.object({
  contacts: z.array(z.object({ contactId: z.string(), risk: z.enum(['R3', 'R4']), raisedAt: Iso, ackedAt: Iso.nullable() })),
  dispatches: z.object({
    waiting: z.number().int(),
    offered: z.number().int(),
    overdue: z.number().int(),
    items: z.array(z.object({ dispatchId: z.string(), status: z.enum(['waiting', 'offered']), dueAt: Iso.nullable() })),
  }),
  /** Statutory deadlines whose due day has passed unmet, as of now. */
  caseDeadlines: z.object({
    overdueToday: z.number().int(),
    items: z.array(z.object({ deadlineId: z.string(), caseId: z.string().nullable(), dueAt: Iso })),
  }),
});
export type WallboardAlerts = z.infer<typeof WallboardAlerts>;

export const WallboardCharts = z.object({
  /** Calls offered per hour of the centre's day (24 entries). */
  callsPerHour: z.array(z.number().int()),
  /** The same weekday last week, when known. */
  callsPerHourLastWeek: z.array(z.number().int()).nullable(),
  /** Service level per hour of today (null where no call finished waiting). */
  serviceLevelByHour: z.array(Share),
});
export type WallboardCharts = z.infer<typeof WallboardCharts>;

export const WallboardSettings = z.object({
  timezone: z.string(),
  serviceLevelSeconds: z.number(),
  wrapUpAlertSeconds: z.number(),
  awayAlertSeconds: z.number(),
});

export const WallboardSnapshot = z.object({
  at: Iso,
  day: z.string(),
  settings: WallboardSettings,
  calls: WallboardCalls,
  sms: WallboardSms,
  operators: z.array(WallboardOperator),
  alerts: WallboardAlerts,
  charts: WallboardCharts,
});
export type WallboardSnapshot = z.infer<typeof WallboardSnapshot>;

/** What changed: only the sections that differ; `operators` lists changed operators only,
 * `operatorsRemoved` the ids that left the board. A new `day` means: refetch the snapshot. */
export interface WallboardDelta {
  at: string;
  day: string;
  calls?: WallboardCalls;
  sms?: WallboardSms;
  operators?: WallboardOperator[];
  operatorsRemoved?: string[];
  alerts?: WallboardAlerts;
  charts?: WallboardCharts;
}

// ─── Supervisor actions ────────────────────────────────────────────────────────────────────
export const AssignWaitingBody = z
  .object({
    callId: z.uuid('callId must be a UUID').optional(),
    conversationId: z.uuid('conversationId must be a UUID').optional(),
    operatorId: z.uuid('operatorId must be a UUID'),
  })
  .refine((b) => Boolean(b.callId) !== Boolean(b.conversationId), { message: 'give exactly one of callId and conversationId', path: ['callId'] });
export type AssignWaitingBody = z.infer<typeof AssignWaitingBody>;

export const SetOperatorStateBody = z.object({
  operatorId: z.uuid('operatorId must be a UUID'),
  state: z.enum(['available', 'away', 'offline']),
  reason: z.string().trim().min(1, 'a reason is required').max(200),
});
export type SetOperatorStateBody = z.infer<typeof SetOperatorStateBody>;

export const AckAlertBody = z.object({ contactId: z.uuid('contactId must be a UUID') });
export type AckAlertBody = z.infer<typeof AckAlertBody>;

export const BroadcastBody = z.object({ text: z.string().trim().min(1, 'the message is empty').max(280, 'at most 280 characters') });
export type BroadcastBody = z.infer<typeof BroadcastBody>;

export const SupervisorMessage = z.object({ id: z.string(), from: z.string(), text: z.string(), at: Iso });
export type SupervisorMessage = z.infer<typeof SupervisorMessage>;

// ─── Kiosk tokens ──────────────────────────────────────────────────────────────────────────
export const KioskToken = z.object({ id: z.string(), label: z.string(), createdAt: Iso, createdBy: z.string().nullable() });
export type KioskToken = z.infer<typeof KioskToken>;
export const CreateKioskTokenBody = z.object({ label: z.string().trim().min(1, 'a label is required').max(80) });

export interface WallboardServerEvents {
  /** Live figures changed (to the `wallboard` room). */
  'wallboard:changed': (delta: WallboardDelta) => void;
  /** A supervisor's short message to every operator on shift. */
  'wallboard:message': (message: SupervisorMessage) => void;
}

export interface WallboardClientCommands {
  /** Joins the `wallboard` room and answers with a fresh snapshot (call it on every connect). */
  'wallboard:subscribe': (payload: Record<string, never>, ack: (res: Ack<WallboardSnapshot>) => void) => void;
  'wallboard:unsubscribe': (payload: Record<string, never>, ack: (res: Ack<null>) => void) => void;
  'wallboard:broadcast': (payload: BroadcastBody, ack: (res: Ack<SupervisorMessage>) => void) => void;
}
