// "Results as the seed reports them" (Tomsk: cases (families) opened, the children in them, the
// share closed because the family's situation improved), plus closures by reason, the median
// time in each stage and the statutory deadlines met and missed. Pure: the service loads rows.
import { CASE_STAGES, CLOSE_REASONS, type CaseResults, type CaseStage, type CloseReason } from '@trustline/shared';
import { csvCell } from '../../csv.js';

const DAY_MS = 86_400_000;

export interface ResultsInput {
  from: string;
  to: string;
  fromAt: Date;
  toAt: Date;
  today: string;
  opened: { members: { isChild: boolean }[] }[];
  closures: { reason: string | null }[];
  transitions: { caseId: string; to: CaseStage; at: Date }[];
  deadlines: { dueDate: string; metOn: string | null }[];
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function computeResults(input: ResultsInput): CaseResults {
  const closedByReason = Object.fromEntries(CLOSE_REASONS.map((r) => [r, 0])) as Record<CloseReason, number>;
  for (const c of input.closures) {
    const reason = (CLOSE_REASONS as readonly string[]).includes(c.reason ?? '') ? (c.reason as CloseReason) : 'other';
    closedByReason[reason] += 1;
  }
  const closed = input.closures.length;

  // Time in a stage: from the transition into it to the next transition of the same case; counted
  // when the stage was left inside the period.
  const durations = Object.fromEntries(CASE_STAGES.map((s) => [s, [] as number[]])) as Record<CaseStage, number[]>;
  const byCase = new Map<string, { to: CaseStage; at: Date }[]>();
  for (const t of input.transitions) byCase.set(t.caseId, [...(byCase.get(t.caseId) ?? []), t]);
  for (const list of byCase.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = 0; i + 1 < list.length; i++) {
      const exit = list[i + 1]!.at;
      if (exit < input.fromAt || exit >= input.toAt) continue;
      durations[list[i]!.to].push((exit.getTime() - list[i]!.at.getTime()) / DAY_MS);
    }
  }
  const medianDaysInStage = Object.fromEntries(CASE_STAGES.map((s) => [s, round1(median(durations[s]))])) as Record<CaseStage, number | null>;

  let met = 0;
  let missed = 0;
  let pending = 0;
  for (const d of input.deadlines) {
    if (d.metOn) d.metOn <= d.dueDate ? (met += 1) : (missed += 1);
    else if (d.dueDate < input.today) missed += 1;
    else pending += 1;
  }

  return {
    from: input.from,
    to: input.to,
    opened: input.opened.length,
    children: input.opened.reduce((n, c) => n + c.members.filter((m) => m.isChild).length, 0),
    closed,
    closedByReason,
    improvedShare: closed ? closedByReason.situation_improved / closed : null,
    medianDaysInStage,
    deadlines: { met, missed, pending },
  };
}

/** CSV for spreadsheets: UTF-8 with a BOM (Excel opens Cyrillic correctly), `;`-free, one
 * measure per row so the layout does not change when reasons or stages are added. */
export function resultsCsv(r: CaseResults, labels: { measure: string; value: string }): string {
  const rows: [string, string | number][] = [
    ['period_from', r.from],
    ['period_to', r.to],
    ['cases_opened_families', r.opened],
    ['children_in_opened_cases', r.children],
    ['cases_closed', r.closed],
    ...CLOSE_REASONS.map((reason) => [`closed_${reason}`, r.closedByReason[reason]] as [string, number]),
    ['share_closed_situation_improved', r.improvedShare === null ? '' : r.improvedShare.toFixed(3)],
    ...CASE_STAGES.filter((s) => s !== 'closed').map((s) => [`median_days_in_${s}`, r.medianDaysInStage[s] ?? ''] as [string, string | number]),
    ['deadlines_met', r.deadlines.met],
    ['deadlines_missed', r.deadlines.missed],
    ['deadlines_pending', r.deadlines.pending],
  ];
  return '\uFEFF' + [[labels.measure, labels.value], ...rows].map((row) => row.map((v) => csvCell(v)).join(',')).join('\r\n') + '\r\n';
}
