// THE permission matrix for contacts, in one table (mirrored in docs/contacts.md and walked by
// test/integration/contacts-permissions.test.ts route by route, role by role).
//   'all'  — any contact;
//   'own'  — contacts the user handled (operator of the contact, or its follow-up assignee);
//   'none' — never.
// A user with several roles gets the widest scope any of them gives.
import type { Role } from './roles.js';

export type ContactScope = 'all' | 'own' | 'none';
/** Roles not named in a row (e.g. a kiosk role) get 'none'. */
type Row = Partial<Record<Role, ContactScope>>;

// A wall screen (role `wallboard`, read-only kiosk) never sees contacts.
const row = (operator: ContactScope, coordinator: ContactScope, supervisor: ContactScope, admin: ContactScope, curator: ContactScope): Row => ({
  operator,
  coordinator,
  supervisor,
  admin,
  curator,
});

export const CONTACT_PERMISSIONS = {
  //                                  operator coordinator supervisor admin  curator
  /** Content and identified fields (notes, screener, identity). */
  'contact.read-full': row('own', 'none', 'all', 'none', 'none'),
  /** What a dispatch needs: place, risk, categories, recipient's name/address/ages (no notes, no phone). */
  'contact.read-dispatch': row('own', 'all', 'all', 'none', 'none'),
  /** Anonymised summary (date, channel, categories, risk, outcome) for repeat-caller history. */
  'contact.read-summary': row('all', 'none', 'all', 'none', 'all'),
  'contact.start-offline': row('all', 'none', 'all', 'none', 'none'),
  'contact.edit': row('own', 'none', 'all', 'none', 'none'),
  'contact.finalise': row('own', 'none', 'all', 'none', 'none'),
  'contact.reopen': row('none', 'none', 'all', 'none', 'none'),
  'contact.lower-risk': row('none', 'none', 'all', 'none', 'none'),
  'contact.sign-off-r4': row('none', 'none', 'all', 'none', 'none'),
  'contact.ack-alert': row('none', 'none', 'all', 'none', 'none'),
  'contact.high-risk-list': row('none', 'none', 'all', 'none', 'none'),
  'contact.search': row('all', 'none', 'all', 'none', 'none'),
  /** Full-text search of notes: only over contacts whose content the user may read. */
  'contact.search-text': row('own', 'none', 'all', 'none', 'none'),
  'contact.history': row('own', 'none', 'all', 'none', 'none'),
  'contact.timeline-read': row('own', 'all', 'all', 'none', 'none'),
  'contact.follow-up-done': row('own', 'none', 'all', 'none', 'none'),
  'caller.flag': row('none', 'none', 'all', 'none', 'none'),
  'config.read': row('all', 'all', 'all', 'all', 'all'),
  'config.manage': row('none', 'none', 'none', 'all', 'none'),
} as const satisfies Record<string, Row>;

export type ContactAction = keyof typeof CONTACT_PERMISSIONS;

const RANK: Record<ContactScope, number> = { none: 0, own: 1, all: 2 };

export function scopeOf(roles: readonly Role[], action: ContactAction): ContactScope {
  let best: ContactScope = 'none';
  for (const r of roles) {
    const s = (CONTACT_PERMISSIONS[action] as Row)[r] ?? 'none';
    if (RANK[s] > RANK[best]) best = s;
  }
  return best;
}

/** May `roles` do `action` on a contact that the user handled (`own`) or not? */
export function can(roles: readonly Role[], action: ContactAction, own: boolean): boolean {
  const s = scopeOf(roles, action);
  return s === 'all' || (s === 'own' && own);
}

/** The roles a route declares in `config.access`: every role with some scope. */
export function rolesFor(action: ContactAction): Role[] {
  return (Object.entries(CONTACT_PERMISSIONS[action]) as [Role, ContactScope][]).filter(([, s]) => s !== 'none').map(([r]) => r);
}

export type ViewKind = 'full' | 'dispatch' | 'summary';

/** The richest view of one contact the user may have, or null. */
export function viewFor(roles: readonly Role[], own: boolean): ViewKind | null {
  if (can(roles, 'contact.read-full', own)) return 'full';
  if (can(roles, 'contact.read-dispatch', own)) return 'dispatch';
  if (can(roles, 'contact.read-summary', own)) return 'summary';
  return null;
}
