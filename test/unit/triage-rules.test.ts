// Walks the triage table row by row: each row fires on its own case and gives its level; the
// overall level is the highest of the rows that fire. Documented in docs/triage.md.
import { describe, expect, it } from 'vitest';
import { computeRisk, riskRank, TRIAGE_RULES, type ScreenerAnswers, type ContactRisk } from '@trustline/shared';

/** For every row: a minimal set of answers that makes it fire, and the level the whole table gives. */
const ROWS: { id: string; answers: ScreenerAnswers; level: ContactRisk }[] = [
  { id: 'S1', answers: { suicideThoughtsNow: 'unknown' }, level: 'R1' },
  { id: 'S2', answers: { suicideThoughtsNow: 'yes' }, level: 'R2' },
  { id: 'S3', answers: { suicidePlan: 'yes' }, level: 'R3' },
  { id: 'S4', answers: { suicideIntent: 'yes' }, level: 'R3' },
  { id: 'S5', answers: { suicideThoughtsNow: 'yes', suicideMeans: 'yes' }, level: 'R3' },
  { id: 'S6', answers: { suicideIntent: 'yes', suicidePlan: 'yes' }, level: 'R4' },
  { id: 'S7', answers: { suicideIntent: 'yes', suicideMeans: 'yes' }, level: 'R4' },
  { id: 'S8', answers: { suicidePastAttempt: 'yes', suicidePastAttemptWhen: 'within-3-months' }, level: 'R3' },
  { id: 'S9', answers: { suicidePastAttempt: 'yes', suicidePastAttemptWhen: 'longer-ago' }, level: 'R2' },
  {
    id: 'S10',
    answers: { suicidePastAttempt: 'yes', suicidePastAttemptWhen: 'within-3-months', suicideThoughtsNow: 'yes', suicideMeans: 'yes' },
    level: 'R4',
  },
  { id: 'V1', answers: { violenceHurtingNow: 'unknown' }, level: 'R1' },
  { id: 'V2', answers: { violenceHurtingNow: 'yes' }, level: 'R3' },
  { id: 'V3', answers: { violencePersonPresent: 'yes' }, level: 'R2' },
  { id: 'V4', answers: { violenceHurtingNow: 'yes', violencePersonPresent: 'yes' }, level: 'R4' },
  { id: 'C1', answers: { childWithoutCare: 'unknown' }, level: 'R2' },
  { id: 'C2', answers: { childWithoutCare: 'yes' }, level: 'R3' },
  { id: 'C3', answers: { childInjured: 'yes' }, level: 'R3' },
  { id: 'C4', answers: { childWithDangerousPerson: 'yes' }, level: 'R4' },
  { id: 'C5', answers: { childInjured: 'yes', childWithoutCare: 'yes' }, level: 'R4' },
  { id: 'N1', answers: { needsFoodToday: 'no' }, level: 'R2' },
  { id: 'N2', answers: { needsSafePlaceTonight: 'no' }, level: 'R3' },
  { id: 'N3', answers: { needsFoodToday: 'unknown' }, level: 'R1' },
];

describe('triage rules table', () => {
  it('has a test case for every row and a row for every test case', () => {
    expect(ROWS.map((r) => r.id).sort()).toEqual(TRIAGE_RULES.map((r) => r.id).sort());
  });

  it.each(ROWS)('row $id fires and the level is $level', ({ id, answers, level }) => {
    const rule = TRIAGE_RULES.find((r) => r.id === id)!;
    expect(rule.when(answers)).toBe(true);
    const result = computeRisk(answers);
    expect(result.rules).toContain(id);
    expect(result.level).toBe(level);
    // The row's own level never exceeds the overall level (highest wins).
    expect(riskRank(rule.level)).toBeLessThanOrEqual(riskRank(result.level));
  });

  it('gives R0 when nothing is answered or every answer is reassuring', () => {
    expect(computeRisk({})).toEqual({ level: 'R0', rules: [] });
    expect(
      computeRisk({
        suicideThoughtsNow: 'no',
        suicidePlan: 'no',
        suicideMeans: 'no',
        suicideIntent: 'no',
        suicidePastAttempt: 'no',
        violenceHurtingNow: 'no',
        violencePersonPresent: 'no',
        childWithoutCare: 'no',
        childInjured: 'no',
        childWithDangerousPerson: 'no',
        needsFoodToday: 'yes',
        needsSafePlaceTonight: 'yes',
      }).level,
    ).toBe('R0');
  });

  it('takes the highest level any answer triggers, across sections', () => {
    const r = computeRisk({ needsFoodToday: 'no', violenceHurtingNow: 'yes', violencePersonPresent: 'yes', suicideThoughtsNow: 'unknown' });
    expect(r.level).toBe('R4');
    expect(r.rules).toEqual(expect.arrayContaining(['N1', 'V2', 'V3', 'V4', 'S1']));
  });

  it('does not treat means alone (no thoughts, no intent) as elevated', () => {
    expect(computeRisk({ suicideMeans: 'yes' }).level).toBe('R0');
  });
});
