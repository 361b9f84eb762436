// The database for a command-line tool: a refusal because the embedded database is held by
// another process is printed as the sentence that says what to do, and the tool exits 1.
import type { Config } from '../config.js';
import { DatabaseInUseError, openDatabase, type Database } from '../db/database.js';
import type { FieldKeys } from '../crypto/fields.js';

export async function openDatabaseOrExit(database: Config['database'], keys?: FieldKeys): Promise<Database> {
  try {
    return await openDatabase(database, keys);
  } catch (err) {
    if (!(err instanceof DatabaseInUseError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
