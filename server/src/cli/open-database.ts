// The database for a command-line tool: a refusal because the embedded database is held by
// another process is printed as the sentence that says what to do, and the tool exits 1.
import type { Config } from '../config.js';
import { DatabaseInUseError, openDatabase, type Database } from '../db/database.js';
import type { FieldKeys } from '../crypto/fields.js';
import { applyMigrations } from '../db/migrate.js';

export async function openDatabaseOrExit(database: Config['database'], keys?: FieldKeys): Promise<Database> {
  try {
    return await openDatabase(database, keys);
  } catch (err) {
    if (!(err instanceof DatabaseInUseError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/**
 * For the account commands (user:create, user:reset-totp): opens the database, applies pending
 * migrations when MIGRATE_ON_START says so, and on any failure prints why plus what was left
 * undone (`nothingDone`, e.g. "Nothing was created.") and exits 1.
 */
export async function openMigratedOrExit(config: Config, nothingDone: string): Promise<Database> {
  const exit = (message: string): never => {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  };
  try {
    const db = await openDatabase(config.database, config.keys);
    if (config.migrateOnStart) await applyMigrations(db.adapterFactory);
    return db;
  } catch (err) {
    if (err instanceof DatabaseInUseError) return exit(`${err.message}\n${nothingDone}`);
    return exit(`Could not open the database (${config.database.kind}): ${(err as Error).message}`);
  }
}
