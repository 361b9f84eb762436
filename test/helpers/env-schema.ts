// Reads the variables of server/src/config.ts (its EnvSchema) and of .env.example as text, so
// tests can hold the documentation, the compose file and the code in step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './process.js';

export interface EnvVar {
  name: string;
  /** The `.default(…)` (or, before a transform, `.prefault(…)`) value as a string, or undefined when the variable is unset by default. */
  default: string | undefined;
}

/** Every key of `const EnvSchema = z.object({ … })`, with its default. */
export function configVariables(file = join(ROOT, 'server/src/config.ts')): EnvVar[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('const EnvSchema = z.object({');
  if (start < 0) throw new Error('EnvSchema not found in config.ts');
  const end = text.indexOf('\n});', start);
  const vars: EnvVar[] = [];
  // A key's expression may span lines (the formatter breaks long chains); it runs to the next key.
  const entries = text.slice(start, end).split(/\n(?= {2}[A-Z][A-Z0-9_]*:)/);
  for (const entry of entries) {
    const m = entry.match(/^ {2}([A-Z][A-Z0-9_]*):\s*([\s\S]*)$/);
    if (!m) continue;
    // Comment lines after the expression belong to the next key.
    const code = m[2]!.split('\n').filter((l, i) => i === 0 || !/^\s*(\/\/|\/\*\*|\*)/.test(l));
    const expression = code.map((l) => l.trim()).join('');
    const d = expression.match(/\.(?:default|prefault)\((.*)\),?\s*$/);
    // The default is a literal or simple arithmetic (`15 * 60`, `1_048_576`).
    const value = d ? String(new Function(`return (${d[1]})`)()) : undefined;
    vars.push({ name: m[1]!, default: value });
  }
  return vars;
}

export interface ExampleLine {
  name: string;
  value: string;
  /** Written as `# NAME=`: unset by default. */
  commented: boolean;
  /** The comment line just above it. */
  comment: string | undefined;
}

export function exampleVariables(file = join(ROOT, '.env.example')): ExampleLine[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: ExampleLine[] = [];
  lines.forEach((line, i) => {
    const m = line.match(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/);
    if (!m) return;
    const above = lines[i - 1];
    out.push({
      name: m[2]!,
      value: m[3]!,
      commented: Boolean(m[1]),
      comment: above?.startsWith('# ') && !/^# [A-Z][A-Z0-9_]*=/.test(above) ? above.slice(2) : undefined,
    });
  });
  return out;
}
