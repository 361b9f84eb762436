// A caller as people read them: «Абонент K-ABCDE» / "Caller K-ABCDE" (or "Number withheld") and
// their history ("3rd contact, last 12 days ago"), in the reader's language. Never a digit of the
// number: the server sends none (docs/privacy.md, "Callers' numbers").
import type { CallerInfo } from '@trustline/shared';
import { locale, t, type MessageKey } from './i18n';

export function callerName(info: CallerInfo | null | undefined): string {
  return info?.label ? t('callers.label', { label: info.label }) : t('callers.withheld');
}

const ordinals = new Map<string, Intl.PluralRules>();
function ordinal(n: number): string {
  const lang = locale.current;
  let rules = ordinals.get(lang);
  if (!rules) ordinals.set(lang, (rules = new Intl.PluralRules(lang, { type: 'ordinal' })));
  const form = rules.select(n);
  const key = (['one', 'two', 'few'].includes(form) ? `callers.ord.${form}` : 'callers.ord.other') as MessageKey;
  return t(key, { n });
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "12 days ago" / «12 дней назад»: the largest whole unit (days up to 45, then months). */
export function timeAgo(iso: string, now = Date.now()): string {
  const secs = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  const fmt = new Intl.RelativeTimeFormat(locale.current, { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    const limit = unit === 'month' ? 45 * 86400 : size;
    if (secs >= limit || unit === 'second') return fmt.format(-Math.floor(secs / size), unit);
  }
  return fmt.format(0, 'second');
}

/** "3rd contact, last 12 days ago", "First contact", or '' for a withheld number. */
export function callerHistory(info: CallerInfo | null | undefined, now = Date.now()): string {
  const h = info?.history;
  if (!h) return '';
  if (h.earlier === 0 || !h.lastAt) return t('callers.first');
  return t('callers.history', { ordinal: ordinal(h.earlier + 1), ago: timeAgo(h.lastAt, now) });
}
