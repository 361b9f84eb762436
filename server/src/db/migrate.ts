// Offline migrations: Prisma's schema engine compiled to WebAssembly, driven through the same
// driver adapter the app uses. Keeps Prisma's folder layout (prisma/migrations/<name>/migration.sql
// and migration_lock.toml), so `prisma migrate deploy` works on the same folders where the
// native engine can be downloaded. See docs/decisions/0002-offline-prisma.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export const PRISMA_DIR = resolve(import.meta.dirname, '../../../prisma');
export const SCHEMA_DIR = join(PRISMA_DIR, 'schema');
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');

const NO_FILTERS = { externalTables: [], externalEnums: [] };

interface WasmSchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let enginePromise: Promise<{ SchemaEngine: { new: (...a: unknown[]) => Promise<WasmSchemaEngine> } }> | undefined;

/** The package's `exports` hide the .wasm file and Node's ESM loader cannot import .wasm, so the
 * module is instantiated by hand with the generated bindings as its import object. */
function loadWasmModule() {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bindings = await import(join(pkgDir, 'schema_engine_bg.js'));
    const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bindings;
  })();
  return enginePromise;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every `;`, which breaks
 * PL/pgSQL bodies (the audit log's append-only trigger). PostgreSQL's simple-query protocol runs
 * a whole multi-statement script in one implicit transaction, so the script is sent whole.
 */
function wholeScriptAdapters(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  type PgLike = { underlyingDriver?: () => { query?: (sql: string) => Promise<unknown> } };
  const patch = <A extends object>(adapter: A): A => {
    const driver = (adapter as PgLike).underlyingDriver?.();
    if (factory.adapterName.includes('adapter-pg') && driver?.query) {
      Object.assign(adapter, { executeScript: async (script: string) => void (await driver.query!(script)) });
    }
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void,
  fn: (engine: WasmSchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadWasmModule();
  const engine = await SchemaEngine.new(
    { datamodels: readSchemaFiles().map((f) => [f.path, f.content]) },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(wholeScriptAdapters(adapterFactory)),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

/** The schema is a folder of .prisma files, one per feature (Prisma's multi-file schema). */
export function readSchemaFiles(dir = SCHEMA_DIR): { path: string; content: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.prisma'))
    .sort()
    .map((f) => ({ path: join(dir, f), content: readFileSync(join(dir, f), 'utf8') }));
}

/** Prisma's MigrationList: every migration folder with its SQL, in name order. */
export function readMigrationList(dir = MIGRATIONS_DIR) {
  const lockPath = join(dir, 'migration_lock.toml');
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(dir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Applies every migration not yet recorded in `_prisma_migrations`, as `prisma migrate deploy`. */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory, log: (line: string) => void = () => {}): Promise<string[]> {
  return withEngine(adapterFactory, log, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  });
}

/**
 * The SQL that takes the database the migrations build to the one prisma/schema/ describes.
 * Empty when they agree. The migrations are replayed on a throwaway in-memory PGlite (the
 * shadow database), never on a live one.
 */
export async function diffMigrationsToSchema(log: (line: string) => void = () => {}): Promise<string> {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const shadow = new PGlite();
  try {
    return await withEngine(new PrismaPGlite(shadow), log, async (engine) => {
      const list = readMigrationList();
      const from = list.migrationDirectories.length ? { tag: 'migrations', ...list } : { tag: 'empty' };
      const out = await engine.diff({
        from,
        to: { tag: 'schemaDatamodel', files: readSchemaFiles() },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      return (out.stdout ?? '').trim();
    });
  } finally {
    await shadow.close();
  }
}

/** True when a diff script holds no statement (the engine prints a comment for an empty diff). */
export function isEmptyDiff(sql: string): boolean {
  return sql
    .split('\n')
    .map((l) => l.trim())
    .every((l) => l === '' || l.startsWith('--'));
}
