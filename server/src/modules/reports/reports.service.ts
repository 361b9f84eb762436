// Period reports for supervisors and admins. Each section comes from its feature's tables; a
// section whose tables are not there is left out (null, named in `missing`), never estimated.
import type { Report, ReportQuery, ReportTable } from '@trustline/shared';
import { startOfLocalDay } from '../../clock.js';
import { DomainError } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { tableRows, toCsv } from './reports.csv.js';
import type { Filters, Period, ReportsRepository } from './reports.repository.js';

const nextDay = (day: string) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

export function reportsService(deps: { repo: ReportsRepository; audit: AuditService; timezone: string; serviceLevelMs: number; now?: () => Date }) {
  const { repo, audit, timezone, serviceLevelMs, now = () => new Date() } = deps;

  async function build(q: ReportQuery): Promise<Report> {
    const period: Period = { from: new Date(startOfLocalDay(q.from, timezone)), to: new Date(startOfLocalDay(nextDay(q.to), timezone)), timezone };
    const { from: _f, to: _t, ...filters } = q;
    const f: Filters = filters;
    const missing: string[] = [];
    const section = async <T>(name: string, tables: string[], fn: () => Promise<T>): Promise<T | null> => {
      if (await repo.has(...tables)) return fn();
      missing.push(name);
      return null;
    };
    const [contacts, calls, dispatches, cases] = [
      await section('contacts', ['Contact', 'ContactCategory', 'Category', 'Area'], () => repo.contacts(period, f)),
      await section('calls', ['Call'], () => repo.calls(period, f, serviceLevelMs)),
      await section('dispatches', ['Dispatch'], () => repo.dispatches(period, f)),
      await section('cases', ['Case', 'CaseMember'], () => repo.cases(period, f)),
    ];
    return {
      query: Object.fromEntries(
        Object.entries(q)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
      timezone,
      generatedAt: now().toISOString(),
      contacts,
      calls,
      dispatches,
      cases,
      missing,
    };
  }

  return {
    async report(q: ReportQuery, actor: Actor): Promise<Report> {
      const report = await build(q);
      // Aggregates only (no personal data), but who looked at what is worth keeping.
      await audit.record(actor, 'report.view', { entity: 'report', detail: report.query });
      return report;
    },
    async csv(table: ReportTable, q: ReportQuery & { lang: 'ru' | 'en' }, actor: Actor) {
      const { lang, ...query } = q;
      const report = await build(query);
      const rows = tableRows(report, table, lang);
      if (!rows) throw new DomainError('REPORT_SECTION_MISSING', `the ${table} table has no data source yet`, 404);
      await audit.record(actor, 'report.export', { entity: 'report', entityId: table, detail: report.query });
      return { filename: `${table}_${q.from}_${q.to}.csv`, body: toCsv(rows, lang) };
    },
  };
}
export type ReportsService = ReturnType<typeof reportsService>;
