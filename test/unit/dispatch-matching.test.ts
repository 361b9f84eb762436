import { describe, expect, it } from 'vitest';
import { dispatchPriority, rankProviders, type Candidate, type MatchRequest } from '../../server/src/modules/dispatch/matching.js';
import { opennessAt } from '../../server/src/modules/dispatch/opening-hours.js';

const TZ = 'Europe/Moscow';
// Tuesday 24 Nov 2026, 14:00 in Moscow (UTC+3).
const tuesdayAfternoon = new Date('2026-11-24T11:00:00Z');
const tuesdayNight = new Date('2026-11-24T21:30:00Z'); // 00:30 Wednesday in Moscow

const weekly = (byday: string, opensAt: string, closesAt: string) => ({ freq: 'WEEKLY', byday, opensAt, closesAt, validFrom: null, validTo: null });
const holiday = (date: string, opensAt: string | null = null, closesAt: string | null = null) => ({
  freq: null,
  byday: null,
  opensAt,
  closesAt,
  validFrom: new Date(`${date}T00:00:00Z`),
  validTo: new Date(`${date}T00:00:00Z`),
});
const always = weekly('MO,TU,WE,TH,FR,SA,SU', '00:00:00', '24:00:00');
const office = weekly('MO,TU,WE,TH,FR', '09:00:00', '18:00:00');

function candidate(over: Partial<Candidate> & { serviceId: string }): Candidate {
  return {
    serviceName: over.serviceId,
    organizationName: 'Org',
    kinds: ['accommodation'],
    areas: ['Кировский район'],
    locationDistricts: [],
    schedules: [always],
    minimumAge: null,
    maximumAge: null,
    capacity: { available: 6, unit: 'beds', updated: tuesdayAfternoon },
    hasSmsPhone: true,
    stats: { offers: 0, accepted: 0, avgAcceptSeconds: null },
    ...over,
  };
}
const request: MatchRequest = { kind: 'accommodation', district: 'Кировский район', urgency: 'now', childrenInvolved: false, risk: 'none', quantity: 1 };
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe('opening hours', () => {
  it.each([
    ['24/7 at night', [always], tuesdayNight, 'open'],
    ['office hours in the afternoon', [office], tuesdayAfternoon, 'open'],
    ['office hours at night', [office], tuesdayNight, 'closed'],
    ['a holiday closes a 24/7 service', [always, holiday('2026-11-24')], tuesdayAfternoon, 'closed'],
    ['a holiday with its own hours', [office, holiday('2026-11-24', '10:00', '12:00')], tuesdayAfternoon, 'closed'],
    ['a holiday on another day changes nothing', [office, holiday('2026-11-25')], tuesdayAfternoon, 'open'],
    ['overnight row, morning part', [weekly('TU', '20:00:00', '08:00:00')], tuesdayNight, 'open'],
    ['no schedule', [], tuesdayAfternoon, 'unknown'],
  ] as const)('%s', (_name, schedules, at, expected) => {
    expect(opennessAt(schedules, at, TZ)).toBe(expected);
  });

  it('reads the time in the centre’s zone, not UTC', () => {
    // 07:30 UTC is 10:30 in Moscow (open) but 07:30 in London (closed).
    const at = new Date('2026-11-24T07:30:00Z');
    expect(opennessAt([office], at, 'Europe/Moscow')).toBe('open');
    expect(opennessAt([office], at, 'Europe/London')).toBe('closed');
  });
});

describe('matching', () => {
  it('ranks open, local, free, fast providers first and explains why', () => {
    const ranked = rankProviders(
      request,
      [
        candidate({ serviceId: id(1), schedules: [office] }),
        candidate({ serviceId: id(2), stats: { offers: 10, accepted: 9, avgAcceptSeconds: 8 * 60 } }),
        candidate({ serviceId: id(3), areas: ['*'] }),
      ],
      { now: tuesdayNight, timeZone: TZ },
    );
    expect(ranked.map((r) => r.serviceId)).toEqual([id(2), id(3), id(1)]);
    expect(ranked[0]!.reasons).toEqual([
      { key: 'open_now' },
      { key: 'serves_area', params: { area: 'Кировский район' } },
      { key: 'free_capacity', params: { count: 6, unit: 'beds' } },
      { key: 'answers_in', params: { minutes: 8 } },
      { key: 'accept_rate', params: { percent: 90 } },
    ]);
    expect(ranked[1]!.reasons).toContainEqual({ key: 'serves_everywhere' });
    expect(ranked[2]!.reasons).toContainEqual({ key: 'closed_now' });
  });

  it.each([
    ['another kind', { kinds: ['food'] }, 'filtered'],
    ['another district', { areas: ['Советский район'] }, 'area_not_served'],
    ['no free capacity', { capacity: { available: 0, unit: 'beds', updated: tuesdayAfternoon } }, 'no_capacity'],
    ['no SMS phone', { hasSmsPhone: false }, 'no_sms_phone'],
  ] as const)('leaves out a provider with %s', (_name, over, reason) => {
    const ranked = rankProviders(request, [candidate({ serviceId: id(1), ...over })], { now: tuesdayAfternoon, timeZone: TZ });
    if (reason === 'filtered') expect(ranked).toEqual([]);
    else {
      expect(ranked[0]!.eligible).toBe(false);
      expect(ranked[0]!.reasons.map((r) => r.key)).toContain(reason);
    }
  });

  it('matches the district by location too, ignoring case and ё', () => {
    const ranked = rankProviders(
      { ...request, district: 'богашёвское сельское поселение' },
      [candidate({ serviceId: id(1), areas: [], locationDistricts: ['Богашевское сельское поселение'] })],
      { now: tuesdayAfternoon, timeZone: TZ },
    );
    expect(ranked[0]!.eligible).toBe(true);
  });

  it('prefers children’s services and excludes adults-only ones when children are involved', () => {
    const ranked = rankProviders(
      { ...request, childrenInvolved: true },
      [candidate({ serviceId: id(1), minimumAge: 18 }), candidate({ serviceId: id(2) }), candidate({ serviceId: id(3), maximumAge: 18 })],
      { now: tuesdayAfternoon, timeZone: TZ },
    );
    expect(ranked.map((r) => [r.serviceId, r.eligible])).toEqual([
      [id(3), true],
      [id(2), true],
      [id(1), false],
    ]);
  });

  it('skips providers already tried', () => {
    const ranked = rankProviders(request, [candidate({ serviceId: id(1) }), candidate({ serviceId: id(2) })], {
      now: tuesdayAfternoon,
      timeZone: TZ,
      exclude: new Set([id(1)]),
    });
    expect(ranked.map((r) => r.serviceId)).toEqual([id(2)]);
  });

  it('needs enough capacity for the quantity asked', () => {
    const ranked = rankProviders({ ...request, quantity: 7 }, [candidate({ serviceId: id(1) })], { now: tuesdayAfternoon, timeZone: TZ });
    expect(ranked[0]!.eligible).toBe(false);
  });

  it('puts minors and higher risk first', () => {
    const base = { urgency: 'today' as const, childrenInvolved: false, risk: 'none' as const };
    expect(dispatchPriority({ ...base, childrenInvolved: true })).toBeGreaterThan(dispatchPriority(base));
    expect(dispatchPriority({ ...base, risk: 'high' })).toBeGreaterThan(dispatchPriority({ ...base, risk: 'low' }));
    expect(dispatchPriority({ ...base, urgency: 'now' })).toBeGreaterThan(dispatchPriority(base));
  });
});
