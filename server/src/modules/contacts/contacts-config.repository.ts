// The Prisma side of contacts' configuration (contacts-config.service.ts): the category tree and
// the districts and settlements. Every method takes an optional transaction.
import type { Db } from '../../db/tx.js';

export function contactsConfigRepository(db: Db) {
  return {
    categories: (tx: Db = db) => tx.category.findMany({ orderBy: [{ sort: 'asc' }, { code: 'asc' }] }),
    categoryByCode: (code: string, tx: Db = db) => tx.category.findUnique({ where: { code } }),
    category: (id: string, tx: Db = db) => tx.category.findUnique({ where: { id } }),
    createCategory: (data: { code: string; parentId: string | null; labelRu: string; labelEn: string; sort: number }, tx: Db = db) =>
      tx.category.create({ data }),
    updateCategory: (id: string, data: { labelRu?: string; labelEn?: string; sort?: number; retired?: boolean }, tx: Db = db) =>
      tx.category.update({ where: { id }, data }),
    areas: (tx: Db = db) => tx.area.findMany({ orderBy: [{ sort: 'asc' }, { code: 'asc' }] }),
    areaByCode: (code: string, tx: Db = db) => tx.area.findUnique({ where: { code } }),
    area: (id: string, tx: Db = db) => tx.area.findUnique({ where: { id } }),
    createArea: (data: { code: string; kind: string; nameRu: string; nameEn: string; sort: number }, tx: Db = db) => tx.area.create({ data }),
    updateArea: (id: string, data: { nameRu?: string; nameEn?: string; sort?: number; retired?: boolean; example?: boolean }, tx: Db = db) =>
      tx.area.update({ where: { id }, data }),
    /** For the seeder: the categories that exist, by code. */
    categoryIdsByCode: async (tx: Db = db) => new Map((await tx.category.findMany({ select: { id: true, code: true } })).map((c) => [c.code, c.id])),
    /** For the seeder: adds what is not there, never changes what is. */
    addCategories: (data: { code: string; labelRu: string; labelEn: string; parentId: string; sort: number }[], tx: Db = db) =>
      tx.category.createMany({ data, skipDuplicates: true }),
    addAreas: (data: { code: string; kind: string; nameRu: string; nameEn: string; example: boolean; sort: number }[], tx: Db = db) =>
      tx.area.createMany({ data, skipDuplicates: true }),
  };
}
export type ContactsConfigRepository = ReturnType<typeof contactsConfigRepository>;
