// Callers as consoles know them: a label derived from the keyed hash of the number (never a digit
// of it) and how often the same number reached the line before. The number itself leaves the
// server only through the break-glass reveal, for a stated reason, audited, with supervisors told.
import { z } from 'zod';

/** Earlier contacts from the same number (calls, SMS threads, contacts recorded without either),
 * before the one shown, and when the latest of them was. Counted from the keyed hash. */
export const CallerHistory = z.object({
  earlier: z.number().int().min(0),
  lastAt: z.iso.datetime().nullable(),
});
export type CallerHistory = z.infer<typeof CallerHistory>;

/** Who is calling, without the number. `label` is `K-` and five letters (the console writes
 * «Абонент K-ABCDE» / "Caller K-ABCDE"); null for a withheld number ("Number withheld"), which
 * has no history either. */
export const CallerInfo = z.object({
  label: z
    .string()
    .regex(/^K-[A-Z]{5}$/)
    .nullable(),
  history: CallerHistory.nullable(),
});
export type CallerInfo = z.infer<typeof CallerInfo>;

export const REVEAL_REASONS = ['emergency_services', 'call_back', 'court_request'] as const;
export const RevealReason = z.enum(REVEAL_REASONS, { error: 'reason is required: emergency_services, call_back or court_request' });
export type RevealReason = z.infer<typeof RevealReason>;
/** What the audit log says for each reason (the server writes both languages into the entry). */
export const REVEAL_REASON_LABELS: Record<RevealReason, { en: string; ru: string }> = {
  emergency_services: { en: 'Emergency services (112)', ru: 'Экстренные службы (112)' },
  call_back: { en: 'Call back', ru: 'Обратный звонок' },
  court_request: { en: 'Court or lawful request', ru: 'Запрос суда или иной законный запрос' },
};

export const RevealNumberBody = z.object({
  reason: RevealReason,
  /** What the operator adds (the 112 operator's name, the court's reference). Kept in the audit log. */
  note: z.string().trim().max(500).optional(),
});
export type RevealNumberBody = z.infer<typeof RevealNumberBody>;

export const REVEAL_SUBJECTS = ['call', 'callback', 'conversation'] as const;
export type RevealSubject = (typeof REVEAL_SUBJECTS)[number];

export const RevealNumberResponse = z.object({
  /** The caller's number in E.164. Shown once, never cached, never stored by the console. */
  number: z.string(),
  label: z.string().nullable(),
  reason: RevealReason,
  supervisorsAlerted: z.literal(true),
});
export type RevealNumberResponse = z.infer<typeof RevealNumberResponse>;

/** Supervisors: someone revealed a caller's number. Who, which caller's label, why; no number. */
export const NumberRevealedAlert = z.object({
  id: z.string(),
  subject: z.enum(REVEAL_SUBJECTS),
  subjectId: z.uuid(),
  label: z.string().nullable(),
  reason: RevealReason,
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  at: z.iso.datetime(),
});
export type NumberRevealedAlert = z.infer<typeof NumberRevealedAlert>;

export interface CallerServerEvents {
  /** Supervisors: a caller's number was revealed (break-glass). */
  'privacy:number-revealed': (alert: NumberRevealedAlert) => void;
}
