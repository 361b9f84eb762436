// One PrismaClient over a driver adapter: PostgreSQL through @prisma/adapter-pg, or embedded
// PGlite through pglite-prisma-adapter when DATABASE_URL is unset. Same schema, same migrations.
import { mkdirSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import { lockDirectory } from './pglite-lock.js';
import { fieldCipher, type FieldCipher, type FieldKeys } from '../crypto/fields.js';
import { withFieldEncryption } from './encryption.js';

export { DatabaseInUseError } from './pglite-lock.js';

export type Prisma = PrismaClient;

export interface Database {
  /** Seals and opens the personal fields of ENCRYPTED_FIELDS (db/encryption.ts) when opened with
   * keys; every module uses this one. */
  readonly prisma: PrismaClient;
  /** The same connection without the encryption extension: stored values as they are (keys:rotate,
   * tests that look at what a dump would show). */
  readonly raw: PrismaClient;
  /** The field cipher, when opened with keys. */
  readonly cipher: FieldCipher | null;
  /** The adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly kind: Config['database']['kind'];
  close(): Promise<void>;
}

/** Opens the database. With `keys` (the application's secrets) every read and write of a personal
 * field goes through encryption at rest; without them (a few tests and tools that touch no
 * personal data) the client stores and returns values as they are. */
export async function openDatabase(database: Config['database'], keys?: FieldKeys): Promise<Database> {
  const cipher = keys ? fieldCipher(keys) : null;
  const wrap = (raw: PrismaClient) => ({ raw, cipher, prisma: cipher ? withFieldEncryption(raw, cipher) : raw });
  if (database.kind === 'postgres') {
    const adapterFactory = new PrismaPg({ connectionString: database.url, max: 10 });
    const client = wrap(new PrismaClient({ adapter: adapterFactory }));
    return { ...client, adapterFactory, kind: 'postgres', close: () => client.raw.$disconnect() };
  }
  mkdirSync(database.dir, { recursive: true });
  // One process per PGlite directory (see pglite-lock.ts); a second one throws DatabaseInUseError.
  const lock = lockDirectory(database.dir);
  try {
    // Loaded lazily: PostgreSQL deployments never load the WebAssembly build of PostgreSQL.
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
    const pglite = await PGlite.create(database.dir);
    const adapterFactory = migrationSafe(new PrismaPGlite(pglite), pglite);
    const client = wrap(new PrismaClient({ adapter: adapterFactory }));
    return {
      ...client,
      adapterFactory,
      kind: 'pglite',
      close: async () => {
        try {
          await client.raw.$disconnect();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

interface PGliteLike {
  exec(sql: string): Promise<unknown>;
  refreshArrayTypes(): Promise<void>;
}

/**
 * PGlite serialises a query parameter by the type OID the server reports for it, and it knows
 * which OIDs are arrays (and of what) only from a catalogue read when the connection opened. An
 * array type created later on the same connection, such as "_UrgentKind" and "_Role" from the
 * first migration, is then unknown: `['food']` goes out as the text `food` and PostgreSQL answers
 * "malformed array literal". A process that migrated a fresh DATA_DIR itself therefore failed every
 * `{ has: … }` filter until restarted. So every migration script refreshes that catalogue.
 *
 * pglite-prisma-adapter's executeScript also starts `exec` without awaiting it, so a failing
 * script would be recorded as applied and its error surface as an unhandled rejection; here it is
 * awaited and its error goes back to the schema engine, converted as the adapter converts any.
 */
function migrationSafe(factory: SqlMigrationAwareDriverAdapterFactory, pglite: PGliteLike): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const convert = (adapter as unknown as { onError(err: unknown): never }).onError.bind(adapter);
    return Object.assign(adapter, {
      executeScript: async (script: string) => {
        try {
          await pglite.exec(script);
        } catch (err) {
          convert(err);
        } finally {
          await pglite.refreshArrayTypes();
        }
      },
    });
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    // The shadow database is a separate in-memory PGlite, never queried by the app.
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
