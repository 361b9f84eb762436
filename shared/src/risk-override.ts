// The risk-override rules, beside the rule table (triage-rules.ts) that computes a level from the
// screener: what level a contact ends at when its answers change and someone sets the level by
// hand, and what stands between a high-risk contact and "finalised". Pure functions, so the
// rules are walked one by one in test/unit/risk-override.test.ts and documented in docs/triage.md.
//   - Anyone who may edit the contact may raise the level above the computed one (with a reason).
//   - Only someone who may lower risk (supervisors, contacts' permission 'contact.lower-risk')
//     may set it below the computed one (with a reason).
//   - The reason is required either way (PatchContactBody.riskOverride.reason, at least 3 chars).
//   - A raise never hides a higher computed level: the contact is at the higher of the two.
//   - A lowering lapses as soon as new answers compute a different level.
//   - `riskOverride: null` clears the hand-set level.
//   - Reaching R4 raises the alert once.
//   - An R4 contact finalises only with the whole safety checklist or a supervisor's sign-off;
//     an R3 or R4 contact needs a safety plan, a follow-up time and a follow-up assignee.
import { checklistComplete, maxRisk, riskRank, SAFETY_CHECKLIST, type ContactRisk } from './triage-rules.js';

/** What the contact holds now. */
export interface StoredRisk {
  /** The level the rule table gave at the last save. */
  computed: ContactRisk;
  overrideLevel: ContactRisk | null;
  overrideReason: string | null;
  overrideById: string | null;
}

export type RiskDecision =
  | {
      ok: true;
      /** The level the contact is at (Contact.riskLevel). */
      effective: ContactRisk;
      overrideLevel: ContactRisk | null;
      overrideReason: string | null;
      overrideById: string | null;
      /** True when the hand-set level is below the computed one. */
      lowering: boolean;
    }
  | { ok: false; refused: 'lower-needs-supervisor' };

export function decideRisk(input: {
  stored: StoredRisk;
  /** The level the rule table gives for the answers after this save. */
  computed: ContactRisk;
  /** The save's request: a level with a reason, null to clear, undefined to leave as it is. */
  override?: { level: ContactRisk; reason: string } | null;
  /** Whether the one saving may set a level below the computed one. */
  mayLower: boolean;
  actorId: string;
}): RiskDecision {
  const { stored, computed, override, mayLower, actorId } = input;
  let overrideLevel = stored.overrideLevel;
  let overrideReason = stored.overrideReason;
  let lowering = !!overrideLevel && riskRank(overrideLevel) < riskRank(stored.computed);
  // A lowering was a judgement on the answers as they were; new answers undo it.
  if (lowering && computed !== stored.computed) {
    overrideLevel = null;
    overrideReason = null;
    lowering = false;
  }
  if (override === null) {
    overrideLevel = null;
    overrideReason = null;
    lowering = false;
  } else if (override) {
    lowering = riskRank(override.level) < riskRank(computed);
    if (lowering && !mayLower) return { ok: false, refused: 'lower-needs-supervisor' };
    overrideLevel = override.level;
    overrideReason = override.reason;
  }
  const effective = overrideLevel && lowering ? overrideLevel : maxRisk(overrideLevel ?? 'R0', computed);
  const overrideById = overrideLevel ? (override ? actorId : stored.overrideById) : null;
  return { ok: true, effective, overrideLevel, overrideReason, overrideById, lowering };
}

/** The alert goes up the first time a contact reaches R4, and only then. */
export const raisesAlert = (effective: ContactRisk, alertRaisedAt: Date | string | null) => effective === 'R4' && !alertRaisedAt;

/** Only an R4 contact takes a supervisor's sign-off (for a checklist that cannot be completed). */
export const takesR4SignOff = (riskLevel: ContactRisk) => riskLevel === 'R4';

/** What stands between a contact and "finalised" (R4 checklist or sign-off, R3+ safety plan and follow-up). */
export function finaliseBlockers(row: {
  riskLevel: ContactRisk;
  safetyChecklist: unknown;
  r4SignOffReason: string | null;
  safetyPlan: string;
  followUpAt: Date | string | null;
  followUpAssigneeId: string | null;
}) {
  const missing: { path: string; message: string }[] = [];
  if (row.riskLevel === 'R4' && !row.r4SignOffReason && !checklistComplete(row.safetyChecklist as never)) {
    const c = (row.safetyChecklist ?? {}) as Record<string, boolean>;
    for (const k of SAFETY_CHECKLIST) if (c[k] !== true) missing.push({ path: `safetyChecklist.${k}`, message: 'required for R4' });
  }
  if (row.riskLevel === 'R3' || row.riskLevel === 'R4') {
    if (!row.safetyPlan.trim()) missing.push({ path: 'safetyPlan', message: 'required for high risk' });
    if (!row.followUpAt) missing.push({ path: 'followUpAt', message: 'required for high risk' });
    if (!row.followUpAssigneeId) missing.push({ path: 'followUpAssigneeId', message: 'required for high risk' });
  }
  return missing;
}
