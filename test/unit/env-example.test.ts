// .env.example lists every setting of server/src/config.ts with its default and a comment.
import { describe, expect, it } from 'vitest';
import { configVariables, exampleVariables } from '../helpers/env-schema.js';

const config = configVariables();
const example = exampleVariables();

describe('.env.example', () => {
  it('lists every variable of server/src/config.ts, and no other', () => {
    expect(config.length).toBeGreaterThan(10);
    const documented = example.map((v) => v.name);
    expect(config.map((v) => v.name).filter((n) => !documented.includes(n)), 'missing from .env.example').toEqual([]);
    expect(documented.filter((n) => !config.some((v) => v.name === n)), 'in .env.example but not in config.ts').toEqual([]);
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
