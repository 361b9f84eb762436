// The console's translation layer: both languages have every key, the same placeholders and
// the plural forms their grammar needs; formatting picks the right form.
import { describe, expect, it } from 'vitest';
import { catalog, features, translate } from '../../console/src/lib/i18n/index.js';
import { fromBrowser } from '../../console/src/lib/i18n/locale.svelte.js';
import type { Message } from '../../console/src/lib/i18n/types.js';

const placeholders = (m: Message) => [...new Set((typeof m === 'string' ? [m] : Object.values(m)).join(' ').match(/\{\w+\}/g) ?? [])].sort();

describe('dictionaries', () => {
  for (const [feature, messages] of Object.entries(features)) {
    it(`${feature}: Russian and English have the same keys, placeholders and no empty text`, () => {
      const en = messages.en as Record<string, Message>;
      const ru = messages.ru as Record<string, Message>;
      expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(placeholders(ru[key]!), `${feature}.${key}`).toEqual(placeholders(en[key]!));
        for (const text of [en[key]!, ru[key]!].flatMap((m) => (typeof m === 'string' ? [m] : Object.values(m)))) {
          expect(text.trim(), `${feature}.${key}`).not.toBe('');
        }
      }
    });
  }

  it('gives plural messages the forms each language needs', () => {
    for (const key of Object.keys(catalog.en)) {
      const en = catalog.en[key]!;
      const ru = catalog.ru[key]!;
      expect(typeof ru, key).toBe(typeof en);
      if (typeof en === 'string' || typeof ru === 'string') continue;
      expect(en, key).toMatchObject({ one: expect.any(String), other: expect.any(String) });
      expect(ru, key).toMatchObject({ one: expect.any(String), few: expect.any(String), many: expect.any(String), other: expect.any(String) });
    }
  });

  it('flattens every feature into feature.key in both catalogues', () => {
    const expected = Object.entries(features)
      .flatMap(([f, m]) => Object.keys(m.en).map((k) => `${f}.${k}`))
      .sort();
    expect(Object.keys(catalog.en).sort()).toEqual(expected);
    expect(Object.keys(catalog.ru).sort()).toEqual(expected);
  });
});

describe('translate', () => {
  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'home.greeting', { name: 'Anna' })).toBe('Hello, Anna');
    expect(translate('en', 'home.greeting')).toBe('Hello, {name}');
  });

  it.each([
    ['ru', 1, 'На связи 1 человек'],
    ['ru', 3, 'На связи 3 человека'],
    ['ru', 5, 'На связи 5 человек'],
    ['ru', 21, 'На связи 21 человек'],
    ['ru', 22, 'На связи 22 человека'],
    ['en', 1, '1 person online'],
    ['en', 2, '2 people online'],
  ] as const)('picks the %s plural form for %i', (lang, count, text) => {
    expect(translate(lang, 'home.onlineCount', { count })).toBe(text);
  });

  it('falls back to the key itself for a missing key, so the gap is visible', () => {
    expect(translate('ru', 'nope.missing')).toBe('nope.missing');
  });
});

describe('language from the browser', () => {
  it.each([
    [['ru-RU', 'en'], 'ru'],
    [['en-GB'], 'en'],
    [['de-DE', 'en-US', 'ru'], 'en'],
    [['de-DE'], 'ru'],
    [[], 'ru'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(fromBrowser(languages)).toBe(expected);
  });
});
