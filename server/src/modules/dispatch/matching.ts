// Ranks the directory's services for one dispatch request, and says why in i18n keys the console
// renders in Russian or English ("open now · serves Kirovsky district · 6 beds free · answers in
// 8 min on average"). Pure: the repository gathers the facts, this weighs them. Unit-tested.
import type { DispatchUrgency, MatchReason, RankedProvider, RiskLevel } from '@trustline/shared';
import { opennessAt, type ScheduleLike } from './opening-hours.js';

export interface MatchRequest {
  kind: string;
  district: string;
  urgency: DispatchUrgency;
  childrenInvolved: boolean;
  risk: RiskLevel;
  quantity: number;
}

export interface Candidate {
  serviceId: string;
  serviceName: string;
  organizationName: string;
  kinds: readonly string[];
  areas: readonly string[];
  locationDistricts: readonly string[];
  schedules: readonly ScheduleLike[];
  minimumAge: number | null;
  maximumAge: number | null;
  /** null: capacity is not tracked for this service. */
  capacity: { available: number; unit: string; updated: Date } | null;
  hasSmsPhone: boolean;
  stats: { offers: number; accepted: number; avgAcceptSeconds: number | null };
}

const norm = (s: string) => s.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ');
const OPEN_WEIGHT: Record<DispatchUrgency, number> = { now: 40, within_hours: 20, today: 8 };
const CLOSED_PENALTY: Record<DispatchUrgency, number> = { now: 60, within_hours: 20, today: 0 };

/** Board and queue priority: minors and higher risk first (442-FZ: priority for minors). */
export function dispatchPriority(r: { urgency: DispatchUrgency; childrenInvolved: boolean; risk: RiskLevel }): number {
  const urgency = { now: 30, within_hours: 20, today: 10 }[r.urgency];
  const risk = { none: 0, low: 5, medium: 10, high: 20, imminent: 30 }[r.risk];
  return urgency + risk + (r.childrenInvolved ? 25 : 0);
}

export function rankProviders(
  req: MatchRequest,
  candidates: readonly Candidate[],
  opts: { now: Date; timeZone: string; exclude?: ReadonlySet<string> },
): RankedProvider[] {
  const district = norm(req.district);
  const ranked = candidates
    .filter((c) => c.kinds.includes(req.kind) && !opts.exclude?.has(c.serviceId))
    .map((c) => {
      const reasons: MatchReason[] = [];
      let eligible = true;
      let score = 100;

      const openness = opennessAt(c.schedules, opts.now, opts.timeZone);
      if (openness === 'open') {
        reasons.push({ key: 'open_now' });
        score += OPEN_WEIGHT[req.urgency];
      } else if (openness === 'closed') {
        reasons.push({ key: 'closed_now' });
        score -= CLOSED_PENALTY[req.urgency];
      } else reasons.push({ key: 'hours_unknown' });

      const areas = c.areas.map(norm);
      if (areas.includes(district) || c.locationDistricts.map(norm).includes(district)) {
        reasons.push({ key: 'serves_area', params: { area: req.district } });
        score += 20;
      } else if (areas.includes('*')) {
        reasons.push({ key: 'serves_everywhere' });
        score += 10;
      } else {
        reasons.push({ key: 'area_not_served', params: { area: req.district } });
        eligible = false;
      }

      if (c.capacity) {
        if (c.capacity.available >= req.quantity) {
          reasons.push({ key: 'free_capacity', params: { count: c.capacity.available, unit: c.capacity.unit } });
          score += Math.min(15, 5 + c.capacity.available);
          if (opts.now.getTime() - c.capacity.updated.getTime() > 24 * 3600_000) score -= 5;
        } else {
          reasons.push({ key: 'no_capacity', params: { count: c.capacity.available, unit: c.capacity.unit } });
          eligible = false;
        }
      } else reasons.push({ key: 'capacity_untracked' });

      if (req.childrenInvolved) {
        if (c.minimumAge !== null && c.minimumAge >= 18) {
          reasons.push({ key: 'age_excluded' });
          eligible = false;
        } else if (c.maximumAge !== null && c.maximumAge <= 18) {
          reasons.push({ key: 'age_fits' });
          score += 10;
        }
      }

      if (c.stats.avgAcceptSeconds !== null) {
        const minutes = Math.max(1, Math.round(c.stats.avgAcceptSeconds / 60));
        reasons.push({ key: 'answers_in', params: { minutes } });
        score += Math.max(0, 15 - minutes / 4);
      }
      if (c.stats.offers >= 3) {
        const percent = Math.round((100 * c.stats.accepted) / c.stats.offers);
        reasons.push({ key: 'accept_rate', params: { percent } });
        score += (percent / 100) * 20 - 10;
      } else if (c.stats.offers === 0) reasons.push({ key: 'no_history' });

      if (!c.hasSmsPhone) {
        reasons.push({ key: 'no_sms_phone' });
        eligible = false;
      }
      return {
        serviceId: c.serviceId,
        serviceName: c.serviceName,
        organizationName: c.organizationName,
        score: Math.round(score * 10) / 10,
        eligible,
        reasons,
      };
    });
  return ranked.sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.score - a.score || a.serviceName.localeCompare(b.serviceName));
}
