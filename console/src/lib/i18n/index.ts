// The translation layer. Every visible text goes through `t(key, params)`.
// A feature adds lib/i18n/<feature>.ts (both languages, see types.ts) and ONE line to `features`
// below; its keys are then `<feature>.<key>`, type-checked at every call.
import type { Locale } from '@trustline/shared';
import { audit } from './audit';
import { auth } from './auth';
import { callers } from './callers';
import { cases } from './cases';
import { common } from './common';
import { contacts } from './contacts';
import { dispatch } from './dispatch';
import { errors } from './errors';
import { home } from './home';
import { locale } from './locale.svelte';
import { shell } from './shell';
import { telephony } from './telephony';
import type { Dictionary, Message, Plural } from './types';
import { users } from './users';
import { wallboard } from './wallboard';
import { reports } from './reports';
import { retention } from './retention';
import { privacy } from './privacy';
import { dataRequests } from './data-requests';

export const features = {
  common,
  dispatch,
  errors,
  shell,
  auth,
  home,
  users,
  audit,
  contacts,
  cases,
  telephony,
  callers,
  wallboard,
  reports,
  retention,
  privacy,
  dataRequests,
};

type Features = typeof features;
export type MessageKey = {
  [F in keyof Features]: `${F & string}.${keyof Features[F]['en'] & string}`;
}[keyof Features];
export type Params = Record<string, string | number>;

/** Flat catalogues, `feature.key` → message, one per language. */
export const catalog: Record<Locale, Record<string, Message>> = { ru: {}, en: {} };
for (const [feature, messages] of Object.entries(features) as [string, { en: Dictionary; ru: Dictionary }][]) {
  for (const lang of ['ru', 'en'] as const) {
    for (const [key, message] of Object.entries(messages[lang])) catalog[lang][`${feature}.${key}`] = message;
  }
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
function pluralForm(message: Plural, lang: Locale, count: number): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  const form = rules.select(count) as keyof Plural;
  return message[form] ?? message.other;
}

/** Formats a message in a given language; `t` is this for the current one. */
export function translate(lang: Locale, key: string, params?: Params): string {
  const message = catalog[lang][key] ?? catalog.en[key] ?? key;
  const text = typeof message === 'string' ? message : pluralForm(message, lang, Number(params?.count ?? 0));
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params?.[name] !== undefined ? String(params[name]) : whole));
}

/** The text for `key` in the current language. Reactive: templates re-render on a language switch. */
export function t(key: MessageKey, params?: Params): string {
  return translate(locale.current, key, params);
}

/** Whether a key exists (for texts chosen at run time, such as error codes). */
export const hasKey = (key: string): key is MessageKey => key in catalog.en;

/** A wait in words: "45 seconds", "15 minutes" (rounded up), in the current language. */
export function formatWait(seconds: number): string {
  return seconds < 60 ? t('common.seconds', { count: seconds }) : t('common.minutes', { count: Math.ceil(seconds / 60) });
}

/** Dates and times in the current language. */
/** Local midnight of a `YYYY-MM-DD` day (a date input's value) as an instant; `next` gives the
 * following midnight, so a range's "to" day is inclusive. Empty: undefined (no bound). */
export function localMidnight(day: string, next = false): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (next ? 1 : 0)).toISOString();
}

export function formatDateTime(iso: string | Date, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }) {
  return new Intl.DateTimeFormat(locale.current, opts).format(typeof iso === 'string' ? new Date(iso) : iso);
}

export { locale, LOCALES } from './locale.svelte';
