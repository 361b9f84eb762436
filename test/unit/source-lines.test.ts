// Prettier (npm run format) shapes the code, but it leaves a long string, comment or SQL line as it
// is. The house rule is that no line of code is wider than the formatter's print width.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.js';

const PRINT_WIDTH = (JSON.parse(readFileSync(`${ROOT}/.prettierrc.json`, 'utf8')) as { printWidth: number }).printWidth;
const CODE = /\.(ts|svelte|js|mjs|cjs|json)$/;
const NOT_CODE = /(^|\/)(package-lock\.json|prisma\/migrations\/|test\/fixtures\/)/;

describe('source lines', () => {
  it(`are at most ${PRINT_WIDTH} characters wide`, () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => CODE.test(f) && !NOT_CODE.test(f));
    const wide: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(`${ROOT}/${file}`, 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        if (line.length > PRINT_WIDTH) wide.push(`${file}:${i + 1} (${line.length})`);
      });
    }
    expect(wide).toEqual([]);
  });
});
