// The permission matrix's helpers: scopes per role, the widest scope of several roles, and the
// view each role gets of a contact it did or did not handle.
import { can, rolesFor, scopeOf, viewFor } from '@trustline/shared';
import { describe, expect, it } from 'vitest';

describe('contacts permission matrix', () => {
  it.each([
    [['operator'], true, 'full'],
    [['operator'], false, 'summary'],
    [['coordinator'], false, 'dispatch'],
    [['supervisor'], false, 'full'],
    [['admin'], true, null],
    [['curator'], false, 'summary'],
    [['operator', 'coordinator'], false, 'dispatch'],
    [['admin', 'supervisor'], false, 'full'],
  ] as const)('%j on a contact they handled=%s sees %s', (roles, own, view) => {
    expect(viewFor(roles, own)).toBe(view);
  });

  it('gives several roles the widest scope of any of them', () => {
    expect(scopeOf(['operator'], 'contact.edit')).toBe('own');
    expect(scopeOf(['operator', 'supervisor'], 'contact.edit')).toBe('all');
    expect(can(['operator'], 'contact.edit', false)).toBe(false);
    expect(can(['operator'], 'contact.edit', true)).toBe(true);
  });

  it('never lets admins read contact content, only manage configuration', () => {
    for (const action of ['contact.read-full', 'contact.read-dispatch', 'contact.read-summary', 'contact.search', 'contact.edit'] as const) {
      expect(scopeOf(['admin'], action)).toBe('none');
    }
    expect(rolesFor('config.manage')).toEqual(['admin']);
  });

  it('declares route access from the matrix: roles with any scope', () => {
    expect(rolesFor('contact.reopen')).toEqual(['supervisor']);
    expect(rolesFor('contact.edit').sort()).toEqual(['operator', 'supervisor']);
  });
});
