import { describe, expect, it } from 'vitest';
import { computeResults, median, resultsCsv, type ResultsInput } from '../../server/src/modules/cases/cases.results.js';

const at = (iso: string) => new Date(iso);
const base: ResultsInput = {
  from: '2026-11-01',
  to: '2026-11-30',
  fromAt: at('2026-10-31T21:00:00Z'),
  toAt: at('2026-11-30T21:00:00Z'),
  today: '2026-11-23',
  opened: [],
  closures: [],
  transitions: [],
  deadlines: [],
};

describe('median', () => {
  it.each([
    [[], null],
    [[3], 3],
    [[1, 9, 5], 5],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('case results for a period', () => {
  it('counts families opened and the children in them', () => {
    const r = computeResults({ ...base, opened: [{ members: [{ isChild: true }, { isChild: false }, { isChild: true }] }, { members: [] }] });
    expect(r.opened).toBe(2);
    expect(r.children).toBe(2);
  });

  it('counts closures by reason and the share closed because the situation improved', () => {
    const r = computeResults({
      ...base,
      closures: [{ reason: 'situation_improved' }, { reason: 'situation_improved' }, { reason: 'moved_away' }, { reason: 'something unknown' }],
    });
    expect(r.closed).toBe(4);
    expect(r.closedByReason).toMatchObject({ situation_improved: 2, moved_away: 1, other: 1, transferred: 0 });
    expect(r.improvedShare).toBe(0.5);
    expect(computeResults(base).improvedShare).toBeNull();
  });

  it('measures time in each stage from entering it to leaving it, for stages left in the period', () => {
    const r = computeResults({
      ...base,
      transitions: [
        { caseId: 'a', to: 'signal', at: at('2026-10-30T00:00:00Z') },
        { caseId: 'a', to: 'check', at: at('2026-11-02T00:00:00Z') }, // signal lasted 3 days, left in period
        { caseId: 'a', to: 'risk_assessment', at: at('2026-11-03T12:00:00Z') }, // check 1.5 days
        { caseId: 'b', to: 'signal', at: at('2026-11-10T00:00:00Z') },
        { caseId: 'b', to: 'check', at: at('2026-11-11T00:00:00Z') }, // signal 1 day
        { caseId: 'c', to: 'signal', at: at('2026-09-01T00:00:00Z') },
        { caseId: 'c', to: 'check', at: at('2026-09-05T00:00:00Z') }, // left before the period: not counted
      ],
    });
    expect(r.medianDaysInStage.signal).toBe(2);
    expect(r.medianDaysInStage.check).toBe(1.5);
    expect(r.medianDaysInStage.plan).toBeNull();
  });

  it('sorts deadlines into met, missed (late or past due) and pending', () => {
    const r = computeResults({
      ...base,
      deadlines: [
        { dueDate: '2026-11-10', metOn: '2026-11-10' }, // met on the day
        { dueDate: '2026-11-10', metOn: '2026-11-11' }, // late
        { dueDate: '2026-11-20', metOn: null }, // past due, unmet
        { dueDate: '2026-11-25', metOn: null }, // still running
      ],
    });
    expect(r.deadlines).toEqual({ met: 1, missed: 2, pending: 1 });
  });

  it('exports CSV with a UTF-8 BOM, one measure per row', () => {
    const csv = resultsCsv(computeResults({ ...base, closures: [{ reason: 'situation_improved' }] }), { measure: 'measure', value: 'value' });
    expect(csv.startsWith('\uFEFFmeasure,value\r\n')).toBe(true);
    expect(csv).toContain('closed_situation_improved,1\r\n');
    expect(csv).toContain('share_closed_situation_improved,1.000\r\n');
  });
});
