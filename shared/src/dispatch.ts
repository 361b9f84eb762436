import { z } from 'zod';
import { UrgentKind } from './directory.js';

export const DISPATCH_STATES = ['requested', 'offered', 'accepted', 'in_progress', 'delivered', 'failed', 'cancelled'] as const;
export const DispatchState = z.enum(DISPATCH_STATES);
export type DispatchState = z.infer<typeof DispatchState>;
export const OPEN_DISPATCH_STATES: readonly DispatchState[] = ['requested', 'offered', 'accepted', 'in_progress'];

export const DispatchUrgency = z.enum(['now', 'within_hours', 'today']);
export type DispatchUrgency = z.infer<typeof DispatchUrgency>;
export const RiskLevel = z.enum(['none', 'low', 'medium', 'high', 'imminent']);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** One reason in a match explanation; the console renders `dispatch.reason.<key>` with params. */
export const MatchReason = z.object({
  key: z.enum([
    'open_now',
    'closed_now',
    'hours_unknown',
    'serves_area',
    'serves_everywhere',
    'free_capacity',
    'no_capacity',
    'capacity_untracked',
    'answers_in',
    'accept_rate',
    'no_history',
    'no_sms_phone',
    'age_fits',
    'age_excluded',
    'area_not_served',
  ]),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type MatchReason = z.infer<typeof MatchReason>;

export const RankedProvider = z.object({
  serviceId: z.uuid(),
  serviceName: z.string(),
  organizationName: z.string(),
  score: z.number(),
  eligible: z.boolean(),
  reasons: z.array(MatchReason),
});
export type RankedProvider = z.infer<typeof RankedProvider>;

// At least five digits: punctuation alone is no number to send to or to seal.
const Phone = z
  .string()
  .trim()
  .regex(/^(?=(?:\D*\d){5})\+?[\d\s()\-.]{5,20}$/, 'not a phone number');

export const CreateDispatchBody = z
  .object({
    contactId: z.uuid().nullable().default(null),
    /** Who referred when not from a contact (school, clinic, police…). */
    referral: z.string().trim().max(300).nullable().default(null),
    kind: UrgentKind,
    recipientName: z.string().trim().max(80).nullable().default(null),
    recipientPhone: Phone.nullable().default(null),
    notifyRecipient: z.boolean().default(false),
    district: z.string().trim().min(1, 'district or settlement is required').max(200),
    address: z.string().trim().max(300).nullable().default(null),
    urgency: DispatchUrgency,
    childrenInvolved: z.boolean().default(false),
    risk: RiskLevel.default('none'),
    quantity: z.number().int().min(1).max(100).default(1),
    providerNote: z.string().trim().max(500).nullable().default(null),
  })
  .refine((b) => b.contactId || b.referral, { message: 'start from a contact or name the referral', path: ['referral'] })
  .refine((b) => !b.notifyRecipient || b.recipientPhone, { message: 'a phone number is needed to tell the recipient', path: ['recipientPhone'] });
export type CreateDispatchBody = z.input<typeof CreateDispatchBody>;

export const DispatchCard = z.object({
  id: z.uuid(),
  number: z.number().int(),
  contactId: z.uuid().nullable(),
  kind: UrgentKind,
  state: DispatchState,
  urgency: DispatchUrgency,
  district: z.string(),
  childrenInvolved: z.boolean(),
  risk: RiskLevel,
  priority: z.number(),
  escalated: z.boolean(),
  escalatedReason: z.string().nullable(),
  offerCount: z.number().int(),
  provider: z.object({ serviceId: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The deadline that matters now: acknowledgement while offered, delivery once accepted. */
  deadline: z.iso.datetime().nullable(),
  warningAt: z.iso.datetime().nullable(),
  overdue: z.boolean(),
  closeReason: z.string().nullable(),
});
export type DispatchCard = z.infer<typeof DispatchCard>;

export const DispatchStep = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string().nullable(),
  provider: z.string().nullable(),
  note: z.string().nullable(),
});
export type DispatchStep = z.infer<typeof DispatchStep>;

export const DispatchDetail = DispatchCard.extend({
  recipientName: z.string().nullable(),
  /** The recipient's number by its label (`K-ABCDE`), never a digit of it. */
  recipientPhoneLabel: z.string().nullable(),
  notifyRecipient: z.boolean(),
  address: z.string().nullable(),
  quantity: z.number().int(),
  providerNote: z.string().nullable(),
  referral: z.string().nullable(),
  steps: z.array(DispatchStep),
  offers: z.array(
    z.object({
      id: z.uuid(),
      serviceId: z.uuid(),
      provider: z.string(),
      code: z.string(),
      state: z.string(),
      smsStatus: z.string(),
      deadline: z.iso.datetime(),
      reasons: z.array(MatchReason),
    }),
  ),
});
export type DispatchDetail = z.infer<typeof DispatchDetail>;

export const DispatchIdParams = z.object({ id: z.uuid() });
export const ContactIdParams = z.object({ contactId: z.uuid() });
export const BoardQuery = z.object({
  kind: UrgentKind.optional(),
  district: z.string().trim().max(200).optional(),
  urgency: DispatchUrgency.optional(),
});
export const OfferToBody = z.object({ serviceId: z.uuid(), note: z.string().trim().max(500).nullable().default(null) });
export const ReasonBody = z.object({ reason: z.string().trim().min(1, 'a reason is required').max(500) });
export const NoteBody = z.object({ note: z.string().trim().max(500).nullable().default(null) });
export const SuggestQuery = z.object({
  kind: UrgentKind,
  district: z.string().trim().min(1).max(200),
  urgency: DispatchUrgency.default('now'),
  childrenInvolved: z.stringbool().default(false),
  quantity: z.coerce.number().int().min(1).max(100).default(1),
});

export interface DispatchAlert {
  dispatchId: string;
  level: 'warning' | 'overdue' | 'escalated';
  deadline: 'ack' | 'delivery' | null;
}

export interface DispatchServerEvents {
  /** A dispatch changed (coordinators and supervisors). */
  'dispatch:changed': (card: DispatchCard) => void;
  /** A deadline neared or passed, or a dispatch needs the coordinator. */
  'dispatch:alert': (alert: DispatchAlert) => void;
}
