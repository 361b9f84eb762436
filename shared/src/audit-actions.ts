// Every action the server writes to the audit log, with what a person reads for it in both
// languages. `audit.record` only takes an `AuditAction`, so a new code does not compile until it
// is added here, and the map below does not compile until it has both labels: a data-protection
// officer reading the log never meets a bare code. The labels live in shared (not only in the
// console's i18n) because the server writes them into the CSV export as well.

export const AUDIT_ACTION_LABELS = {
  // Sign-in and accounts
  'auth.login': { en: 'Signed in', ru: 'Вход в систему' },
  'auth.login.failed': { en: 'Failed sign-in', ru: 'Неудачная попытка входа' },
  'auth.login.throttled': { en: 'Sign-in blocked (too many attempts)', ru: 'Вход заблокирован (слишком много попыток)' },
  'auth.logout': { en: 'Signed out', ru: 'Выход из системы' },
  'auth.login.password-ok': { en: 'Password accepted, second step due', ru: 'Пароль принят, ожидается второй шаг' },
  'auth.totp.failed': { en: 'Wrong two-factor code', ru: 'Неверный код двухфакторного входа' },
  'auth.totp.enable': { en: 'Turned on two-factor sign-in', ru: 'Включён двухфакторный вход' },
  'auth.totp.disable': { en: 'Turned off two-factor sign-in', ru: 'Отключён двухфакторный вход' },
  'auth.totp.reset': { en: 'Reset two-factor sign-in of a staff account', ru: 'Сброшен двухфакторный вход сотрудника' },
  'auth.session.list': { en: 'Viewed a staff member’s sessions', ru: 'Просмотрены сеансы сотрудника' },
  'auth.session.end': { en: 'Ended a session', ru: 'Завершён сеанс' },
  'auth.session.end-all': { en: 'Signed out everywhere', ru: 'Выход на всех устройствах' },
  'setup.first-admin': { en: 'Created the first administrator', ru: 'Создан первый администратор' },
  'user.create': { en: 'Created a staff account', ru: 'Создана учётная запись сотрудника' },
  'user.update': { en: 'Changed a staff account', ru: 'Изменена учётная запись сотрудника' },
  'user.deactivate': { en: 'Deactivated a staff account', ru: 'Учётная запись сотрудника отключена' },
  'user.reset-password': { en: 'Reset a password', ru: 'Сброшен пароль' },
  // Telephony
  'telephony.call.answer': { en: 'Answered a call', ru: 'Принят звонок' },
  'telephony.call.assign': { en: 'Call given to an operator', ru: 'Звонок передан оператору' },
  'telephony.call.hangup': { en: 'Hung up a call', ru: 'Звонок завершён' },
  'telephony.call.transfer': { en: 'Transferred a call', ru: 'Звонок переведён' },
  'telephony.call.listen': { en: 'Listened in to a call', ru: 'Прослушивание звонка' },
  'telephony.call.join': { en: 'Joined a call', ru: 'Подключение к звонку' },
  'telephony.conversation.read': { en: 'Read a conversation', ru: 'Просмотрена переписка' },
  'telephony.conversation.close': { en: 'Closed a conversation', ru: 'Переписка закрыта' },
  'telephony.sms.reply': { en: 'Replied by text', ru: 'Отправлен ответ' },
  'telephony.line.create': { en: 'Added a phone line', ru: 'Добавлена линия' },
  'telephony.line.update': { en: 'Changed a phone line', ru: 'Изменена линия' },
  'telephony.callback.dial': { en: 'Called back (number decrypted)', ru: 'Обратный звонок (номер расшифрован)' },
  'telephony.callback.close': { en: 'Closed a call-back request', ru: 'Запрос обратного звонка закрыт' },
  // Contacts
  'contact.identity.read': { en: 'Viewed identity details of a contact', ru: 'Просмотрены личные данные обращения' },
  'contact.identity.update': { en: 'Changed identity details of a contact', ru: 'Изменены личные данные обращения' },
  'contact.identity.remove': { en: 'Removed identity details (consent withdrawn)', ru: 'Личные данные удалены (согласие отозвано)' },
  'contact.identity.anonymise': { en: 'Identity details anonymised (retention period)', ru: 'Личные данные обезличены (срок хранения)' },
  'contact.risk-override': { en: 'Overrode the risk level', ru: 'Уровень риска изменён вручную' },
  'contact.finalise': { en: 'Completed a contact', ru: 'Обращение завершено' },
  'contact.reopen': { en: 'Reopened a contact', ru: 'Обращение открыто повторно' },
  'contact.r4-sign-off': { en: 'Signed off an imminent-risk contact', ru: 'Подтверждено обращение с непосредственной угрозой' },
  'contact.alert-ack': { en: 'Acknowledged a high-risk alert', ru: 'Принято оповещение о высоком риске' },
  'caller.flag': { en: 'Flagged a caller', ru: 'Отмечен абонент' },
  'contact.search.excerpts': { en: 'Searched contacts and saw note excerpts', ru: 'Поиск обращений с показом фрагментов записей' },
  'caller.number.reveal': { en: "Revealed a caller's number (break-glass)", ru: 'Раскрыт номер абонента (экстренный доступ)' },
  'taxonomy.create': { en: 'Added a category', ru: 'Добавлена категория' },
  'taxonomy.update': { en: 'Changed a category', ru: 'Изменена категория' },
  'areas.create': { en: 'Added an area', ru: 'Добавлена территория' },
  'areas.update': { en: 'Changed an area', ru: 'Изменена территория' },
  // Cases
  'case.create': { en: 'Opened a case', ru: 'Открыт случай' },
  'case.read': { en: 'Viewed a case', ru: 'Просмотрен случай' },
  'case.list': { en: 'Listed cases', ru: 'Просмотрен список случаев' },
  'case.list-mine': { en: 'Listed own cases', ru: 'Просмотрен список своих случаев' },
  'case.glimpse': { en: 'Looked up cases of a contact', ru: 'Просмотрены случаи по обращению' },
  'case.link-contact': { en: 'Linked a contact to a case', ru: 'Обращение привязано к случаю' },
  'case.take': { en: 'Took a case as curator', ru: 'Случай взят куратором' },
  'case.assign': { en: 'Assigned a case curator', ru: 'Назначен куратор случая' },
  'case.stage': { en: 'Moved a case to another stage', ru: 'Случай переведён на другой этап' },
  'case.close': { en: 'Closed a case', ru: 'Случай закрыт' },
  'case.reopen': { en: 'Reopened a case', ru: 'Случай открыт повторно' },
  'case.application': { en: 'Recorded the application date', ru: 'Записана дата заявления' },
  'case.deadline-met': { en: 'Marked a deadline as met', ru: 'Срок отмечен выполненным' },
  'case.plan.goal-add': { en: 'Added a plan goal', ru: 'Добавлена цель плана' },
  'case.plan.goal-remove': { en: 'Removed a plan goal', ru: 'Удалена цель плана' },
  'case.plan.task-add': { en: 'Added a plan task', ru: 'Добавлена задача плана' },
  'case.plan.task-update': { en: 'Changed a plan task', ru: 'Изменена задача плана' },
  'case.note': { en: 'Added a case note', ru: 'Добавлена запись в случай' },
  'case.timeline': { en: 'Viewed a case timeline', ru: 'Просмотрена хронология случая' },
  'case.results': { en: 'Viewed case results', ru: 'Просмотрены результаты по случаям' },
  'calendar.set-day': { en: 'Set a working-calendar day', ru: 'Изменён день производственного календаря' },
  'calendar.remove-day': { en: 'Removed a working-calendar day', ru: 'Удалён день производственного календаря' },
  // Dispatch and directory
  'dispatch.create': { en: 'Requested urgent help', ru: 'Создан запрос срочной помощи' },
  'dispatch.read': { en: 'Viewed a recipient of urgent help', ru: 'Просмотрены данные получателя помощи' },
  'dispatch.offer-to': { en: 'Offered a dispatch to a provider', ru: 'Запрос предложен поставщику' },
  'dispatch.cancel': { en: 'Cancelled a dispatch', ru: 'Запрос помощи отменён' },
  'dispatch.fail': { en: 'Marked a dispatch as failed', ru: 'Запрос помощи отмечен невыполненным' },
  'dispatch.mark-delivered': { en: 'Marked help as delivered', ru: 'Помощь отмечена оказанной' },
  'directory.import': { en: 'Imported the provider directory', ru: 'Импортирован справочник поставщиков' },
  'directory.export': { en: 'Exported the provider directory', ru: 'Выгружен справочник поставщиков' },
  'directory.organization.save': { en: 'Saved a provider organisation', ru: 'Сохранена организация-поставщик' },
  'directory.service.save': { en: 'Saved a provider service', ru: 'Сохранена услуга поставщика' },
  'directory.service.delete': { en: 'Deleted a provider service', ru: 'Удалена услуга поставщика' },
  'directory.capacity.update': { en: 'Changed free places', ru: 'Изменено число свободных мест' },
  // Reports, wallboard, the audit log itself
  'report.view': { en: 'Viewed a report', ru: 'Просмотрен отчёт' },
  'report.export': { en: 'Exported a report table', ru: 'Выгружена таблица отчёта' },
  'wallboard.kiosk-create': { en: 'Created a wallboard screen', ru: 'Создан экран табло' },
  'wallboard.kiosk-revoke': { en: 'Revoked a wallboard screen', ru: 'Экран табло отключён' },
  'wallboard.kiosk-sign-in': { en: 'Wallboard screen signed in', ru: 'Вход экрана табло' },
  'wallboard.assign-call': { en: 'Gave a call to an operator from the wallboard', ru: 'Звонок передан оператору с табло' },
  'wallboard.assign-conversation': { en: 'Gave a conversation to an operator from the wallboard', ru: 'Переписка передана оператору с табло' },
  'wallboard.operator-state': { en: "Changed an operator's state", ru: 'Изменён статус оператора' },
  'wallboard.broadcast': { en: 'Sent a message to the shift', ru: 'Отправлено сообщение смене' },
  'audit.export': { en: 'Exported the audit log', ru: 'Выгружен журнал аудита' },
  // Privacy: consents and the breach register (docs/privacy.md)
  'consent.list': { en: 'Viewed consents', ru: 'Просмотрены согласия' },
  'consent.record': { en: 'Recorded a consent', ru: 'Записано согласие' },
  'consent.withdraw': { en: 'Recorded a withdrawal of consent', ru: 'Записан отзыв согласия' },
  'breach.create': { en: 'Recorded a personal-data breach', ru: 'Зарегистрирована утечка персональных данных' },
  'breach.list': { en: 'Viewed the breach register', ru: 'Просмотрен реестр утечек' },
  'breach.read': { en: 'Viewed a breach', ru: 'Просмотрена запись об утечке' },
  'breach.update': { en: 'Changed a breach record', ru: 'Изменена запись об утечке' },
  'breach.notice': { en: 'Recorded a breach notice sent', ru: 'Записано отправленное уведомление об утечке' },
  // A person's requests: access and erasure (152-FZ art. 14, 21; docs/privacy.md)
  'data-request.search': { en: "Searched for a person's data (a person's request)", ru: 'Поиск данных субъекта (запрос субъекта)' },
  'data-request.export': { en: "Exported a person's data (access request)", ru: 'Выгружены данные субъекта (запрос на доступ)' },
  'data-request.erase': { en: "Erased a person's data (erasure request)", ru: 'Данные субъекта обезличены (запрос на удаление)' },
  // Retention and destruction records (docs/privacy.md)
  'retention.destroy': {
    en: 'Personal data destroyed (retention period): destruction record written',
    ru: 'Персональные данные уничтожены (срок хранения): составлен акт',
  },
  'retention.run': { en: 'Ran retention now', ru: 'Запущено уничтожение по срокам хранения' },
} as const satisfies Record<string, { en: string; ru: string }>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

/** The groups of the action filter, in the order a person scans them: the first part of the code. */
export const AUDIT_ACTION_GROUPS = {
  auth: { en: 'Sign-in', ru: 'Вход' },
  setup: { en: 'First setup', ru: 'Первая настройка' },
  user: { en: 'Staff accounts', ru: 'Учётные записи' },
  telephony: { en: 'Calls and messages', ru: 'Звонки и сообщения' },
  contact: { en: 'Contacts', ru: 'Обращения' },
  caller: { en: 'Callers', ru: 'Абоненты' },
  taxonomy: { en: 'Categories', ru: 'Категории' },
  areas: { en: 'Areas', ru: 'Территории' },
  case: { en: 'Cases', ru: 'Случаи' },
  calendar: { en: 'Working calendar', ru: 'Производственный календарь' },
  dispatch: { en: 'Urgent help', ru: 'Срочная помощь' },
  directory: { en: 'Provider directory', ru: 'Справочник поставщиков' },
  report: { en: 'Reports', ru: 'Отчёты' },
  wallboard: { en: 'Wallboard', ru: 'Табло' },
  audit: { en: 'Audit log', ru: 'Журнал аудита' },
  consent: { en: 'Consents', ru: 'Согласия' },
  breach: { en: 'Breach register', ru: 'Реестр утечек' },
  retention: { en: 'Retention and destruction', ru: 'Сроки хранения и уничтожение' },
  'data-request': { en: "A person's requests", ru: 'Запросы субъектов данных' },
} as const satisfies Record<string, { en: string; ru: string }>;
export type AuditActionGroup = keyof typeof AUDIT_ACTION_GROUPS;
export const auditActionGroup = (a: string) => a.split('.')[0] ?? a;

/** The kinds of record an entry names (`AuditLog.entity`), with their labels. */
export const AUDIT_ENTITY_LABELS = {
  User: { en: 'Staff account', ru: 'Учётная запись' },
  Call: { en: 'Call', ru: 'Звонок' },
  Conversation: { en: 'Conversation', ru: 'Переписка' },
  Line: { en: 'Phone line', ru: 'Линия' },
  CallbackRequest: { en: 'Call-back request', ru: 'Запрос обратного звонка' },
  Contact: { en: 'Contact', ru: 'Обращение' },
  Category: { en: 'Category', ru: 'Категория' },
  Area: { en: 'Area', ru: 'Территория' },
  Case: { en: 'Case', ru: 'Случай' },
  CalendarDay: { en: 'Calendar day', ru: 'День календаря' },
  Dispatch: { en: 'Urgent help request', ru: 'Запрос срочной помощи' },
  Directory: { en: 'Provider directory', ru: 'Справочник поставщиков' },
  DirOrganization: { en: 'Provider organisation', ru: 'Организация-поставщик' },
  DirService: { en: 'Provider service', ru: 'Услуга поставщика' },
  DirServiceCapacity: { en: 'Free places', ru: 'Свободные места' },
  report: { en: 'Report', ru: 'Отчёт' },
  message: { en: 'Shift message', ru: 'Сообщение смене' },
  AuditLog: { en: 'Audit log', ru: 'Журнал аудита' },
  Consent: { en: 'Consent', ru: 'Согласие' },
  DataBreach: { en: 'Personal-data breach', ru: 'Утечка персональных данных' },
  DestructionRecord: { en: 'Destruction record', ru: 'Акт об уничтожении' },
  DataRequest: { en: "A person's request", ru: 'Запрос субъекта данных' },
} as const satisfies Record<string, { en: string; ru: string }>;
export type AuditEntity = keyof typeof AUDIT_ENTITY_LABELS;
export const AUDIT_ENTITIES = Object.keys(AUDIT_ENTITY_LABELS) as AuditEntity[];

export type AuditLang = 'en' | 'ru';
const has = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);

/** A code the log holds but this build no longer knows (an older release) shows as itself. */
export const auditActionLabel = (action: string, lang: AuditLang) => (has(AUDIT_ACTION_LABELS, action) ? AUDIT_ACTION_LABELS[action][lang] : action);
export const auditEntityLabel = (entity: string, lang: AuditLang) => (has(AUDIT_ENTITY_LABELS, entity) ? AUDIT_ENTITY_LABELS[entity][lang] : entity);
export const auditGroupLabel = (group: string, lang: AuditLang) => (has(AUDIT_ACTION_GROUPS, group) ? AUDIT_ACTION_GROUPS[group][lang] : group);

/** "System: cli" for actors recorded as `system:<job>`. */
export const auditSystemLabel = (label: string, lang: AuditLang) => `${lang === 'ru' ? 'Система' : 'System'}: ${label.slice('system:'.length)}`;

/** Readable names of the keys an entry's detail holds; a key not listed shows as written. */
export const AUDIT_DETAIL_LABELS = {
  reason: { en: 'reason', ru: 'причина' },
  fields: { en: 'fields changed', ru: 'изменённые поля' },
  roles: { en: 'roles', ru: 'роли' },
  operatorId: { en: 'operator', ru: 'оператор' },
  targetId: { en: 'to', ru: 'кому' },
  mode: { en: 'mode', ru: 'режим' },
  messageId: { en: 'message', ru: 'сообщение' },
  decrypted: { en: 'decrypted', ru: 'расшифровано' },
  label: { en: 'caller', ru: 'абонент' },
  origin: { en: 'origin', ru: 'источник' },
  contacts: { en: 'contacts', ru: 'обращений' },
  members: { en: 'family members', ru: 'членов семьи' },
  consent: { en: 'consent', ru: 'согласие' },
  count: { en: 'count', ru: 'количество' },
  filter: { en: 'filter', ru: 'фильтр' },
  filters: { en: 'filters', ru: 'фильтры' },
  rows: { en: 'rows', ru: 'строк' },
  cases: { en: 'cases', ru: 'случаи' },
  contactId: { en: 'contact', ru: 'обращение' },
  from: { en: 'from', ru: 'с' },
  to: { en: 'to', ru: 'по' },
  applicationDate: { en: 'application date', ru: 'дата заявления' },
  deadlineId: { en: 'deadline', ru: 'срок' },
  kind: { en: 'kind', ru: 'вид' },
  metOn: { en: 'met on', ru: 'выполнен' },
  part: { en: 'plan part', ru: 'раздел плана' },
  entries: { en: 'entries', ru: 'записей' },
  retentionDays: { en: 'retention (days)', ru: 'срок хранения (дней)' },
  periodDays: { en: 'retention (days)', ru: 'срок хранения (дней)' },
  kinds: { en: 'kinds', ru: 'виды' },
  view: { en: 'view', ru: 'вид' },
  level: { en: 'level', ru: 'уровень' },
  computed: { en: 'computed', ru: 'рассчитанный' },
  riskLevel: { en: 'risk level', ru: 'уровень риска' },
  serviceId: { en: 'service', ru: 'услуга' },
  identified: { en: 'identified', ru: 'с идентификацией' },
  counts: { en: 'counts', ru: 'количество' },
  warnings: { en: 'warnings', ru: 'предупреждений' },
  format: { en: 'format', ru: 'формат' },
  available: { en: 'available', ru: 'свободно' },
  maximum: { en: 'maximum', ru: 'всего' },
  state: { en: 'state', ru: 'статус' },
  length: { en: 'length', ru: 'длина' },
  lang: { en: 'language', ru: 'язык' },
  text: { en: 'text search', ru: 'поиск по тексту' },
  contactIds: { en: 'contacts shown', ru: 'показанные обращения' },
  name: { en: 'name search', ru: 'поиск по имени' },
  group: { en: 'action group', ru: 'группа действий' },
  action: { en: 'action', ru: 'действие' },
  actorId: { en: 'who', ru: 'кто' },
  caseId: { en: 'case', ru: 'случай' },
  purpose: { en: 'purpose', ru: 'цель' },
  method: { en: 'method', ru: 'способ' },
  entity: { en: 'record kind', ru: 'вид записи' },
  entityId: { en: 'record', ru: 'запись' },
  number: { en: 'number', ru: 'номер' },
  dataKinds: { en: 'kinds of data', ru: 'виды данных' },
  peopleAffected: { en: 'people affected', ru: 'затронуто человек' },
  noticeId: { en: 'notice', ru: 'уведомление' },
  sentAt: { en: 'sent at', ru: 'отправлено' },
  by: { en: 'searched by', ru: 'поиск по' },
  records: { en: 'records', ru: 'записей' },
  caseNumber: { en: 'case number', ru: 'номер случая' },
  destructionNumber: { en: 'destruction record', ru: 'акт уничтожения' },
  destructionRecordId: { en: 'destruction record id', ru: 'идентификатор акта' },
  tables: { en: 'tables', ru: 'таблицы' },
} as const satisfies Record<string, { en: string; ru: string }>;
export const auditDetailLabel = (key: string, lang: AuditLang) => (has(AUDIT_DETAIL_LABELS, key) ? AUDIT_DETAIL_LABELS[key][lang] : key);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/**
 * An entry's detail as one line of text: `key: value; key: value`, nested objects in brackets,
 * ids replaced by the readable reference the server found for them (`refs`), yes/no for flags.
 * Used by the console and by the CSV export so both read the same.
 */
export function auditDetailText(
  detail: Record<string, unknown> | null | undefined,
  lang: AuditLang,
  refs: Record<string, { entity: string; text: string }> = {},
  skip: readonly string[] = ['reason'],
): string {
  if (!detail) return '';
  const ref = (id: string) => {
    const r = refs[id];
    if (!r) return id.slice(0, 8);
    return r.entity === 'User' ? r.text : `${auditEntityLabel(r.entity, lang)} ${r.text}`;
  };
  const value = (v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'boolean') return v ? (lang === 'ru' ? 'да' : 'yes') : lang === 'ru' ? 'нет' : 'no';
    if (isUuid(v)) return ref(v);
    if (Array.isArray(v)) return v.length ? v.map(value).join(', ') : '—';
    if (typeof v === 'object') return `(${pairs(v as Record<string, unknown>)})`;
    return String(v);
  };
  const pairs = (o: Record<string, unknown>) =>
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${auditDetailLabel(k, lang)}: ${value(v)}`)
      .join('; ');
  return pairs(Object.fromEntries(Object.entries(detail).filter(([k]) => !skip.includes(k))));
}

/** The reason given for an action (a break-glass reason, a closing reason), when there is one. */
export const auditReason = (detail: Record<string, unknown> | null | undefined): string | null =>
  detail && typeof detail.reason === 'string' && detail.reason.trim() ? detail.reason : null;

/** Who acted, as a person reads it: "Display Name (username)", "System: cli", or the name a
 * failed sign-in typed, marked as not signed in. */
export function auditActorText(e: { actor: { displayName: string; username: string } | null; actorLabel: string | null }, lang: AuditLang): string {
  if (e.actor) return `${e.actor.displayName} (${e.actor.username})`;
  if (e.actorLabel?.startsWith('system:')) return auditSystemLabel(e.actorLabel, lang);
  if (e.actorLabel) return `${e.actorLabel} (${lang === 'ru' ? 'без входа' : 'not signed in'})`;
  return lang === 'ru' ? 'Система' : 'System';
}
