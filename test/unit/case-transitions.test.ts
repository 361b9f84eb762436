import { describe, expect, it } from 'vitest';
import { CASE_STAGES, CASE_TRANSITIONS, canMove, requirementsFor, type CaseStage } from '../../shared/src/cases-flow.js';

const ALLOWED: [CaseStage, CaseStage, string[]][] = [
  ['signal', 'check', []],
  ['signal', 'closed', ['closeReason']],
  ['check', 'risk_assessment', ['checkResult']],
  ['check', 'closed', ['closeReason']],
  ['risk_assessment', 'opened', ['assessment']],
  ['risk_assessment', 'closed', ['closeReason']],
  ['opened', 'plan', []],
  ['opened', 'closed', ['closeReason']],
  ['plan', 'monitoring', ['planWithTask']],
  ['plan', 'closed', ['closeReason']],
  ['monitoring', 'plan', []],
  ['monitoring', 'closed', ['closeReason']],
  ['closed', 'risk_assessment', ['reopenReason']],
];

describe('the case-work cycle', () => {
  it.each(ALLOWED)('allows %s → %s and asks for %j', (from, to, needs) => {
    expect(canMove(from, to)).toBe(true);
    expect(requirementsFor(from, to)).toEqual(needs);
  });

  const allowedKeys = new Set(ALLOWED.map(([f, t]) => `${f}>${t}`));
  const refused = CASE_STAGES.flatMap((from) => CASE_STAGES.map((to) => [from, to] as const)).filter(([f, t]) => !allowedKeys.has(`${f}>${t}`));
  it.each(refused)('refuses %s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(false);
  });

  it('has exactly the transitions listed above', () => {
    const count = Object.values(CASE_TRANSITIONS).reduce((n, list) => n + list.length, 0);
    expect(count).toBe(ALLOWED.length);
  });

  it('never skips the risk assessment on the way to an open case', () => {
    const reach = (from: CaseStage, seen = new Set<CaseStage>()): Set<CaseStage> => {
      for (const to of CASE_TRANSITIONS[from]) {
        if (to === 'risk_assessment' || seen.has(to)) continue;
        seen.add(to);
        reach(to, seen);
      }
      return seen;
    };
    expect(reach('signal').has('opened')).toBe(false);
  });
});
