// The shape of translations. Each feature keeps its texts in one file (lib/i18n/<feature>.ts)
// with both languages side by side; English names the keys and Russian must give every one.

/** Plural forms, chosen with Intl.PluralRules for `params.count`. Russian uses one/few/many. */
export interface Plural {
  one: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | Plural;
export type Dictionary = Record<string, Message>;

export interface FeatureMessages<E extends Dictionary> {
  en: E;
  ru: { [K in keyof E]: Message };
}

/** Declares a feature's texts. Type-checks that Russian has every English key (and no other). */
export const defineMessages = <const E extends Dictionary>(messages: FeatureMessages<E>) => messages;
