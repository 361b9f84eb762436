// The Russian production calendar (производственный календарь) for 2026 and 2027: the days that
// differ from Monday–Friday. It seeds the CalendarDay table (migration *_cases_calendar_seed) and
// the unit tests; administrators edit the table afterwards.
//
// 2026 — confirmed: Labour Code art. 112 (non-working public holidays) and the Government decree
//   of 24 September 2025 «О переносе выходных дней в 2026 году» (3 Jan → 9 Jan, 4 Jan → 31 Dec);
//   art. 112 part 2 moves 8 Mar (Sun) → 9 Mar and 9 May (Sat) → 11 May. 247 working days.
// 2027 — TO BE CONFIRMED: the holidays of art. 112 and its automatic moves (1 May Sat → 3 May,
//   9 May Sun → 10 May, 12 Jun Sat → 14 Jun). The Government decree for 2027, which places the
//   days off of 2 and 3 January (Sat, Sun) and may move others (a draft reported 5 Nov off and
//   Sat 13 Nov working), could not be verified here: those days are NOT seeded. Check it and
//   edit the calendar in the console (Admin → Working-day calendar).

export type CalendarDayKind = 'holiday' | 'day_off' | 'working_day';

export interface ProductionCalendarDay {
  date: string;
  working: boolean;
  kind: CalendarDayKind;
  name: string;
  confirmed: boolean;
  source: string;
}

export const SOURCE_2026 = 'Трудовой кодекс РФ ст. 112; постановление Правительства РФ от 24.09.2025 «О переносе выходных дней в 2026 году»';
export const SOURCE_2027 =
  'Трудовой кодекс РФ ст. 112 (праздники и перенос по ч. 2); постановление о переносе выходных дней в 2027 году не проверено — подтвердить';

const y2026 = (date: string, kind: CalendarDayKind, name: string): ProductionCalendarDay => ({
  date,
  working: kind === 'working_day',
  kind,
  name,
  confirmed: true,
  source: SOURCE_2026,
});
const y2027 = (date: string, kind: CalendarDayKind, name: string): ProductionCalendarDay => ({
  date,
  working: kind === 'working_day',
  kind,
  name,
  confirmed: false,
  source: SOURCE_2027,
});

const NEW_YEAR = 'Новогодние каникулы';
const CHRISTMAS = 'Рождество Христово';

export const PRODUCTION_CALENDAR: readonly ProductionCalendarDay[] = [
  ...['01', '02', '03', '04', '05', '06', '08'].map((d) => y2026(`2026-01-${d}`, 'holiday', NEW_YEAR)),
  y2026('2026-01-07', 'holiday', CHRISTMAS),
  y2026('2026-01-09', 'day_off', 'Перенос с 3 января'),
  y2026('2026-02-23', 'holiday', 'День защитника Отечества'),
  y2026('2026-03-08', 'holiday', 'Международный женский день'),
  y2026('2026-03-09', 'day_off', 'Перенос с 8 марта (ст. 112 ТК РФ)'),
  y2026('2026-05-01', 'holiday', 'Праздник Весны и Труда'),
  y2026('2026-05-09', 'holiday', 'День Победы'),
  y2026('2026-05-11', 'day_off', 'Перенос с 9 мая (ст. 112 ТК РФ)'),
  y2026('2026-06-12', 'holiday', 'День России'),
  y2026('2026-11-04', 'holiday', 'День народного единства'),
  y2026('2026-12-31', 'day_off', 'Перенос с 4 января'),

  ...['01', '02', '03', '04', '05', '06', '08'].map((d) => y2027(`2027-01-${d}`, 'holiday', NEW_YEAR)),
  y2027('2027-01-07', 'holiday', CHRISTMAS),
  y2027('2027-02-23', 'holiday', 'День защитника Отечества'),
  y2027('2027-03-08', 'holiday', 'Международный женский день'),
  y2027('2027-05-01', 'holiday', 'Праздник Весны и Труда'),
  y2027('2027-05-03', 'day_off', 'Перенос с 1 мая (ст. 112 ТК РФ)'),
  y2027('2027-05-09', 'holiday', 'День Победы'),
  y2027('2027-05-10', 'day_off', 'Перенос с 9 мая (ст. 112 ТК РФ)'),
  y2027('2027-06-12', 'holiday', 'День России'),
  y2027('2027-06-14', 'day_off', 'Перенос с 12 июня (ст. 112 ТК РФ)'),
  y2027('2027-11-04', 'holiday', 'День народного единства'),
];
