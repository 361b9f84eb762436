// The interface language: from localStorage if the person chose one, else from the browser,
// else Russian. Kept in one $state so every `t()` call in a template re-renders on a switch.
import type { Locale } from '@trustline/shared';

export const LOCALES: readonly Locale[] = ['ru', 'en'];
const STORAGE_KEY = 'tl.locale';

function stored(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'ru' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

/** The first browser language we speak; Russian when none matches. */
export function fromBrowser(languages: readonly string[] = globalThis.navigator?.languages ?? []): Locale {
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'ru';
}

class LocaleState {
  current = $state<Locale>(stored() ?? fromBrowser());

  set(next: Locale) {
    this.current = next;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  }
}

export const locale = new LocaleState();
