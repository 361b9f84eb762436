// The printable copy of a person's data: one self-contained HTML page (no script, no outside
// resource), in the reader's language, dates in that locale and the centre's time zone, labels for
// every code. Every value is escaped.
import { SCREENER_QUESTIONS } from '@trustline/shared';
import { exportCount, type PersonExport } from './data-requests.export.js';
import { ANY_VALUE, FIELDS, PAGE, SECTIONS, VALUES } from './data-requests.labels.js';

type Lang = 'ru' | 'en';
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// One line of the page's style, in two pieces only to keep the source narrow.
const RECORD_TABLE_CSS =
  'table.record{border-collapse:collapse;width:100%;margin:.2rem 0}' +
  'table.record th,table.record td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}';
// Fields a person does not need on paper: ids name rows for the DPO, and are in the JSON.
const HIDDEN = new Set(['id', 'contactId', 'caseId']);
// Fields that hold a code (never free text), so a shared label may stand for it.
const CODED = new Set([...SCREENER_QUESTIONS.map((q) => q.key), 'suicidePastAttemptWhen', 'deliveryStatus']);

export function renderHtml(data: PersonExport, lang: Lang, timeZone: string): string {
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long', timeStyle: 'short' });
  const dateOnly = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' });
  const t = (x: { en: string; ru: string }) => x[lang];
  const field = (k: string) => (FIELDS[k] ? t(FIELDS[k]) : k);

  const scalar = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return esc(t(PAGE.empty));
    if (typeof v === 'boolean') return esc(t(v ? PAGE.yes : PAGE.no));
    if (typeof v === 'string') {
      const label = VALUES[key]?.[v] ?? (CODED.has(key) ? ANY_VALUE[v] : undefined);
      if (label) return esc(t(label));
      if (ISO.test(v)) return esc(dateTime.format(new Date(v)));
      if (DAY.test(v)) return esc(dateOnly.format(new Date(`${v}T00:00:00Z`)));
      return esc(v).replace(/\n/g, '<br>');
    }
    return esc(String(v));
  };
  const value = (key: string, v: unknown): string => {
    if (Array.isArray(v)) {
      if (!v.length) return esc(t(PAGE.none));
      if (v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => scalar(key, x)).join(', ');
      return v.map((x) => record(x as Record<string, unknown>)).join('');
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // A bilingual name (an area, a category) reads in the reader's language.
      if (typeof o.ru === 'string' && typeof o.en === 'string') return esc(String(o[lang]));
      return record(o);
    }
    return scalar(key, v);
  };
  const record = (o: Record<string, unknown>): string => {
    const rows = Object.entries(o)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `<tr><th>${esc(field(k))}</th><td>${value(k, v)}</td></tr>`)
      .join('');
    return `<table class="record">${rows}</table>`;
  };

  const sections = (Object.keys(SECTIONS) as (keyof typeof SECTIONS)[])
    .map((key) => {
      const items = (data as unknown as Record<string, Record<string, unknown>[]>)[key] ?? [];
      const body = items.length
        ? items.map((it, i) => `<section class="item"><h3>${esc(t(PAGE.record))} ${i + 1}</h3>${record(it)}</section>`).join('')
        : `<p class="none">${esc(t(PAGE.none))}</p>`;
      return `<h2>${esc(t(SECTIONS[key]!))} (${items.length})</h2>${body}`;
    })
    .join('\n');

  const head = `<dl class="meta">
<dt>${esc(t(PAGE.reference))}</dt><dd>${esc(data.request.reference)}</dd>
<dt>${esc(t(PAGE.exportedAt))}</dt><dd>${scalar('exportedAt', data.request.exportedAt)}</dd>
<dt>${esc(t(PAGE.exportedBy))}</dt><dd>${esc(data.request.exportedBy)}</dd>
<dt>${esc(t(PAGE.total))}</dt><dd>${exportCount(data)}</dd>
</dl>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(t(PAGE.title))} — ${esc(data.request.reference)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:900px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1rem;margin:1rem 0 .3rem}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.meta dt{font-weight:600}
${RECORD_TABLE_CSS}
table.record th{width:30%;background:#f4f4f4;font-weight:600}table.record table.record th{width:35%}
.none{color:#555}@media print{body{margin:0;max-width:none}section.item{break-inside:avoid}}
</style>
</head>
<body>
<h1>${esc(t(PAGE.title))}</h1>
<p>${esc(t(PAGE.intro))}</p>
${head}
${sections}
</body>
</html>
`;
}
