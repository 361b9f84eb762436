// Configuration for contacts that administrators manage: the category tree and the districts
// and settlements. Retiring hides an entry from new contacts; old contacts keep it.
import type { AreaView, CategoryView } from '@trustline/shared';
import type { Transactor } from '../../db/tx.js';
import { DomainError, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { ContactsConfigRepository } from './contacts-config.repository.js';

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

export function contactsConfigService(deps: { repo: ContactsConfigRepository; transaction: Transactor; audit: AuditService }) {
  const { repo, transaction, audit } = deps;
  const taken = (what: string) => new DomainError('CODE_TAKEN', `${what} code is already used`, 409, [{ path: 'body.code', message: 'already used' }]);
  return {
    async categories() {
      return (await repo.categories()).map(categoryView);
    },
    async createCategory(body: { code: string; parentId?: string | null; labelRu: string; labelEn: string; sort?: number }, actor: Actor) {
      return transaction(async (tx) => {
        if (await repo.categoryByCode(body.code, tx)) throw taken('category');
        if (body.parentId && !(await repo.category(body.parentId, tx))) {
          throw new DomainError('VALIDATION_FAILED', 'body.parentId: no such category', 400, [{ path: 'body.parentId', message: 'no such category' }]);
        }
        const c = await repo.createCategory(
          { code: body.code, parentId: body.parentId ?? null, labelRu: body.labelRu, labelEn: body.labelEn, sort: body.sort ?? 0 },
          tx,
        );
        await audit.record(actor, 'taxonomy.create', { entity: 'Category', entityId: c.id, detail: { code: c.code } }, tx);
        return categoryView(c);
      });
    },
    async updateCategory(id: string, body: { labelRu?: string; labelEn?: string; sort?: number; retired?: boolean }, actor: Actor) {
      return transaction(async (tx) => {
        if (!(await repo.category(id, tx))) throw notFound('category');
        const c = await repo.updateCategory(id, body, tx);
        await audit.record(actor, 'taxonomy.update', { entity: 'Category', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return categoryView(c);
      });
    },
    async areas() {
      return (await repo.areas()).map(areaView);
    },
    async createArea(body: { code: string; kind: string; nameRu: string; nameEn: string; sort?: number }, actor: Actor) {
      return transaction(async (tx) => {
        if (await repo.areaByCode(body.code, tx)) throw taken('area');
        const a = await repo.createArea({ ...body, sort: body.sort ?? 0 }, tx);
        await audit.record(actor, 'areas.create', { entity: 'Area', entityId: a.id, detail: { code: a.code } }, tx);
        return areaView(a);
      });
    },
    async updateArea(id: string, body: { nameRu?: string; nameEn?: string; sort?: number; retired?: boolean }, actor: Actor) {
      return transaction(async (tx) => {
        if (!(await repo.area(id, tx))) throw notFound('area');
        const a = await repo.updateArea(id, { ...body, ...(body.nameRu || body.nameEn ? { example: false } : {}) }, tx);
        await audit.record(actor, 'areas.update', { entity: 'Area', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return areaView(a);
      });
    },
  };
}
export type ContactsConfigService = ReturnType<typeof contactsConfigService>;
