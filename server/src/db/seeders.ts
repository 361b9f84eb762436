// Reference data every deployment starts with (taxonomies, districts, calendars, the demo
// directory). Each seeder is idempotent (upserts keyed by a stable id or code), so it runs on
// every start after the migrations and on the test template database.
import type { PrismaClient } from '../generated/prisma/client.js';

/** What some seeders need beyond the database (the demo directory encrypts phone numbers). */
export interface SeedContext {
  appSecret?: string;
}

export interface Seeder {
  name: string;
  run(prisma: PrismaClient, ctx?: SeedContext): Promise<void>;
}

export async function runSeeders(prisma: PrismaClient, seeders: readonly Seeder[], log: (name: string) => void = () => {}, ctx: SeedContext = {}) {
  for (const seeder of seeders) {
    await seeder.run(prisma, ctx);
    log(seeder.name);
  }
}
