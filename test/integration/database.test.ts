// The stores the foundation promises: an append-only audit log, migrations that agree with
// prisma/schema, and the same migrations on embedded PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.js';
import { applyMigrations, diffMigrationsToSchema, isEmptyDiff, readMigrationList } from '../../server/src/db/migrate.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

describe('the audit log', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE fail even through raw SQL', async () => {
    const { prisma } = server.services.infra.db;
    const { id } = await server.services.audit.record(systemActor('test'), 'report.view', { entity: 'report', entityId: 'x' });
    await expect(prisma.$executeRaw`UPDATE "AuditLog" SET action = 'test.rewritten' WHERE id = ${id}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM "AuditLog" WHERE id = ${id}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe('TRUNCATE "AuditLog"')).rejects.toThrow(/append-only/);
    await expect(prisma.auditLog.update({ where: { id }, data: { action: 'test.rewritten' } })).rejects.toThrow();
    expect(await prisma.auditLog.findUnique({ where: { id } })).toMatchObject({ action: 'report.view' });
  });
});

describe('migrations', () => {
  it('agree with prisma/schema: the diff from the migrations to the schema is empty', async () => {
    expect(readMigrationList().migrationDirectories.length).toBeGreaterThan(0);
    const sql = await diffMigrationsToSchema();
    expect(isEmptyDiff(sql), `prisma/schema differs from the migrations; run npm run db:diff -- <name>:\n${sql}`).toBe(true);
  }, 120_000);

  it('apply to an embedded PGlite database, which then serves Prisma', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-pglite-'));
    const db = await openDatabase({ kind: 'pglite', dir });
    try {
      const applied = await applyMigrations(db.adapterFactory);
      expect(applied).toEqual(readMigrationList().migrationDirectories.map((m) => m.path));
      expect(await applyMigrations(db.adapterFactory)).toEqual([]);
      const user = await db.prisma.user.create({ data: { username: 'pglite-user', displayName: 'P', passwordHash: 'x', roles: ['operator', 'admin'] } });
      expect(await db.prisma.user.findUnique({ where: { id: user.id } })).toMatchObject({
        username: 'pglite-user',
        roles: ['operator', 'admin'],
        active: true,
      });
      // The append-only trigger came along.
      const { id } = await db.prisma.auditLog.create({ data: { action: 'test.pglite', actorLabel: 'system:test' } });
      await expect(db.prisma.$executeRaw`DELETE FROM "AuditLog" WHERE id = ${id}`).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
