// The only Prisma user of the directory. Import writes are upserts by HSDS id, so loading the
// same file twice changes nothing.
import type { Db } from '../../db/tx.js';
import type { UrgentKind } from '../../generated/prisma/enums.js';
import type { CleanTables } from './hsds/validate.js';
import type { TableName } from './hsds/tables.js';

const models = {
  unit: 'dirUnit',
  organization: 'dirOrganization',
  location: 'dirLocation',
  service: 'dirService',
  service_at_location: 'dirServiceAtLocation',
  address: 'dirAddress',
  phone: 'dirPhone',
  schedule: 'dirSchedule',
  service_area: 'dirServiceArea',
  language: 'dirLanguage',
  service_capacity: 'dirServiceCapacity',
} as const satisfies Record<TableName, string>;

type AnyDelegate = {
  findMany(args: object): Promise<Record<string, unknown>[]>;
  upsert(args: object): Promise<unknown>;
};
const delegate = (tx: Db, table: TableName) => (tx as unknown as Record<string, AnyDelegate>)[models[table]]!;

export interface PhoneSealer {
  hash(phone: string): string;
  encrypt(phone: string): string;
  decrypt(sealed: string): string;
}

export function directoryRepository(db: Db) {
  return {
    async existingIds(table: TableName, ids: string[], tx: Db = db) {
      if (!ids.length) return new Set<string>();
      const rows = await delegate(tx, table).findMany({ where: { id: { in: ids } }, select: { id: true } });
      return new Set(rows.map((r) => r.id as string));
    },

    /** Upserts every clean row, parents first. Call inside the caller's transaction. */
    async writeTables(tables: CleanTables, order: readonly TableName[], tx: Db) {
      for (const table of order) {
        for (const row of tables[table]) {
          const { id, ...data } = row;
          await delegate(tx, table).upsert({ where: { id }, create: row, update: data });
        }
      }
    },

    readTable(table: TableName, tx: Db = db) {
      return delegate(tx, table).findMany({ orderBy: { id: 'asc' } });
    },

    listOrganizations(tx: Db = db) {
      return tx.dirOrganization.findMany({
        orderBy: { name: 'asc' },
        include: {
          services: {
            include: { capacities: { include: { unit: true } }, areas: true, schedules: true, phones: true, languages: true },
            orderBy: { name: 'asc' },
          },
          locations: { include: { addresses: true } },
        },
      });
    },
    findService(id: string, tx: Db = db) {
      return tx.dirService.findUnique({ where: { id }, include: { organization: true, capacities: { include: { unit: true } }, phones: true } });
    },
    upsertOrganization(data: { id: string; name: string; description?: string | null; email?: string | null; website?: string | null }, tx: Db = db) {
      const { id, ...rest } = data;
      return tx.dirOrganization.upsert({ where: { id }, create: data, update: rest });
    },
    deleteOrganization(id: string, tx: Db = db) {
      return tx.dirOrganization.delete({ where: { id } });
    },
    upsertService(
      data: {
        id: string;
        organizationId: string;
        name: string;
        description?: string | null;
        status: string;
        urgentKinds: UrgentKind[];
        eligibilityDescription?: string | null;
        minimumAge?: number | null;
        maximumAge?: number | null;
        alert?: string | null;
      },
      tx: Db = db,
    ) {
      const { id, ...rest } = data;
      return tx.dirService.upsert({ where: { id }, create: { ...data, lastModified: new Date() }, update: { ...rest, lastModified: new Date() } });
    },
    deleteService(id: string, tx: Db = db) {
      return tx.dirService.delete({ where: { id } });
    },
    replaceServiceParts(
      serviceId: string,
      parts: {
        areas?: { id: string; name: string }[];
        schedules?: {
          id: string;
          byday: string | null;
          opensAt: string | null;
          closesAt: string | null;
          validFrom: Date | null;
          validTo: Date | null;
          description: string | null;
          freq: string | null;
        }[];
        phones?: { id: string; numberEnc: string; numberHash: string; numberMasked: string; type: string; description: string | null }[];
      },
      tx: Db = db,
    ) {
      return (async () => {
        if (parts.areas) {
          await tx.dirServiceArea.deleteMany({ where: { serviceId } });
          if (parts.areas.length) await tx.dirServiceArea.createMany({ data: parts.areas.map((a) => ({ ...a, serviceId })) });
        }
        if (parts.schedules) {
          await tx.dirSchedule.deleteMany({ where: { serviceId } });
          if (parts.schedules.length) await tx.dirSchedule.createMany({ data: parts.schedules.map((s) => ({ ...s, serviceId })) });
        }
        if (parts.phones) {
          await tx.dirPhone.deleteMany({ where: { serviceId } });
          if (parts.phones.length) await tx.dirPhone.createMany({ data: parts.phones.map((p) => ({ ...p, serviceId })) });
        }
      })();
    },
    findCapacity(id: string, tx: Db = db) {
      return tx.dirServiceCapacity.findUnique({ where: { id }, include: { unit: true } });
    },
    upsertCapacity(
      data: { id: string; serviceId: string; unitId: string; available: number; maximum: number | null; description?: string | null },
      tx: Db = db,
    ) {
      const { id, ...rest } = data;
      const updated = new Date();
      return tx.dirServiceCapacity.upsert({ where: { id }, create: { ...data, updated }, update: { ...rest, updated } });
    },
    upsertUnit(data: { id: string; name: string; scheme?: string | null; identifier?: string | null }, tx: Db = db) {
      const { id, ...rest } = data;
      return tx.dirUnit.upsert({ where: { id }, create: data, update: rest });
    },
    listUnits(tx: Db = db) {
      return tx.dirUnit.findMany({ orderBy: { name: 'asc' } });
    },
    /** Takes `quantity` off a capacity if that much is free. Returns false when it is not. */
    async takeCapacity(id: string, quantity: number, tx: Db) {
      const res = await tx.dirServiceCapacity.updateMany({ where: { id, available: { gte: quantity } }, data: { available: { decrement: quantity } } });
      return res.count === 1;
    },
    giveBackCapacity(id: string, quantity: number, tx: Db) {
      return tx.dirServiceCapacity.updateMany({ where: { id }, data: { available: { increment: quantity } } });
    },

    /** Everything matching needs about the services that give `kind`. */
    candidates(kind: UrgentKind, tx: Db = db) {
      return tx.dirService.findMany({
        where: { urgentKinds: { has: kind }, status: 'active' },
        include: {
          organization: { select: { id: true, name: true } },
          areas: { select: { name: true } },
          schedules: true,
          capacities: { include: { unit: { select: { name: true } } } },
          phones: { select: { id: true, type: true } },
          locations: { include: { location: { select: { district: true } } } },
        },
      });
    },
  };
}
export type DirectoryRepository = ReturnType<typeof directoryRepository>;
