// The screen registry: who sees which screen, and that every entry is well-formed.
import { ROLES, type Role } from '@trustline/shared';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../console/src/lib/i18n/index.js';
import { entryFor, nav, navFor, SECTIONS, type NavEntry } from '../../console/src/lib/nav.js';

const sample: NavEntry[] = [
  { id: 'home', path: '/', label: 'home.title', roles: 'all', section: 'work', load: async () => ({ default: null as never }) },
  { id: 'calls', path: '/calls', label: 'home.title', roles: ['operator'], section: 'work', load: async () => ({ default: null as never }) },
  { id: 'live', path: '/live', label: 'home.title', roles: ['supervisor'], section: 'oversight', load: async () => ({ default: null as never }) },
  { id: 'audit', path: '/audit', label: 'home.title', roles: ['supervisor', 'admin'], section: 'oversight', load: async () => ({ default: null as never }) },
  { id: 'users', path: '/admin/users', label: 'home.title', roles: ['admin'], section: 'admin', load: async () => ({ default: null as never }) },
];

describe('navFor', () => {
  it.each([
    [[], ['home']],
    [['operator'], ['home', 'calls']],
    [['coordinator'], ['home']],
    [['supervisor'], ['home', 'live', 'audit']],
    [['admin'], ['home', 'audit', 'users']],
    [
      ['operator', 'supervisor'],
      ['home', 'calls', 'live', 'audit'],
    ],
    [
      ['operator', 'coordinator', 'supervisor', 'admin'],
      ['home', 'calls', 'live', 'audit', 'users'],
    ],
  ] as [Role[], string[]][])('roles %j see %j (the union, in registry order)', (roles, ids) => {
    expect(navFor(roles, sample).map((e) => e.id)).toEqual(ids);
  });

  it('finds a screen only among the visible ones', () => {
    expect(entryFor('/admin/users', navFor(['admin'], sample))?.id).toBe('users');
    expect(entryFor('/admin/users', navFor(['operator'], sample))).toBeUndefined();
    expect(entryFor('/nowhere', navFor(['admin'], sample))).toBeUndefined();
  });
});

describe('the registry', () => {
  it('has unique ids and paths, known sections, translated labels and known roles', () => {
    expect(new Set(nav.map((e) => e.id)).size).toBe(nav.length);
    expect(new Set(nav.map((e) => e.path)).size).toBe(nav.length);
    for (const entry of nav) {
      expect(SECTIONS, entry.id).toContain(entry.section);
      expect(catalog.en[entry.label], entry.id).toBeDefined();
      expect(entry.path.startsWith('/'), entry.id).toBe(true);
      if (entry.roles !== 'all') for (const r of entry.roles) expect(ROLES, entry.id).toContain(r);
    }
  });

  it('gives every role a home screen and keeps administration to admins', () => {
    for (const role of ROLES) expect(navFor([role]).map((e) => e.id)).toContain('home');
    for (const role of ROLES.filter((r) => r !== 'admin')) expect(navFor([role]).map((e) => e.id)).not.toContain('users');
  });
});
