// .env.example lists every setting of server/src/config.ts with its default and a comment, and
// the README's "Every setting" table names each of them with the same default.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables, exampleVariables } from '../helpers/env-schema.js';

const config = configVariables();
const example = exampleVariables();

describe('.env.example', () => {
  it('lists every variable of server/src/config.ts, and no other', () => {
    expect(config.length).toBeGreaterThan(10);
    const documented = example.map((v) => v.name);
    expect(
      config.map((v) => v.name).filter((n) => !documented.includes(n)),
      'missing from .env.example',
    ).toEqual([]);
    expect(
      documented.filter((n) => !config.some((v) => v.name === n)),
      'in .env.example but not in config.ts',
    ).toEqual([]);
    expect(new Set(documented).size, 'listed twice').toBe(documented.length);
  });

  it('gives each variable its default (or "# NAME=" when it is unset by default) and a one-line comment', () => {
    for (const v of config) {
      const line = example.find((e) => e.name === v.name);
      if (!line) continue;
      if (v.default === undefined) {
        expect(line, `${v.name} has no default, so it is written "# ${v.name}="`).toMatchObject({ commented: true, value: '' });
      } else {
        expect({ name: v.name, value: line.value, commented: line.commented }).toEqual({ name: v.name, value: v.default, commented: false });
      }
      expect(line.comment, `${v.name} needs a comment on the line above`).toBeTruthy();
    }
  });
});

describe('README.md', () => {
  const whole = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const readme = whole.slice(whole.indexOf('## Every setting'), whole.indexOf('\n## ', whole.indexOf('## Every setting') + 1));
  it('names every setting in its table with the default .env.example gives', () => {
    for (const v of exampleVariables()) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${v.name}\` |`));
      expect(row, `${v.name} has no row in the README's settings table`).toBeTruthy();
      const shown = row!.split('|')[2]!.trim();
      expect(shown, `${v.name}'s default in the README`).toBe(v.commented ? 'unset' : v.value ? `\`${v.value}\`` : 'empty');
    }
  });
});
