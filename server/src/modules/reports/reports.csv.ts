// CSV export: UTF-8 with a byte-order mark so that Excel opens Cyrillic correctly. Russian Excel
// splits on ';' (its list separator), so the Russian export uses ';' and the English one ','.
// Fields are quoted when they hold the separator, a quote or a line break (RFC 4180).
import type { Report, ReportTable } from '@trustline/shared';
import { BOM, csvCell } from '../../csv.js';

type Lang = 'ru' | 'en';
type Cell = string | number | null;

const HEAD: Record<string, [string, string]> = {
  key: ['Код', 'Code'],
  label: ['Название', 'Name'],
  count: ['Количество', 'Count'],
  hour: ['Час', 'Hour'],
  weekday: ['День недели', 'Day of week'],
  day: ['Дата', 'Date'],
  offered: ['Поступило', 'Offered'],
  answered: ['Отвечено', 'Answered'],
  abandoned: ['Потеряно', 'Abandoned'],
  metric: ['Показатель', 'Measure'],
  value: ['Значение', 'Value'],
  kind: ['Вид услуги', 'Service kind'],
  district: ['Район', 'District'],
  delivered: ['Оказано', 'Delivered'],
  shareDelivered: ['Доля оказанных', 'Share delivered'],
  acceptMedian: ['Принятие, медиана (с)', 'Time to accept, median (s)'],
  acceptP90: ['Принятие, 90-й процентиль (с)', 'Time to accept, p90 (s)'],
  deliverMedian: ['Оказание, медиана (с)', 'Time to deliver, median (s)'],
  deliverP90: ['Оказание, 90-й процентиль (с)', 'Time to deliver, p90 (s)'],
  reason: ['Причина', 'Reason'],
};
const WEEKDAYS: Record<Lang, string[]> = {
  ru: ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const METRICS: Record<string, [string, string]> = {
  offered: ['Поступило звонков', 'Calls offered'],
  answered: ['Отвечено', 'Answered'],
  abandoned: ['Потеряно', 'Abandoned'],
  abandonedShort: ['Потеряно до порога', 'Abandoned within the threshold'],
  serviceLevel: ['Уровень обслуживания', 'Service level'],
  averageWaitSeconds: ['Среднее ожидание (с)', 'Average wait (s)'],
  waitP50Seconds: ['Ожидание, медиана (с)', 'Wait, median (s)'],
  waitP90Seconds: ['Ожидание, 90-й процентиль (с)', 'Wait, p90 (s)'],
  waitP95Seconds: ['Ожидание, 95-й процентиль (с)', 'Wait, p95 (s)'],
  openAtEnd: ['Открытых случаев на конец периода', 'Cases open at the end'],
  openFamilies: ['Из них семей', 'Of them families'],
  childrenInOpen: ['Детей в открытых случаях', 'Children in open cases'],
  openedInPeriod: ['Открыто за период', 'Opened in the period'],
  closedInPeriod: ['Закрыто за период', 'Closed in the period'],
  shareImproved: ['Доля закрытых с улучшением', 'Share closed as improved'],
};

const h = (lang: Lang, ...keys: string[]) => keys.map((k) => HEAD[k]![lang === 'ru' ? 0 : 1]);

export function toCsv(rows: Cell[][], lang: Lang): string {
  const sep = lang === 'ru' ? ';' : ',';
  // Labels come from the directory and the case forms, so the shared helper defuses formulas.
  const cell = (v: Cell) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : csvCell(v, sep));
  return BOM + rows.map((r) => r.map(cell).join(sep)).join('\r\n') + '\r\n';
}

/** The rows of one report table, header first. Null when its section is missing. */
export function tableRows(report: Report, table: ReportTable, lang: Lang): Cell[][] | null {
  const label = (r: { labelRu: string; labelEn: string }) => (lang === 'ru' ? r.labelRu : r.labelEn);
  const c = report.contacts;
  const breakdown = (rows: { key: string; labelRu: string; labelEn: string; count: number }[]) => [
    h(lang, 'key', 'label', 'count'),
    ...rows.map((r) => [r.key, label(r), r.count]),
  ];
  const metrics = (o: Record<string, unknown>, keys: string[]) => [
    h(lang, 'metric', 'value'),
    ...keys.map((k) => [METRICS[k]![lang === 'ru' ? 0 : 1], (o[k] as number | null) ?? null]),
  ];
  switch (table) {
    case 'contacts-channel':
      return c && breakdown(c.byChannel);
    case 'contacts-category':
      return c && breakdown(c.byCategory);
    case 'contacts-risk':
      return c && breakdown(c.byRisk);
    case 'contacts-outcome':
      return c && breakdown(c.byOutcome);
    case 'contacts-district':
      return c && breakdown(c.byDistrict);
    case 'contacts-hour':
      return c && [h(lang, 'hour', 'count'), ...c.byHour.map((v, i) => [i, v])];
    case 'contacts-weekday':
      return c && [h(lang, 'weekday', 'count'), ...c.byWeekday.map((v, i) => [WEEKDAYS[lang][i]!, v])];
    case 'calls':
      return (
        report.calls &&
        metrics(report.calls, [
          'offered',
          'answered',
          'abandoned',
          'abandonedShort',
          'serviceLevel',
          'averageWaitSeconds',
          'waitP50Seconds',
          'waitP90Seconds',
          'waitP95Seconds',
        ])
      );
    case 'calls-by-day':
      return (
        report.calls && [h(lang, 'day', 'offered', 'answered', 'abandoned'), ...report.calls.byDay.map((d) => [d.day, d.offered, d.answered, d.abandoned])]
      );
    case 'dispatches':
      return (
        report.dispatches && [
          h(lang, 'kind', 'district', 'count', 'delivered', 'shareDelivered', 'acceptMedian', 'acceptP90', 'deliverMedian', 'deliverP90'),
          ...report.dispatches.groups.map((g) => [
            g.kind,
            g.district,
            g.count,
            g.delivered,
            g.shareDelivered,
            g.acceptMedianSeconds,
            g.acceptP90Seconds,
            g.deliverMedianSeconds,
            g.deliverP90Seconds,
          ]),
        ]
      );
    case 'dispatch-failures':
      return report.dispatches && [h(lang, 'reason', 'count'), ...report.dispatches.failureReasons.map((r) => [r.reason, r.count])];
    case 'cases':
      return report.cases && metrics(report.cases, ['openAtEnd', 'openFamilies', 'childrenInOpen', 'openedInPeriod', 'closedInPeriod', 'shareImproved']);
    case 'cases-closed':
      return report.cases && [h(lang, 'reason', 'count'), ...report.cases.closedByReason.map((r) => [r.reason, r.count])];
  }
}
