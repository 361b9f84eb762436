// The working-day calendar: read for every deadline, edited by administrators. After an edit the
// open statutory deadlines are recounted and their reminder jobs moved.
import type { CalendarDayView } from '@trustline/shared';
import { calendarOf, type WorkCalendar } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import { invalid } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CasesRepository } from './cases.repository.js';
import { PRODUCTION_CALENDAR } from './production-calendar.js';

export const toDate = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
export const isoOf = (d: Date) => d.toISOString().slice(0, 10);

type DayRow = Awaited<ReturnType<CasesRepository['calendarDays']>>[number];
const view = (d: DayRow): CalendarDayView => ({
  date: isoOf(d.date),
  working: d.working,
  kind: d.kind,
  name: d.name,
  confirmed: d.confirmed,
  source: d.source,
});

export function calendarService(deps: {
  repo: CasesRepository;
  audit: AuditService;
  transaction: Transactor;
  /** Recounts open deadlines after an edit (wired to the deadlines service). */
  onChanged: () => Promise<void>;
}) {
  const { repo, audit, transaction } = deps;
  return {
    /** Read in `tx` when given (a change scheduling its checks inside its transaction). */
    async calendar(tx?: Db): Promise<WorkCalendar> {
      return calendarOf((await repo.calendarDays(undefined, undefined, tx)).map((d) => ({ date: isoOf(d.date), working: d.working })));
    },

    async year(year: number) {
      return (await repo.calendarDays(toDate(`${year}-01-01`), toDate(`${year}-12-31`))).map(view);
    },

    async setDay(body: { date: string; kind: 'holiday' | 'day_off' | 'working_day'; name: string; confirmed: boolean; source: string }, actor: Actor) {
      const day = toDate(body.date);
      const weekend = [0, 6].includes(day.getUTCDay());
      if (body.kind === 'working_day' && !weekend) throw invalid('body.kind', 'a weekday already works; a moved working day is a Saturday or Sunday');
      const row = await transaction(async (tx) => {
        const saved = await repo.upsertCalendarDay({ ...body, date: day, working: body.kind === 'working_day', updatedBy: actor.userId }, tx);
        await audit.record(actor, 'calendar.set-day', { entity: 'CalendarDay', entityId: body.date, detail: { kind: body.kind } }, tx);
        return saved;
      });
      await deps.onChanged();
      return view(row);
    },

    async removeDay(date: string, actor: Actor) {
      await transaction(async (tx) => {
        await repo.deleteCalendarDay(toDate(date), tx);
        await audit.record(actor, 'calendar.remove-day', { entity: 'CalendarDay', entityId: date }, tx);
      });
      await deps.onChanged();
    },
  };
}
export type CalendarService = ReturnType<typeof calendarService>;

/** Seeds the 2026–2027 production calendar once; never overwrites an administrator's edit. */
export async function seedProductionCalendar(repo: CasesRepository) {
  await repo.seedCalendar(PRODUCTION_CALENDAR.map((d) => ({ ...d, date: toDate(d.date) })));
}
