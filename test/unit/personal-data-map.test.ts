// The retention module's map of personal data (server/src/modules/retention/personal-data.ts)
// against the schema itself: a column whose name looks like a person's data must be listed,
// either with the policy that removes it (or why it stays) or as no subject's data. A new
// column in prisma/schema/*.prisma fails here until someone decides.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETENTION_KINDS } from '@trustline/shared';
import { NOT_SUBJECT_DATA, NOT_SUBJECT_TABLE_PREFIXES, PERSONAL_DATA } from '../../server/src/modules/retention/personal-data.js';

const dir = join(import.meta.dirname, '../../prisma/schema');
const models = new Map<string, Map<string, string>>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.prisma'))) {
  const text = readFileSync(join(dir, file), 'utf8');
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, string>();
    for (const line of m[2]!.split('\n')) {
      const f = line.match(/^\s+(\w+)\s+([\w[\]?]+)/);
      if (f && !line.trim().startsWith('//') && !line.trim().startsWith('@@')) fields.set(f[1]!, f[2]!);
    }
    models.set(m[1]!, fields);
  }
}

/** Names that hold, or may hold, something about a person. */
const LOOKS_PERSONAL = new RegExp(
  'name|address|phone|sealed|masked|hash|body|note|summary|text|reason|recipient|caller|peer|recording|media|birth|^age$|email|' +
    'content|reference|referral|relation|factors|plan|actions|label|^ip$|useragent|secret|index|token|detail|number|greeting|' +
    'comment|description|signal|owner|country',
  'i',
);
const SCALAR = /^(String|Json|Int)(\[\])?\??$/;

describe('the personal-data map', () => {
  it('lists every column of the schema that looks personal', () => {
    const unlisted: string[] = [];
    for (const [model, fields] of models) {
      if (NOT_SUBJECT_TABLE_PREFIXES.some((p) => model.startsWith(p))) continue;
      for (const [field, type] of fields) {
        if (!SCALAR.test(type) || !LOOKS_PERSONAL.test(field) || /Id$|^id$/.test(field)) continue;
        if (PERSONAL_DATA[model]?.[field] || NOT_SUBJECT_DATA[model]?.includes(field)) continue;
        unlisted.push(`${model}.${field}`);
      }
    }
    expect(unlisted, 'add them to PERSONAL_DATA (with the policy that removes them) or NOT_SUBJECT_DATA').toEqual([]);
  });

  it('names only tables and columns that exist, each removed by a policy or kept for a reason', () => {
    for (const [model, cols] of Object.entries(PERSONAL_DATA)) {
      expect(models.has(model), model).toBe(true);
      for (const [field, col] of Object.entries(cols)) {
        expect(models.get(model)!.has(field), `${model}.${field}`).toBe(true);
        for (const k of col.removedBy) expect(RETENTION_KINDS).toContain(k);
        expect(col.removedBy.length > 0 || !!col.kept, `${model}.${field}: removed by a policy or kept with a reason`).toBe(true);
      }
    }
    for (const [model, cols] of Object.entries(NOT_SUBJECT_DATA)) for (const f of cols) expect(models.get(model)?.has(f), `${model}.${f}`).toBe(true);
  });
});
