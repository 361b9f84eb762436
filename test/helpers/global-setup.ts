// Migrates a template database once per run; every test file then copies it (CREATE DATABASE …
// TEMPLATE), which takes a fraction of a second, and drops its copy at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { runSeeders } from '../../server/src/db/seeders.js';
import { PrismaClient } from '../../server/src/generated/prisma/client.js';
import { seeders } from '../../server/src/modules/index.js';
import { TEST_DATABASE_URL, databaseUrl } from './env.js';

export default async function setup() {
  const TEMPLATE_DB = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_template_${randomBytes(4).toString('hex')}`;
  process.env.TL_TEST_TEMPLATE_DB = TEMPLATE_DB;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const factory = new PrismaPg({ connectionString: databaseUrl(TEMPLATE_DB), max: 2 });
  await applyMigrations(factory);
  // Reference data (taxonomies, districts, calendars, demo directory) is in every test database.
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(TEMPLATE_DB), max: 2 }) });
  try {
    // The secret the test servers use (runtime.ts), so seeded phone numbers decrypt there.
    await runSeeders(prisma, seeders, undefined, { appSecret: 'test-app-secret-that-is-long-enough-0123456789' });
  } finally {
    await prisma.$disconnect();
  }
  return async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`).finally(() => c.end());
  };
}
