// The house has no import circles and no feature imports another feature's files
// (docs/architecture.md). Both are read from the source: every .ts file and every .svelte
// file's <script> blocks under server/src, shared/src and console/src, parsed by the TypeScript
// compiler. `import type` counts like any other import: a type-only circle still ties two files
// together, and the next value import along it makes a real one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.js';

const ROOTS = ['server/src', 'shared/src', 'console/src'];
const ALIASES: Record<string, string> = { '@trustline/shared': 'shared/src/index.ts' };
// Prisma's generated client is not ours and has circles of its own.
const SKIPPED = new Set(['server/src/generated']);

// Cross-feature imports that were there before the rule; each is to go. A new one fails the test,
// and so does an entry here once its import is gone (delete the line). Imports of audit's types
// (Actor, AuditService) are tolerated everywhere and are not listed. Read as
// "<importing file, under server/src/modules> -> <imported file>".
const CROSS_FEATURE_ALLOWED = new Set<string>([]);
const AUDIT_TYPES = new Set(['Actor', 'AuditService']);

interface Edge {
  from: string;
  to: string;
  /** The names it brings in, and whether all of them are types only. */
  names: string[];
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (SKIPPED.has(path)) return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The script of a .svelte file (both blocks, module and instance), or the .ts file itself. */
function scriptOf(path: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8');
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** A relative or aliased specifier to a source file under ROOTS; packages and assets to null. */
function resolveSpecifier(from: string, spec: string, known: Set<string>): string | null {
  let base: string;
  if (ALIASES[spec]) base = ALIASES[spec];
  else if (spec.startsWith('./') || spec.startsWith('../'))
    base = relative(ROOT, resolve(ROOT, dirname(from), spec))
      .split('\\')
      .join('/');
  else return null;
  // `.js` specifiers name the `.ts` file (NodeNext); the console also writes `.ts` or nothing.
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => known.has(c)) ?? null;
}

function importsOf(path: string, known: Set<string>): Edge[] {
  const file = ts.createSourceFile(path, scriptOf(path), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (spec: ts.Node | undefined, names: string[], typeOnly: boolean) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const to = resolveSpecifier(path, spec.text, known);
    if (to) edges.push({ from: path, to, names, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : [];
      const names = [...(clause?.name ? [clause.name.text] : []), ...named.map((e) => (e.propertyName ?? e.name).text)];
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? ['*'] : names, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : [];
      add(node.moduleSpecifier, named.length ? named.map((e) => (e.propertyName ?? e.name).text) : ['*'], node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, node.qualifier ? [node.qualifier.getText(file)] : ['*'], true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], ['*'], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edges;
}

/** Every circle, each once, as the files along it with the first repeated at the end. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const walk = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // The same circle found from another starting file is the same circle.
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const key = [...cycle.slice(start), ...cycle.slice(0, start)].join(' -> ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node);
  return cycles;
}

const files = ROOTS.flatMap(sourceFiles);
const known = new Set(files);
const edges = files.flatMap((f) => importsOf(f, known));
const graph = new Map<string, string[]>(files.map((f) => [f, []]));
for (const e of edges) if (!graph.get(e.from)!.includes(e.to)) graph.get(e.from)!.push(e.to);

describe('import graph', () => {
  it('reads the whole house', () => {
    // A guard against a resolver that silently finds nothing.
    expect(files.length).toBeGreaterThan(300);
    expect(files.some((f) => f.endsWith('.svelte'))).toBe(true);
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges.some((e) => e.from.endsWith('.svelte'))).toBe(true);
    expect(edges.some((e) => e.from.startsWith('server/') && e.to === 'shared/src/index.ts')).toBe(true);
  });

  it('finds a circle when there is one (the check itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import circles, type-only imports included', () => {
    const cycles = findCycles(graph).map((c) => c.join(' -> '));
    expect(cycles, `import circles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('has no feature importing another feature, but for the allowed ones', () => {
    const feature = (path: string) => /^server\/src\/modules\/([^/]+)\//.exec(path)?.[1];
    const found = new Set<string>();
    for (const e of edges) {
      const a = feature(e.from);
      const b = feature(e.to);
      if (!a || !b || a === b) continue;
      if (b === 'audit' && e.typeOnly && e.names.every((n) => AUDIT_TYPES.has(n))) continue;
      found.add(`${e.from.slice('server/src/modules/'.length)} -> ${e.to.slice('server/src/modules/'.length)}`);
    }
    const added = [...found].filter((x) => !CROSS_FEATURE_ALLOWED.has(x)).sort();
    const gone = [...CROSS_FEATURE_ALLOWED].filter((x) => !found.has(x)).sort();
    expect(added, `new cross-feature imports (go through Services or domain events instead):\n${added.join('\n')}`).toEqual([]);
    expect(gone, `allowed cross-feature imports that are gone (delete them from CROSS_FEATURE_ALLOWED):\n${gone.join('\n')}`).toEqual([]);
  });
});
