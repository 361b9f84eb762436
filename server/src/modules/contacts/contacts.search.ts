// Contact search: filters, exact search by name, and Russian and English search of the notes.
// Notes and names are encrypted at rest (server/src/db/encryption.ts), so the database is asked
// through blind indexes: a word of the query matches a contact when one of its notes holds the
// keyed hash of that word's stem (the GIN-indexed *Tokens columns); a name matches when the keyed
// hash of the normalised name equals an identity's or a recorded person's nameIndex. Hashes are
// taken under every key in the ring, so a search works during a key rotation. Only what the role
// may see: operators search notes only of contacts they handled, and get excerpts only of those;
// everyone else's rows carry no text. Every page that shows excerpts is audited, naming them.
import { scopeOf, type ContactListItem, type ContactSearchQuery } from '@trustline/shared';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../db/tx.js';
import type { FieldCipher } from '../../crypto/fields.js';
import { cipherOf } from '../../db/encryption.js';
import type { AuditService } from '../audit/audit.service.js';
import { forbidden } from '../../errors.js';
import { contactsSearchRepository } from './contacts-search.repository.js';
import type { StaffActor } from './contacts.service.js';

/** Totals are counted (only on request) up to this many rows: an exact count of a large match
 * costs more than the page itself, so the page answers `hasMore` from one extra row instead. */
export const TOTAL_CAP = 1_000;

const EXCERPT_CHARS = 200;

export interface ContactsSearchDeps {
  /** Opens the excerpts and hashes the query; without it (a database opened without keys) notes
   * and names cannot be searched. */
  cipher?: FieldCipher | null;
  /** Records which contacts' excerpts a search showed. */
  audit?: AuditService;
}

export function contactsSearch(db: Db, deps: ContactsSearchDeps = {}) {
  const { audit } = deps;
  const cipher = deps.cipher ?? cipherOf(db);
  const repo = contactsSearchRepository(db);
  return {
    async search(q: ContactSearchQuery, actor: StaffActor, now = new Date()) {
      const scope = scopeOf(actor.roles, 'contact.search');
      if (scope === 'none') throw forbidden();
      const textScope = scopeOf(actor.roles, 'contact.search-text');
      const contentScope = scopeOf(actor.roles, 'contact.read-full');
      const me = actor.userId;
      const mine = Prisma.sql`(c."operatorId" = ${me}::uuid OR c."followUpAssigneeId" = ${me}::uuid)`;

      const where: Prisma.Sql[] = [];
      if (q.from) where.push(Prisma.sql`c."createdAt" >= ${new Date(q.from)}`);
      if (q.to) where.push(Prisma.sql`c."createdAt" < ${new Date(q.to)}`);
      if (q.channel) where.push(Prisma.sql`c.channel = ${q.channel}`);
      if (q.risk) where.push(Prisma.sql`c."riskLevel" = ${q.risk}::"RiskLevel"`);
      if (q.minRisk) where.push(Prisma.sql`c."riskLevel" >= ${q.minRisk}::"RiskLevel"`);
      if (q.operatorId) where.push(Prisma.sql`c."operatorId" = ${q.operatorId}::uuid`);
      if (q.areaId) where.push(Prisma.sql`c."areaId" = ${q.areaId}::uuid`);
      if (q.outcome) where.push(Prisma.sql`c.outcome = ${q.outcome}`);
      if (q.status) where.push(Prisma.sql`c.status = ${q.status}::"ContactStatus"`);
      if (q.followUpDue) where.push(Prisma.sql`c."followUpAt" <= ${now} AND c."followUpDoneAt" IS NULL`);
      if (q.categoryId) {
        where.push(Prisma.sql`EXISTS (SELECT 1 FROM "ContactCategory" cc WHERE cc."contactId" = c.id AND cc."categoryId" = ${q.categoryId}::uuid)`);
      }
      if (q.q) {
        if (textScope === 'none') throw forbidden('your role may not search notes');
        if (!cipher) throw new Error('notes search needs the field cipher');
        const words = cipher.queryTokens(q.q);
        if (!words.length) where.push(Prisma.sql`FALSE`);
        for (const hashes of words) {
          where.push(Prisma.sql`(c."summaryTokens" && ${hashes}::text[] OR c."actionsTokens" && ${hashes}::text[] OR c."planTokens" && ${hashes}::text[])`);
        }
        if (textScope === 'own') where.push(mine);
      }
      if (q.name) {
        // Names are identified data: only over contacts whose identity the user may read.
        if (contentScope === 'none') throw forbidden('your role may not search by name');
        if (!cipher) throw new Error('name search needs the field cipher');
        const hashes = cipher.nameIndexes(q.name);
        // IN (… UNION ALL …) rather than two ORed EXISTS: the planner then starts from the few ids the
        // indexes give and joins them to Contact, instead of walking Contact by date (2 s at 1M rows).
        where.push(
          Prisma.sql`c.id IN (SELECT ci."contactId" FROM "ContactIdentity" ci WHERE ci."nameIndex" = ANY(${hashes}::text[])
            UNION ALL SELECT cp."contactId" FROM "ContactPerson" cp WHERE cp."nameIndex" = ANY(${hashes}::text[]))`,
        );
        if (contentScope === 'own') where.push(mine);
      }
      if (scope === 'own') where.push(mine);
      const cond = where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;
      const order =
        q.sort === 'oldest'
          ? Prisma.sql`c."createdAt" ASC, c.id ASC`
          : q.sort === 'risk'
            ? Prisma.sql`c."riskLevel" DESC, c."hasMinor" DESC, c."createdAt" DESC, c.id DESC`
            : Prisma.sql`c."createdAt" DESC, c.id DESC`;
      // The sealed summary comes back as stored and is opened here (raw SQL bypasses the extension).
      const excerpt =
        contentScope === 'all' ? Prisma.sql`c.summary` : contentScope === 'own' ? Prisma.sql`CASE WHEN ${mine} THEN c.summary END` : Prisma.sql`NULL::text`;
      const offset = (q.page - 1) * q.pageSize;

      const [rows, counted] = await Promise.all([
        repo.page(cond, order, excerpt, q.pageSize + 1, offset),
        q.count ? repo.count(cond, TOTAL_CAP) : Promise.resolve(null),
      ]);
      const openExcerpt = (stored: string) => {
        const text = cipher ? cipher.decrypt(stored) : stored;
        return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
      };
      const hasMore = rows.length > q.pageSize;
      const items: ContactListItem[] = rows.slice(0, q.pageSize).map((r) => ({
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        channel: r.channel,
        status: r.status,
        riskLevel: r.riskLevel,
        outcome: r.outcome,
        operatorId: r.operatorId,
        areaId: r.areaId,
        categoryIds: r.categoryIds ?? [],
        followUpAt: r.followUpAt ? r.followUpAt.toISOString() : null,
        hasMinor: r.hasMinor,
        ...(r.excerpt !== null ? { excerpt: openExcerpt(r.excerpt) } : {}),
      }));
      const shown = items.filter((i) => i.excerpt !== undefined).map((i) => i.id);
      if (shown.length && audit) {
        await audit.record(actor, 'contact.search.excerpts', {
          entity: 'Contact',
          detail: { contactIds: shown, text: Boolean(q.q), name: Boolean(q.name) },
        });
      }
      return { items, hasMore, total: counted, page: q.page, pageSize: q.pageSize };
    },
  };
}
export type ContactsSearch = ReturnType<typeof contactsSearch>;
