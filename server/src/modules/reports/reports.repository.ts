// Report aggregates as SQL (GROUP BY, FILTER, percentile_cont) that run on PostgreSQL and on
// embedded PGlite alike. Read-only over other features' tables; a section whose tables do not
// exist yet is reported missing rather than faked. Every value travels as a bind parameter.
import { channelLabels } from '@trustline/shared';
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface Period {
  from: Date;
  to: Date;
  timezone: string;
}
export interface Filters {
  lineId?: string;
  channel?: string;
  areaId?: string;
  categoryId?: string;
  risk?: string;
  operatorId?: string;
}

/** Positional parameters for one query: `p(value)` gives `$n`. */
class Params {
  values: unknown[] = [];
  p(v: unknown) {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

type Num = number | bigint | string | null | undefined;
const n = (v: Num) => (v === null || v === undefined ? 0 : Number(v));
const nn = (v: Num) => (v === null || v === undefined ? null : Number(v));

function contactWhere(q: Params, period: Period, f: Filters) {
  const w = [`c."createdAt" >= ${q.p(period.from)}`, `c."createdAt" < ${q.p(period.to)}`];
  if (f.channel) w.push(`c.channel = ${q.p(f.channel)}`);
  if (f.areaId) w.push(`c."areaId" = ${q.p(f.areaId)}::uuid`);
  if (f.risk) w.push(`c."riskLevel"::text = ${q.p(f.risk)}`);
  if (f.operatorId) w.push(`c."operatorId" = ${q.p(f.operatorId)}::uuid`);
  if (f.categoryId) w.push(`EXISTS (SELECT 1 FROM "ContactCategory" cc WHERE cc."contactId" = c.id AND cc."categoryId" = ${q.p(f.categoryId)}::uuid)`);
  if (f.lineId) {
    const line = q.p(f.lineId);
    w.push(
      `(c."callId" IN (SELECT id FROM "Call" WHERE "lineId" = ${line}::uuid)
         OR c."conversationId" IN (SELECT id FROM "Conversation" WHERE "lineId" = ${line}::uuid))`,
    );
  }
  return w.join(' AND ');
}

/** Hour (0–23) and ISO weekday (1 = Monday) of a UTC instant in `timezone`. The zone's offset is
 * looked up once per UTC hour and cached: it changes only at transitions, which fall on hour or
 * half-hour boundaries. */
export function localClock(timezone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (hourMs: number) => {
    let off = offsets.get(hourMs);
    if (off === undefined) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(hourMs)).map((x) => [x.type, x.value]));
      off = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - hourMs;
      offsets.set(hourMs, off);
    }
    return off;
  };
  return (utcMs: number) => {
    const hourMs = utcMs - (((utcMs % 3_600_000) + 3_600_000) % 3_600_000);
    const local = new Date(utcMs + offsetAt(hourMs));
    return { hour: local.getUTCHours(), isoWeekday: ((local.getUTCDay() + 6) % 7) + 1 };
  };
}

export function reportsRepository(prisma: PrismaClient) {
  const raw = <T>(sql: string, values: unknown[]) => prisma.$queryRawUnsafe<T[]>(sql, ...values);
  const has = async (...tables: string[]) => {
    for (const t of tables) {
      const [row] = await raw<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`"${t}"`]);
      if (!row?.ok) return false;
    }
    return true;
  };

  return {
    has,

    async contacts(period: Period, f: Filters) {
      // Few scans over the period, run side by side: the channel × risk × outcome × district
      // combinations (summed per dimension here), hour × weekday, categories, repeats and
      // follow-ups. One GROUP BY per dimension would scan the period once per dimension.
      type Combo = { ch: string; risk: string; outcome: string; key: string | null; labelRu: string | null; labelEn: string | null; count: Num };
      const cq = new Params();
      const combosSql = `SELECT c.channel AS ch, c."riskLevel"::text AS risk, COALESCE(c.outcome, '') AS outcome,
                a.code AS key, a."nameRu" AS "labelRu", a."nameEn" AS "labelEn", count(*)::int AS count
           FROM "Contact" c LEFT JOIN "Area" a ON a.id = c."areaId" WHERE ${contactWhere(cq, period, f)} GROUP BY 1, 2, 3, 4, 5, 6`;
      // Hour of day and day of week in the centre's zone: counted in UTC quarter-hours (every zone's
      // offset is a whole number of quarter-hours) and placed in local time here, which costs a
      // third of converting every row with AT TIME ZONE in SQL.
      const hq = new Params();
      const hoursSql = `SELECT date_bin('15 minutes', c."createdAt", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bin, count(*)::int AS count
           FROM "Contact" c WHERE ${contactWhere(hq, period, f)} GROUP BY 1`;
      const kq = new Params();
      const catSql = `SELECT cat.code AS key, cat."labelRu" AS "labelRu", cat."labelEn" AS "labelEn", count(*)::int AS count
           FROM "Contact" c JOIN "ContactCategory" x ON x."contactId" = c.id JOIN "Category" cat ON cat.id = x."categoryId"
          WHERE ${contactWhere(kq, period, f)} GROUP BY 1, 2, 3`;
      // A repeat contact: its caller (phone hash) had an earlier contact at any time. Within the
      // period a caller's second and later contacts are repeats by order; only each caller's
      // first contact in the period needs an index probe for an earlier one.
      const rq = new Params();
      const rwhere = contactWhere(rq, period, f);
      const repeatSql = `SELECT count(*)::int AS "withNumber", count(*) FILTER (WHERE rn > 1 OR earlier)::int AS repeat FROM (
           SELECT rn, CASE WHEN rn = 1 THEN EXISTS (SELECT 1 FROM "Contact" p WHERE p."phoneHash" = z0.h AND p."createdAt" < z0.t) ELSE false END AS earlier
             FROM (SELECT c."phoneHash" AS h, c."createdAt" AS t, row_number() OVER (PARTITION BY c."phoneHash" ORDER BY c."createdAt") AS rn
                     FROM "Contact" c WHERE ${rwhere} AND c."phoneHash" IS NOT NULL) z0) z`;
      // Follow-ups due in the period (same filters, by due time rather than creation).
      const fq = new Params();
      const fwhere = contactWhere(fq, period, f).replaceAll('c."createdAt"', 'c."followUpAt"');
      const followSql = `SELECT count(*)::int AS due,
                count(*) FILTER (WHERE c."followUpDoneAt" <= c."followUpAt")::int AS "onTime",
                count(*) FILTER (WHERE c."followUpDoneAt" > c."followUpAt")::int AS late,
                count(*) FILTER (WHERE c."followUpDoneAt" IS NULL)::int AS "notDone"
           FROM "Contact" c WHERE ${fwhere}`;
      const [combos, hours, cats, [rep], [follow]] = await Promise.all([
        raw<Combo>(combosSql, cq.values),
        raw<{ bin: Date; count: Num }>(hoursSql, hq.values),
        raw<{ key: string; labelRu: string; labelEn: string; count: Num }>(catSql, kq.values),
        raw<{ withNumber: Num; repeat: Num }>(repeatSql, rq.values),
        raw<{ due: Num; onTime: Num; late: Num; notDone: Num }>(followSql, fq.values),
      ]);
      const sum = (pick: (c: Combo) => { key: string; labelRu: string; labelEn: string }) => {
        const m = new Map<string, { key: string; labelRu: string; labelEn: string; count: number }>();
        for (const c of combos) {
          const k = pick(c);
          const row = m.get(k.key) ?? { ...k, count: 0 };
          row.count += n(c.count);
          m.set(k.key, row);
        }
        return [...m.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
      };
      const plain = (v: string) => ({ key: v, labelRu: v, labelEn: v });
      const byHour = Array.from({ length: 24 }, () => 0);
      const byWeekday = Array.from({ length: 7 }, () => 0);
      const local = localClock(period.timezone);
      for (const x of hours) {
        const { hour, isoWeekday } = local(new Date(x.bin).getTime());
        byHour[hour]! += n(x.count);
        byWeekday[isoWeekday - 1]! += n(x.count);
      }
      const withNumber = n(rep!.withNumber);
      const due = n(follow!.due);
      return {
        total: combos.reduce((t, c) => t + n(c.count), 0),
        // Whatever channels the period holds, known ones labelled; a new code counts under itself.
        byChannel: sum((c) => channelLabels(c.ch)),
        byCategory: cats
          .map((x) => ({ key: x.key, labelRu: x.labelRu, labelEn: x.labelEn, count: n(x.count) }))
          .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
        byRisk: sum((c) => plain(c.risk)),
        byOutcome: sum((c) => plain(c.outcome)),
        byDistrict: sum((c) => ({ key: c.key ?? '', labelRu: c.labelRu ?? '', labelEn: c.labelEn ?? '' })),
        byHour,
        byWeekday,
        repeat: { withNumber, repeat: n(rep!.repeat), share: withNumber ? n(rep!.repeat) / withNumber : null },
        followUps: { due, onTime: n(follow!.onTime), late: n(follow!.late), notDone: n(follow!.notDone), shareOnTime: due ? n(follow!.onTime) / due : null },
      };
    },

    async calls(period: Period, f: Filters, serviceLevelMs: number) {
      const callsWhere = (q: Params) => {
        const w = [`"queuedAt" >= ${q.p(period.from)}`, `"queuedAt" < ${q.p(period.to)}`];
        if (f.lineId) w.push(`"lineId" = ${q.p(f.lineId)}::uuid`);
        if (f.operatorId) w.push(`"operatorId" = ${q.p(f.operatorId)}::uuid`);
        return `SELECT *, COALESCE("waitMs", (extract(epoch FROM (COALESCE("answeredAt", "endedAt") - "queuedAt")) * 1000)::int) AS wait
                  FROM "Call" WHERE ${w.join(' AND ')}`;
      };
      const q = new Params();
      const base = callsWhere(q);
      const sl = `${q.p(serviceLevelMs)}::int`;
      const [r] = await raw<Record<string, Num>>(
        `WITH k AS (${base})
         SELECT count(*)::int AS offered,
                count(*) FILTER (WHERE "answeredAt" IS NOT NULL)::int AS answered,
                count(*) FILTER (WHERE "answeredAt" IS NULL AND "endedAt" IS NOT NULL)::int AS abandoned,
                count(*) FILTER (WHERE "answeredAt" IS NULL AND "endedAt" IS NOT NULL AND wait <= ${sl})::int AS "abandonedShort",
                count(*) FILTER (WHERE "answeredAt" IS NOT NULL AND wait <= ${sl})::int AS "inTime",
                avg(wait) FILTER (WHERE "answeredAt" IS NOT NULL) / 1000.0 AS "avgWait",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) FILTER (WHERE "answeredAt" IS NOT NULL) / 1000.0 AS p50,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY wait) FILTER (WHERE "answeredAt" IS NOT NULL) / 1000.0 AS p90,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY wait) FILTER (WHERE "answeredAt" IS NOT NULL) / 1000.0 AS p95
           FROM k`,
        q.values,
      );
      const dq = new Params();
      const dbase = callsWhere(dq);
      const tzp = dq.p(period.timezone);
      const byDay = await raw<{ day: string; offered: Num; answered: Num; abandoned: Num }>(
        `WITH k AS (${dbase})
         SELECT to_char("queuedAt" AT TIME ZONE ${tzp}, 'YYYY-MM-DD') AS day, count(*)::int AS offered,
                count(*) FILTER (WHERE "answeredAt" IS NOT NULL)::int AS answered,
                count(*) FILTER (WHERE "answeredAt" IS NULL AND "endedAt" IS NOT NULL)::int AS abandoned
           FROM k GROUP BY 1 ORDER BY 1`,
        dq.values,
      );
      const answered = n(r!.answered);
      const abandoned = n(r!.abandoned);
      const den = answered + abandoned - n(r!.abandonedShort);
      return {
        offered: n(r!.offered),
        answered,
        abandoned,
        abandonedShort: n(r!.abandonedShort),
        serviceLevel: den ? n(r!.inTime) / den : null,
        serviceLevelSeconds: serviceLevelMs / 1000,
        averageWaitSeconds: nn(r!.avgWait),
        waitP50Seconds: nn(r!.p50),
        waitP90Seconds: nn(r!.p90),
        waitP95Seconds: nn(r!.p95),
        byDay: byDay.map((d) => ({ day: d.day, offered: n(d.offered), answered: n(d.answered), abandoned: n(d.abandoned) })),
      };
    },

    async dispatches(period: Period, f: Filters) {
      const q = new Params();
      const w = [`d."createdAt" >= ${q.p(period.from)}`, `d."createdAt" < ${q.p(period.to)}`];
      if (f.areaId)
        w.push(
          `d.district IN (SELECT code FROM "Area" WHERE id = ${q.p(f.areaId)}::uuid UNION SELECT "nameRu" FROM "Area" WHERE id = $${q.values.length}::uuid)`,
        );
      if (f.risk) w.push(`d."contactId" IN (SELECT id FROM "Contact" WHERE "riskLevel"::text = ${q.p(f.risk)})`);
      if (f.operatorId) w.push(`d."createdById" = ${q.p(f.operatorId)}::uuid`);
      const where = w.join(' AND ');
      const secs = (col: string) => `extract(epoch FROM (d."${col}" - d."createdAt"))`;
      const groups = await raw<Record<string, Num> & { kind: string; district: string }>(
        `SELECT d.kind::text AS kind, d.district AS district, count(*)::int AS count,
                count(*) FILTER (WHERE d.state = 'delivered')::int AS delivered,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ${secs('acceptedAt')}) AS "acceptMedian",
                percentile_cont(0.9) WITHIN GROUP (ORDER BY ${secs('acceptedAt')}) AS "acceptP90",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ${secs('deliveredAt')}) AS "deliverMedian",
                percentile_cont(0.9) WITHIN GROUP (ORDER BY ${secs('deliveredAt')}) AS "deliverP90"
           FROM "Dispatch" d WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
        q.values,
      );
      const failures = await raw<{ reason: string; count: Num }>(
        `SELECT COALESCE(d."closeReason", '') AS reason, count(*)::int AS count
           FROM "Dispatch" d WHERE ${where} AND d.state = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1`,
        q.values,
      );
      const g = groups.map((x) => ({
        kind: x.kind,
        district: x.district,
        count: n(x.count),
        delivered: n(x.delivered),
        shareDelivered: n(x.count) ? n(x.delivered) / n(x.count) : null,
        acceptMedianSeconds: nn(x.acceptMedian),
        acceptP90Seconds: nn(x.acceptP90),
        deliverMedianSeconds: nn(x.deliverMedian),
        deliverP90Seconds: nn(x.deliverP90),
      }));
      const total = g.reduce((s, x) => s + x.count, 0);
      const delivered = g.reduce((s, x) => s + x.delivered, 0);
      return {
        total,
        delivered,
        shareDelivered: total ? delivered / total : null,
        groups: g,
        failureReasons: failures.map((x) => ({ reason: x.reason, count: n(x.count) })),
      };
    },

    async cases(period: Period, f: Filters) {
      const q = new Params();
      const from = q.p(period.from);
      const to = q.p(period.to);
      const w: string[] = [];
      if (f.areaId)
        w.push(
          `k.district IN (SELECT code FROM "Area" WHERE id = ${q.p(f.areaId)}::uuid UNION SELECT "nameRu" FROM "Area" WHERE id = $${q.values.length}::uuid)`,
        );
      const extra = w.length ? ` AND ${w.join(' AND ')}` : '';
      const open = `k."openedAt" IS NOT NULL AND k."openedAt" < ${to} AND (k."closedAt" IS NULL OR k."closedAt" >= ${to})${extra}`;
      const [r] = await raw<Record<string, Num>>(
        `SELECT (SELECT count(*) FROM "Case" k WHERE ${open})::int AS "openAtEnd",
                (SELECT count(*) FROM "Case" k WHERE ${open} AND k."subjectKind" = 'family')::int AS "openFamilies",
                (SELECT count(*) FROM "CaseMember" m JOIN "Case" k ON k.id = m."caseId" WHERE m."isChild" AND ${open})::int AS "childrenInOpen",
                (SELECT count(*) FROM "Case" k WHERE k."openedAt" >= ${from} AND k."openedAt" < ${to}${extra})::int AS "openedInPeriod",
                (SELECT count(*) FROM "Case" k WHERE k."closedAt" >= ${from} AND k."closedAt" < ${to}${extra})::int AS "closedInPeriod"`,
        q.values,
      );
      const reasons = await raw<{ reason: string; count: Num }>(
        `SELECT COALESCE(k."closeReason"::text, 'other') AS reason, count(*)::int AS count FROM "Case" k
          WHERE k."closedAt" >= ${from} AND k."closedAt" < ${to}${extra} GROUP BY 1 ORDER BY 2 DESC, 1`,
        q.values,
      );
      const closed = n(r!.closedInPeriod);
      const improved = n(reasons.find((x) => x.reason === 'situation_improved')?.count ?? 0);
      return {
        openAtEnd: n(r!.openAtEnd),
        openFamilies: n(r!.openFamilies),
        childrenInOpen: n(r!.childrenInOpen),
        openedInPeriod: n(r!.openedInPeriod),
        closedInPeriod: closed,
        closedByReason: reasons.map((x) => ({ reason: x.reason, count: n(x.count) })),
        shareImproved: closed ? improved / closed : null,
      };
    },
  };
}
export type ReportsRepository = ReturnType<typeof reportsRepository>;
