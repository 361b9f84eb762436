import { auditActionLabel, auditActorText, auditDetailText, auditEntityLabel, auditGroupLabel, type AuditEntry } from '@trustline/shared';
import { locale } from './locale.svelte';
import { defineMessages } from './types';

// The labels of action codes, record kinds and detail keys live in shared/src/audit-actions.ts,
// both languages side by side, because the server writes the same labels into the CSV export.
// These helpers read them in the current language (reactive, as `t`).
export const actionLabel = (code: string) => auditActionLabel(code, locale.current);
export const entityLabel = (kind: string) => auditEntityLabel(kind, locale.current);
export const groupLabel = (group: string) => auditGroupLabel(group, locale.current);
export const actorText = (e: AuditEntry) => auditActorText(e, locale.current);
export const detailText = (e: AuditEntry) => auditDetailText(e.detail, locale.current, e.refs);

export const audit = defineMessages({
  en: {
    title: 'Audit log',
    intro: 'Who did what, to which record, when, why and from where. Newest first.',
    filters: 'Filters',
    action: 'Action',
    anyAction: 'Any action',
    allOfGroup: 'All: {group}',
    entity: 'Record type',
    anyEntity: 'Any record type',
    entityId: 'Record id',
    q: 'Record reference',
    qHint: 'A case or request number, a username, a line, or the start of an id.',
    anyone: 'Anyone',
    from: 'From (date)',
    to: 'To (date, inclusive)',
    apply: 'Apply filters',
    clear: 'Clear',
    at: 'When',
    actor: 'Who',
    what: 'Action',
    record: 'Record',
    reason: 'Reason',
    where: 'From where',
    detail: 'Detail',
    csv: 'Download CSV',
    csvHint: 'The entries matching these filters, up to 10,000. The download is itself recorded in this log.',
    empty: 'No entries match these filters.',
    shown: { one: '{count} entry shown', other: '{count} entries shown' },
    end: 'That is everything.',
  },
  ru: {
    title: 'Журнал аудита',
    intro: 'Кто, что и с какой записью сделал, когда, почему и откуда. Сначала новые.',
    filters: 'Фильтры',
    action: 'Действие',
    anyAction: 'Любое действие',
    allOfGroup: 'Все: {group}',
    entity: 'Тип записи',
    anyEntity: 'Любой тип записи',
    entityId: 'Идентификатор записи',
    q: 'Ссылка на запись',
    qHint: 'Номер случая или запроса, логин, линия или начало идентификатора.',
    anyone: 'Любой сотрудник',
    from: 'С (дата)',
    to: 'По (дата включительно)',
    apply: 'Применить',
    clear: 'Сбросить',
    at: 'Когда',
    actor: 'Кто',
    what: 'Действие',
    record: 'Запись',
    reason: 'Причина',
    where: 'Откуда',
    detail: 'Подробности',
    csv: 'Скачать CSV',
    csvHint: 'Записи, подходящие под фильтры, до 10 000. Сама выгрузка тоже попадает в этот журнал.',
    empty: 'Нет записей, подходящих под фильтры.',
    shown: { one: 'Показана {count} запись', few: 'Показаны {count} записи', many: 'Показано {count} записей', other: 'Показано {count} записи' },
    end: 'Больше записей нет.',
  },
});
