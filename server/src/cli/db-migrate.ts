// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded PGlite.
import { loadConfigOrExit } from '../config.js';
import { openDatabaseOrExit } from './open-database.js';
import { applyMigrations } from '../db/migrate.js';

const config = loadConfigOrExit();
const db = await openDatabaseOrExit(config.database);
try {
  const applied = await applyMigrations(db.adapterFactory);
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${config.database.dir}`;
  process.stdout.write(applied.length ? `Applied to ${where}:\n${applied.map((n) => `  ${n}\n`).join('')}` : `${where} is up to date.\n`);
} finally {
  await db.close();
}
