// The case timeline (contacts, dispatches and their steps, stage changes, plan tasks, notes, in
// time order) and the results for a period. Both are reads of identified work, so both are audited.
import { addDays, startOfDayIn, type CaseResults, type TimelineEntry } from '@trustline/shared';
import { notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { isoOf, toDate } from './calendar.service.js';
import type { CaseDeadlines } from './cases.deadlines.js';
import type { CasesRepository } from './cases.repository.js';
import { computeResults, resultsCsv } from './cases.results.js';

export function casesInsights(deps: { repo: CasesRepository; audit: AuditService; deadlines: CaseDeadlines; timeZone: string }) {
  const { repo, audit, deadlines, timeZone } = deps;
  return {
    async timeline(id: string, actor: Actor): Promise<TimelineEntry[]> {
      const c = await repo.find(id);
      if (!c) throw notFound('case');
      const contactIds = c.contacts.map((l) => l.contactId);
      const [transitions, notes, tasks, dls, contacts, dispatches] = await repo.timelineParts(id, contactIds);
      const entries: TimelineEntry[] = [];
      for (const k of contacts) {
        entries.push({
          at: k.createdAt.toISOString(),
          kind: 'contact',
          title: 'contact',
          detail: { channel: k.channel, risk: k.riskLevel, status: k.status },
          refId: k.id,
        });
      }
      for (const d of dispatches) {
        entries.push({
          at: d.createdAt.toISOString(),
          kind: 'dispatch',
          title: 'dispatch',
          detail: { number: d.number, kind: d.kind, state: d.state },
          refId: d.id,
        });
        for (const e of d.events) {
          if (e.type === 'requested') continue; // the dispatch entry itself
          entries.push({ at: e.at.toISOString(), kind: 'dispatch_step', title: e.type, detail: { number: d.number }, refId: d.id });
        }
      }
      for (const t of transitions) {
        // Reasons for closing are codes; reopening reasons are the curator's words (shown only here).
        entries.push({ at: t.at.toISOString(), kind: 'stage', title: t.to, detail: { from: t.from, reason: t.reason }, refId: t.id });
      }
      for (const t of tasks) {
        entries.push({
          at: t.createdAt.toISOString(),
          kind: 'task',
          title: t.text,
          detail: { part: t.goal.part, dueDate: t.dueDate ? isoOf(t.dueDate) : null },
          refId: t.id,
        });
        if (t.doneAt) entries.push({ at: t.doneAt.toISOString(), kind: 'task_done', title: t.text, detail: { part: t.goal.part }, refId: t.id });
      }
      for (const n of notes) entries.push({ at: n.createdAt.toISOString(), kind: 'note', title: n.text, detail: { kind: n.kind }, refId: n.id });
      for (const d of dls) {
        if (d.metOn)
          entries.push({
            at: startOfDayIn(timeZone, isoOf(d.metOn)).toISOString(),
            kind: 'deadline',
            title: d.kind,
            detail: { dueDate: isoOf(d.dueDate), metOn: isoOf(d.metOn) },
            refId: d.id,
          });
      }
      entries.sort((a, b) => a.at.localeCompare(b.at));
      await audit.record(actor, 'case.timeline', { entity: 'Case', entityId: id, detail: { entries: entries.length } });
      return entries;
    },

    async results(from: string, to: string, actor: Actor): Promise<CaseResults> {
      const fromAt = startOfDayIn(timeZone, from);
      const toAt = startOfDayIn(timeZone, addDays(to, 1));
      const [opened, closures, transitions, dls] = await Promise.all([
        repo.openedBetween(fromAt, toAt),
        repo.closedBetween(fromAt, toAt),
        repo.transitionsOfCasesMovingBetween(fromAt, toAt),
        repo.deadlinesDueBetween(toDate(from), toDate(to)),
      ]);
      const result = computeResults({
        from,
        to,
        fromAt,
        toAt,
        today: deadlines.today(),
        opened,
        closures: closures.map((c) => ({ reason: c.reason ?? c.case.closeReason })),
        transitions: transitions.map((t) => ({ caseId: t.caseId, to: t.to, at: t.at })),
        deadlines: dls.map((d) => ({ dueDate: isoOf(d.dueDate), metOn: d.metOn ? isoOf(d.metOn) : null })),
      });
      await audit.record(actor, 'case.results', { entity: 'Case', detail: { from, to } });
      return result;
    },

    async resultsCsv(from: string, to: string, actor: Actor) {
      return resultsCsv(await this.results(from, to, actor), { measure: 'measure', value: 'value' });
    },
  };
}
export type CasesInsights = ReturnType<typeof casesInsights>;
