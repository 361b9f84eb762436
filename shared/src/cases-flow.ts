// The case-work cycle (the Tomsk technology; docs/cases.md): one transition table, used by the
// server to refuse a wrong move and by the console to draw the stepper. Pure; unit-tested.
import { z } from 'zod';

export const CASE_STAGES = ['signal', 'check', 'risk_assessment', 'opened', 'plan', 'monitoring', 'closed'] as const;
export const CaseStage = z.enum(CASE_STAGES);
export type CaseStage = z.infer<typeof CaseStage>;

/** Where a case may go from each stage. Any open stage may close (the family moves away, services
 * are refused); monitoring may go back to the plan to revise it; a closed case reopens into a
 * fresh risk assessment. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStage, readonly CaseStage[]>> = {
  signal: ['check', 'closed'],
  check: ['risk_assessment', 'closed'],
  risk_assessment: ['opened', 'closed'],
  opened: ['plan', 'closed'],
  plan: ['monitoring', 'closed'],
  monitoring: ['plan', 'closed'],
  closed: ['risk_assessment'],
};

export const canMove = (from: CaseStage, to: CaseStage) => CASE_TRANSITIONS[from].includes(to);

/** The data each move asks for (the server checks it against the body): the check result to
 * leave the check, the risk assessment to open the case, a plan with a task to start carrying
 * it out, a reason to close, a reason to reopen. */
export type TransitionRequirement = 'checkResult' | 'assessment' | 'planWithTask' | 'closeReason' | 'reopenReason';

export function requirementsFor(from: CaseStage, to: CaseStage): TransitionRequirement[] {
  if (from === 'closed') return ['reopenReason'];
  if (to === 'closed') return ['closeReason'];
  if (from === 'check' && to === 'risk_assessment') return ['checkResult'];
  if (from === 'risk_assessment' && to === 'opened') return ['assessment'];
  if (from === 'plan' && to === 'monitoring') return ['planWithTask'];
  return [];
}

export const CASE_RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const CaseRiskLevel = z.enum(CASE_RISK_LEVELS);
export type CaseRiskLevel = z.infer<typeof CaseRiskLevel>;

export const CLOSE_REASONS = ['situation_improved', 'moved_away', 'services_refused', 'transferred', 'placed_in_family', 'other'] as const;
export const CloseReason = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReason>;

export const PLAN_PARTS = ['safety', 'rehabilitation', 'placement'] as const;
export const PlanPart = z.enum(PLAN_PARTS);
export type PlanPart = z.infer<typeof PlanPart>;

export const DEADLINE_KINDS = ['need_decision', 'individual_programme'] as const;
export const DeadlineKind = z.enum(DEADLINE_KINDS);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

/** 442-FZ: decision on need within 5 working days of the application; the individual programme
 * (ИППСУ) within 10 working days. */
export const DEADLINE_WORKING_DAYS: Readonly<Record<DeadlineKind, number>> = { need_decision: 5, individual_programme: 10 };
