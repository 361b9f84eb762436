// Migrates a template database once per run; every test file then copies it (CREATE DATABASE …
// TEMPLATE), which takes a fraction of a second, and drops its copy at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { applyMigrations } from '../../server/src/db/migrate.js';
import { runSeeders } from '../../server/src/db/seeders.js';
import { PrismaClient } from '../../server/src/generated/prisma/client.js';
import { seeders } from '../../server/src/modules/registry.js';
import { TEST_DATABASE_URL, databaseUrl } from './env.js';

// The integration and e2e projects both list this global setup, and Vitest runs both setups at
// once in one process. They share one template through globalThis: two migrations at once in one
// process would share the schema engine's WebAssembly instance, and two templates would race on
// TL_TEST_TEMPLATE_DB. The last project to finish drops it.
const shared = globalThis as { __tlTemplate?: Promise<string>; __tlTemplateUsers?: number };

export default async function setup() {
  shared.__tlTemplateUsers = (shared.__tlTemplateUsers ?? 0) + 1;
  shared.__tlTemplate ??= createTemplate();
  const TEMPLATE_DB = await shared.__tlTemplate;
  process.env.TL_TEST_TEMPLATE_DB = TEMPLATE_DB;
  return async () => {
    shared.__tlTemplateUsers = (shared.__tlTemplateUsers ?? 1) - 1;
    if (shared.__tlTemplateUsers > 0) return;
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`).finally(() => c.end());
  };
}

async function createTemplate(): Promise<string> {
  const TEMPLATE_DB = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_template_${randomBytes(4).toString('hex')}`;
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
  return TEMPLATE_DB;
}
