// Risk triage: the screener's questions and the ONE table of rules that turns answers into a level.
// The level is the highest that any row triggers. Every row is documented in docs/triage.md with
// its reasoning (988 Lifeline Suicide Risk Assessment standards, Columbia C-SSRS screener,
// child-safety practice) and walked row by row by test/unit/triage-rules.test.ts.
import { z } from 'zod';

export const RISK_LEVELS = ['R0', 'R1', 'R2', 'R3', 'R4'] as const;
export const ContactRisk = z.enum(RISK_LEVELS);
export type ContactRisk = z.infer<typeof ContactRisk>;
export const riskRank = (l: ContactRisk) => RISK_LEVELS.indexOf(l);
export const maxRisk = (a: ContactRisk, b: ContactRisk): ContactRisk => (riskRank(a) >= riskRank(b) ? a : b);

export const Answer = z.enum(['yes', 'no', 'unknown']);
export type Answer = z.infer<typeof Answer>;

/** The screener's questions, in the order the form shows them, grouped by section. */
export const SCREENER_QUESTIONS = [
  { key: 'suicideThoughtsNow', section: 'suicide' },
  { key: 'suicidePlan', section: 'suicide' },
  { key: 'suicideMeans', section: 'suicide' },
  { key: 'suicideIntent', section: 'suicide' },
  { key: 'suicidePastAttempt', section: 'suicide' },
  { key: 'violenceHurtingNow', section: 'violence' },
  { key: 'violencePersonPresent', section: 'violence' },
  { key: 'childWithoutCare', section: 'child' },
  { key: 'childInjured', section: 'child' },
  { key: 'childWithDangerousPerson', section: 'child' },
  { key: 'needsFoodToday', section: 'needs' },
  { key: 'needsSafePlaceTonight', section: 'needs' },
] as const;
export type ScreenerKey = (typeof SCREENER_QUESTIONS)[number]['key'];

/** When the past attempt was (asked only when there was one). */
export const PastAttemptWhen = z.enum(['within-3-months', 'within-year', 'longer-ago', 'unknown']);
export type PastAttemptWhen = z.infer<typeof PastAttemptWhen>;

export const ScreenerAnswers = z
  .object({
    suicideThoughtsNow: Answer,
    suicidePlan: Answer,
    suicideMeans: Answer,
    suicideIntent: Answer,
    suicidePastAttempt: Answer,
    suicidePastAttemptWhen: PastAttemptWhen,
    violenceHurtingNow: Answer,
    violencePersonPresent: Answer,
    childWithoutCare: Answer,
    childInjured: Answer,
    childWithDangerousPerson: Answer,
    needsFoodToday: Answer,
    needsSafePlaceTonight: Answer,
  })
  .partial();
export type ScreenerAnswers = z.infer<typeof ScreenerAnswers>;

export interface TriageRule {
  id: string;
  level: ContactRisk;
  /** Short reason shown next to the level (English; the console translates by id). */
  reason: string;
  when: (a: ScreenerAnswers) => boolean;
}

const yes = (v: Answer | undefined) => v === 'yes';
const unknown = (v: Answer | undefined) => v === 'unknown';

/** The table. Order does not matter: the highest level wins. */
export const TRIAGE_RULES: readonly TriageRule[] = [
  // Suicide (C-SSRS screener items 2-6; 988 standards: desire, intent, capability, buffers).
  { id: 'S1', level: 'R1', reason: 'suicidal thoughts unclear', when: (a) => unknown(a.suicideThoughtsNow) },
  { id: 'S2', level: 'R2', reason: 'suicidal thoughts now', when: (a) => yes(a.suicideThoughtsNow) },
  { id: 'S3', level: 'R3', reason: 'has a suicide plan', when: (a) => yes(a.suicidePlan) },
  { id: 'S4', level: 'R3', reason: 'intends to act', when: (a) => yes(a.suicideIntent) },
  { id: 'S5', level: 'R3', reason: 'thoughts with access to means', when: (a) => yes(a.suicideThoughtsNow) && yes(a.suicideMeans) },
  { id: 'S6', level: 'R4', reason: 'intent with a plan', when: (a) => yes(a.suicideIntent) && yes(a.suicidePlan) },
  { id: 'S7', level: 'R4', reason: 'intent with access to means', when: (a) => yes(a.suicideIntent) && yes(a.suicideMeans) },
  { id: 'S8', level: 'R3', reason: 'attempt in the last 3 months', when: (a) => yes(a.suicidePastAttempt) && a.suicidePastAttemptWhen === 'within-3-months' },
  {
    id: 'S9',
    level: 'R2',
    reason: 'earlier attempt',
    when: (a) => yes(a.suicidePastAttempt) && a.suicidePastAttemptWhen !== 'within-3-months',
  },
  {
    id: 'S10',
    level: 'R4',
    reason: 'recent attempt with thoughts now',
    when: (a) => yes(a.suicidePastAttempt) && a.suicidePastAttemptWhen === 'within-3-months' && yes(a.suicideThoughtsNow) && yes(a.suicideMeans),
  },
  // Violence.
  { id: 'V1', level: 'R1', reason: 'violence unclear', when: (a) => unknown(a.violenceHurtingNow) },
  { id: 'V2', level: 'R3', reason: 'someone is being hurt now', when: (a) => yes(a.violenceHurtingNow) },
  { id: 'V3', level: 'R2', reason: 'a violent person is there', when: (a) => yes(a.violencePersonPresent) },
  { id: 'V4', level: 'R4', reason: 'being hurt now and the person is there', when: (a) => yes(a.violenceHurtingNow) && yes(a.violencePersonPresent) },
  // Child safety.
  { id: 'C1', level: 'R2', reason: 'child safety unclear', when: (a) => unknown(a.childWithoutCare) || unknown(a.childWithDangerousPerson) },
  { id: 'C2', level: 'R3', reason: 'child without care now', when: (a) => yes(a.childWithoutCare) },
  { id: 'C3', level: 'R3', reason: 'child injured', when: (a) => yes(a.childInjured) },
  { id: 'C4', level: 'R4', reason: 'child with a dangerous person', when: (a) => yes(a.childWithDangerousPerson) },
  { id: 'C5', level: 'R4', reason: 'injured child without care', when: (a) => yes(a.childInjured) && yes(a.childWithoutCare) },
  // Basic needs ("no" is the risk answer here).
  { id: 'N1', level: 'R2', reason: 'no food today', when: (a) => a.needsFoodToday === 'no' },
  { id: 'N2', level: 'R3', reason: 'no safe place tonight', when: (a) => a.needsSafePlaceTonight === 'no' },
  { id: 'N3', level: 'R1', reason: 'basic needs unclear', when: (a) => unknown(a.needsFoodToday) || unknown(a.needsSafePlaceTonight) },
];

export interface TriageResult {
  level: ContactRisk;
  /** Ids of every row that fired. */
  rules: string[];
}

export function computeRisk(answers: ScreenerAnswers, rules: readonly TriageRule[] = TRIAGE_RULES): TriageResult {
  let level: ContactRisk = 'R0';
  const fired: string[] = [];
  for (const rule of rules) {
    if (!rule.when(answers)) continue;
    fired.push(rule.id);
    level = maxRisk(level, rule.level);
  }
  return { level, rules: fired };
}

/** R4 safety checklist items; all must be true to finalise (or a supervisor signs off). */
export const SAFETY_CHECKLIST = ['locationConfirmed', 'emergencyCalled', 'stayedOnLine', 'supervisorJoined'] as const;
export const SafetyChecklist = z
  .object({ locationConfirmed: z.boolean(), emergencyCalled: z.boolean(), stayedOnLine: z.boolean(), supervisorJoined: z.boolean() })
  .partial();
export type SafetyChecklist = z.infer<typeof SafetyChecklist>;
export const checklistComplete = (c: SafetyChecklist) => SAFETY_CHECKLIST.every((k) => c[k] === true);
