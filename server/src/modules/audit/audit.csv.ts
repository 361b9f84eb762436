// The audit log as CSV for a data-protection officer or an inspector. In the language the
// person exporting reads (the console sends its own), as the reports CSV does: Russian headers
// and labels with `;` (Excel in a Russian locale splits on it), English ones with `,`. The
// action code and the record id are kept beside the labels in both, so a file can be matched
// against the log, or against a file exported in the other language.
import { auditActionLabel, auditActorText, auditDetailText, auditEntityLabel, type AuditEntry } from '@trustline/shared';
import { BOM, csvCell } from '../../csv.js';

export type CsvLang = 'ru' | 'en';

const HEAD = {
  at: ['Когда', 'When'],
  who: ['Кто', 'Who'],
  action: ['Действие', 'Action'],
  code: ['Код действия', 'Action code'],
  entity: ['Тип записи', 'Record type'],
  reference: ['Запись', 'Record'],
  entityId: ['Идентификатор записи', 'Record id'],
  reason: ['Причина', 'Reason'],
  detail: ['Подробности', 'Details'],
  ip: ['IP-адрес', 'IP address'],
} as const;

export function auditCsv(entries: readonly AuditEntry[], lang: CsvLang, timeZone: string): string {
  const sep = lang === 'ru' ? ';' : ',';
  const i = lang === 'ru' ? 0 : 1;
  // Local time of the centre, as every other date the centre reads; the zone is in the header.
  const time = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const header = Object.entries(HEAD).map(([k, v]) => (k === 'at' ? `${v[i]} (${timeZone})` : v[i]));
  const rows = entries.map((e) => [
    time.format(new Date(e.at)),
    auditActorText(e, lang),
    auditActionLabel(e.action, lang),
    e.action,
    e.entity ? auditEntityLabel(e.entity, lang) : '',
    [e.reference, e.referenceAt ? time.format(new Date(e.referenceAt)) : null].filter(Boolean).join(' · '),
    e.entityId ?? '',
    e.reason ?? '',
    auditDetailText(e.detail, lang, e.refs),
    e.ip ?? '',
  ]);
  return BOM + [header, ...rows].map((r) => r.map((c) => csvCell(c, sep)).join(sep)).join('\r\n') + '\r\n';
}
