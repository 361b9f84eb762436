// Configuration for contacts that administrators manage: the category tree and the districts
// and settlements. Retiring hides an entry from new contacts; old contacts keep it.
import type { AreaView, CategoryView } from '@trustline/shared';
import type { Db, Transactor } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';

const categoryView = (c: {
  id: string;
  code: string;
  parentId: string | null;
  labelRu: string;
  labelEn: string;
  sort: number;
  retired: boolean;
}): CategoryView => ({
  id: c.id,
  code: c.code,
  parentId: c.parentId,
  labelRu: c.labelRu,
  labelEn: c.labelEn,
  sort: c.sort,
  retired: c.retired,
});
const areaView = (a: {
  id: string;
  code: string;
  kind: string;
  nameRu: string;
  nameEn: string;
  example: boolean;
  retired: boolean;
  sort: number;
}): AreaView => ({
  id: a.id,
  code: a.code,
  kind: a.kind as AreaView['kind'],
  nameRu: a.nameRu,
  nameEn: a.nameEn,
  example: a.example,
  retired: a.retired,
  sort: a.sort,
});

export function contactsConfigService(deps: { db: Db; transaction: Transactor; audit: AuditService }) {
  const { db, transaction, audit } = deps;
  const taken = (what: string) => new DomainError('CODE_TAKEN', `${what} code is already used`, 409, [{ path: 'body.code', message: 'already used' }]);
  return {
    async categories() {
      return (await db.category.findMany({ orderBy: [{ sort: 'asc' }, { code: 'asc' }] })).map(categoryView);
    },
    async createCategory(body: { code: string; parentId?: string | null; labelRu: string; labelEn: string; sort?: number }, actor: Actor) {
      return transaction(async (tx) => {
        if (await tx.category.findUnique({ where: { code: body.code } })) throw taken('category');
        if (body.parentId && !(await tx.category.findUnique({ where: { id: body.parentId } }))) {
          throw new DomainError('VALIDATION_FAILED', 'body.parentId: no such category', 400, [{ path: 'body.parentId', message: 'no such category' }]);
        }
        const c = await tx.category.create({
          data: { code: body.code, parentId: body.parentId ?? null, labelRu: body.labelRu, labelEn: body.labelEn, sort: body.sort ?? 0 },
        });
        await audit.record(actor, 'taxonomy.create', { entity: 'Category', entityId: c.id, detail: { code: c.code } }, tx);
        return categoryView(c);
      });
    },
    async updateCategory(id: string, body: { labelRu?: string; labelEn?: string; sort?: number; retired?: boolean }, actor: Actor) {
      return transaction(async (tx: Db) => {
        if (!(await tx.category.findUnique({ where: { id } }))) throw notFound('category');
        const c = await tx.category.update({ where: { id }, data: body });
        await audit.record(actor, 'taxonomy.update', { entity: 'Category', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return categoryView(c);
      });
    },
    async areas() {
      return (await db.area.findMany({ orderBy: [{ sort: 'asc' }, { code: 'asc' }] })).map(areaView);
    },
    async createArea(body: { code: string; kind: string; nameRu: string; nameEn: string; sort?: number }, actor: Actor) {
      return transaction(async (tx) => {
        if (await tx.area.findUnique({ where: { code: body.code } })) throw taken('area');
        const a = await tx.area.create({ data: { ...body, sort: body.sort ?? 0 } });
        await audit.record(actor, 'areas.create', { entity: 'Area', entityId: a.id, detail: { code: a.code } }, tx);
        return areaView(a);
      });
    },
    async updateArea(id: string, body: { nameRu?: string; nameEn?: string; sort?: number; retired?: boolean }, actor: Actor) {
      return transaction(async (tx) => {
        if (!(await tx.area.findUnique({ where: { id } }))) throw notFound('area');
        const a = await tx.area.update({ where: { id }, data: { ...body, ...(body.nameRu || body.nameEn ? { example: false } : {}) } });
        await audit.record(actor, 'areas.update', { entity: 'Area', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return areaView(a);
      });
    },
  };
}
export type ContactsConfigService = ReturnType<typeof contactsConfigService>;
