// One PrismaClient over a driver adapter: PostgreSQL through @prisma/adapter-pg, or embedded
// PGlite through pglite-prisma-adapter when DATABASE_URL is unset. Same schema, same migrations.
import { mkdirSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';

export type Prisma = PrismaClient;

export interface Database {
  readonly prisma: PrismaClient;
  /** The adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly kind: Config['database']['kind'];
  close(): Promise<void>;
}

export async function openDatabase(database: Config['database']): Promise<Database> {
  if (database.kind === 'postgres') {
    const adapterFactory = new PrismaPg({ connectionString: database.url, max: 10 });
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return { prisma, adapterFactory, kind: 'postgres', close: () => prisma.$disconnect() };
  }
  mkdirSync(database.dir, { recursive: true });
  // Loaded lazily: PostgreSQL deployments never load the WebAssembly build of PostgreSQL.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  const pglite = await PGlite.create(database.dir);
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
