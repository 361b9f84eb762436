// The search's two queries (contacts.search.ts builds their conditions from the filters and the
// role's scope). Raw SQL: it reads the blind-index columns and the sealed summary as stored.
import type { Channel, ContactListItem } from '@trustline/shared';
import type { Db } from '../../db/tx.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface SearchRow {
  id: string;
  createdAt: Date;
  /** Stored as the shared code (text column, written only from CHANNELS). */
  channel: Channel;
  status: ContactListItem['status'];
  riskLevel: ContactListItem['riskLevel'];
  outcome: string | null;
  operatorId: string | null;
  areaId: string | null;
  followUpAt: Date | null;
  hasMinor: boolean;
  categoryIds: string[] | null;
  /** The summary as stored (sealed), or null when the role may not see it. */
  excerpt: string | null;
}

export function contactsSearchRepository(db: Db) {
  return {
    /** One page of matches, `limit` rows from `offset` (`cond` is a WHERE clause or empty). */
    page(cond: Prisma.Sql, order: Prisma.Sql, excerpt: Prisma.Sql, limit: number, offset: number) {
      return db.$queryRaw<SearchRow[]>`
          SELECT c.id, c."createdAt", c.channel, c.status::text AS status, c."riskLevel"::text AS "riskLevel",
                 c.outcome, c."operatorId", c."areaId", c."followUpAt", c."hasMinor", ${excerpt} AS excerpt,
                 ARRAY(SELECT cc."categoryId"::text FROM "ContactCategory" cc WHERE cc."contactId" = c.id) AS "categoryIds"
          FROM "Contact" c ${cond}
          ORDER BY ${order}
          LIMIT ${limit} OFFSET ${offset}`;
    },
    /** How many rows match, counted up to `cap`. */
    async count(cond: Prisma.Sql, cap: number) {
      const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Contact" c ${cond} LIMIT ${cap}) t`;
      return Number(row?.n ?? 0);
    },
  };
}
