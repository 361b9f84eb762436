// Walks the risk-override rules (shared/src/risk-override.ts) one by one: who may raise, who may
// lower, the reason, when a lowering lapses, the R4 alert and sign-off, and what blocks finalising.
// Documented in docs/triage.md ("Changing the level by hand").
import { describe, expect, it } from 'vitest';
import { decideRisk, finaliseBlockers, PatchContactBody, raisesAlert, SAFETY_CHECKLIST, takesR4SignOff, type StoredRisk } from '@trustline/shared';

const none: StoredRisk = { computed: 'R1', overrideLevel: null, overrideReason: null, overrideById: null };
const operator = { mayLower: false, actorId: 'op' };
const supervisor = { mayLower: true, actorId: 'sup' };

describe('who may raise the level', () => {
  it('anyone who edits the contact may set it above the computed level, with their reason and name', () => {
    const d = decideRisk({ stored: none, computed: 'R1', override: { level: 'R3', reason: 'sounds worse than the answers' }, ...operator });
    expect(d).toEqual({ ok: true, effective: 'R3', overrideLevel: 'R3', overrideReason: 'sounds worse than the answers', overrideById: 'op', lowering: false });
  });

  it('a raise never hides a higher computed level: the contact is at the higher of the two', () => {
    const raised: StoredRisk = { computed: 'R1', overrideLevel: 'R2', overrideReason: 'worried', overrideById: 'op' };
    const d = decideRisk({ stored: raised, computed: 'R4', ...operator });
    expect(d).toMatchObject({ ok: true, effective: 'R4', overrideLevel: 'R2', overrideReason: 'worried', overrideById: 'op' });
  });

  it('setting the computed level itself is not a lowering', () => {
    expect(decideRisk({ stored: none, computed: 'R2', override: { level: 'R2', reason: 'as computed' }, ...operator })).toMatchObject({
      ok: true,
      effective: 'R2',
      lowering: false,
    });
  });
});

describe('who may lower the level', () => {
  it('below the computed level is refused to someone who may not lower risk (an operator)', () => {
    expect(decideRisk({ stored: none, computed: 'R3', override: { level: 'R1', reason: 'joking' }, ...operator })).toEqual({
      ok: false,
      refused: 'lower-needs-supervisor',
    });
  });

  it('a supervisor may set it below the computed level, and the contact is at that level', () => {
    const d = decideRisk({ stored: none, computed: 'R3', override: { level: 'R1', reason: 'known caller, checked' }, ...supervisor });
    expect(d).toEqual({ ok: true, effective: 'R1', overrideLevel: 'R1', overrideReason: 'known caller, checked', overrideById: 'sup', lowering: true });
  });

  it('a lowering holds while the answers compute the same level, and keeps who set it', () => {
    const lowered: StoredRisk = { computed: 'R3', overrideLevel: 'R1', overrideReason: 'checked', overrideById: 'sup' };
    expect(decideRisk({ stored: lowered, computed: 'R3', ...operator })).toMatchObject({ ok: true, effective: 'R1', overrideById: 'sup', lowering: true });
  });

  it('a lowering lapses as soon as new answers compute a different level (higher or lower)', () => {
    const lowered: StoredRisk = { computed: 'R3', overrideLevel: 'R1', overrideReason: 'checked', overrideById: 'sup' };
    for (const computed of ['R4', 'R2'] as const) {
      expect(decideRisk({ stored: lowered, computed, ...operator })).toEqual({
        ok: true,
        effective: computed,
        overrideLevel: null,
        overrideReason: null,
        overrideById: null,
        lowering: false,
      });
    }
  });

  it('a raise does not lapse when the answers change', () => {
    const raised: StoredRisk = { computed: 'R1', overrideLevel: 'R3', overrideReason: 'worried', overrideById: 'op' };
    expect(decideRisk({ stored: raised, computed: 'R0', ...operator })).toMatchObject({ ok: true, effective: 'R3', overrideLevel: 'R3' });
  });
});

describe('clearing and reasons', () => {
  it('riskOverride: null clears the hand-set level and returns to the computed one', () => {
    const raised: StoredRisk = { computed: 'R1', overrideLevel: 'R3', overrideReason: 'worried', overrideById: 'op' };
    expect(decideRisk({ stored: raised, computed: 'R1', override: null, ...operator })).toEqual({
      ok: true,
      effective: 'R1',
      overrideLevel: null,
      overrideReason: null,
      overrideById: null,
      lowering: false,
    });
  });

  it('a level is set only with a reason of at least three characters, raising or lowering', () => {
    const body = (riskOverride: unknown) => PatchContactBody.safeParse({ version: 1, riskOverride }).success;
    expect(body({ level: 'R3' })).toBe(false);
    expect(body({ level: 'R3', reason: '  ok ' })).toBe(false);
    expect(body({ level: 'R0', reason: '' })).toBe(false);
    expect(body({ level: 'R3', reason: 'she is alone tonight' })).toBe(true);
    expect(body(null)).toBe(true);
  });
});

describe('R4: the alert and the sign-off', () => {
  it('reaching R4 raises the alert once', () => {
    expect(raisesAlert('R4', null)).toBe(true);
    expect(raisesAlert('R4', new Date())).toBe(false);
    expect(raisesAlert('R3', null)).toBe(false);
  });

  it('only an R4 contact takes a sign-off', () => {
    expect(takesR4SignOff('R4')).toBe(true);
    for (const l of ['R0', 'R1', 'R2', 'R3'] as const) expect(takesR4SignOff(l)).toBe(false);
  });

  const ready = { safetyPlan: 'stay with the neighbour', followUpAt: new Date(), followUpAssigneeId: 'op', r4SignOffReason: null };
  const all = Object.fromEntries(SAFETY_CHECKLIST.map((k) => [k, true]));

  it('an R4 contact finalises with the whole safety checklist, or with a sign-off instead', () => {
    const paths = (row: Parameters<typeof finaliseBlockers>[0]) => finaliseBlockers(row).map((m) => m.path);
    expect(paths({ ...ready, riskLevel: 'R4', safetyChecklist: {} })).toEqual(SAFETY_CHECKLIST.map((k) => `safetyChecklist.${k}`));
    expect(paths({ ...ready, riskLevel: 'R4', safetyChecklist: all })).toEqual([]);
    expect(paths({ ...ready, riskLevel: 'R4', safetyChecklist: {}, r4SignOffReason: 'caller hung up' })).toEqual([]);
  });

  it('an R3 or R4 contact needs a safety plan, a follow-up time and its assignee; below R3 nothing', () => {
    const bare = { safetyPlan: '  ', followUpAt: null, followUpAssigneeId: null, r4SignOffReason: null, safetyChecklist: all };
    for (const riskLevel of ['R3', 'R4'] as const) {
      expect(finaliseBlockers({ ...bare, riskLevel }).map((m) => m.path)).toEqual(['safetyPlan', 'followUpAt', 'followUpAssigneeId']);
    }
    for (const riskLevel of ['R0', 'R1', 'R2'] as const) expect(finaliseBlockers({ ...bare, riskLevel, safetyChecklist: {} })).toEqual([]);
  });
});
