// The screen registry: every screen of the console is ONE entry here. The shell builds its
// navigation from the entries the signed-in user's roles may see, and loads a screen's code
// only when it is opened. There are no placeholder screens: add the entry with the screen.
import type { Role } from '@trustline/shared';
import type { Component } from 'svelte';
import type { MessageKey } from './i18n';

export type NavSection = 'work' | 'oversight' | 'admin';

export interface NavEntry {
  /** Stable id, also used as `data-nav` in the DOM for tests. */
  id: string;
  /** Hash path, `/feature` or `/feature/screen`. */
  path: string;
  /** i18n key of the link text and the page title. */
  label: MessageKey;
  /** Who sees it: anyone signed in, or any holder of one of these roles (the server checks too). */
  roles: 'all' | readonly Role[];
  section: NavSection;
  load: () => Promise<{ default: Component }>;
  /** Opened from a link (it needs an id), not listed in the menu. */
  hidden?: boolean;
}

export const nav: NavEntry[] = [
  {
    id: 'dispatch-board',
    path: '/dispatch',
    label: 'dispatch.board',
    roles: ['coordinator', 'supervisor', 'admin'],
    section: 'work',
    load: () => import('../pages/dispatch/BoardPage.svelte'),
  },
  {
    id: 'dispatch-new',
    path: '/dispatch/new',
    label: 'dispatch.new',
    roles: ['operator', 'coordinator', 'supervisor', 'admin'],
    section: 'work',
    load: () => import('../pages/dispatch/NewDispatchPage.svelte'),
  },
  {
    id: 'directory',
    path: '/directory',
    label: 'dispatch.directory',
    roles: ['coordinator', 'admin'],
    section: 'admin',
    load: () => import('../pages/directory/DirectoryPage.svelte'),
  },
  { id: 'home', path: '/', label: 'home.title', roles: 'all', section: 'work', load: () => import('../pages/home/HomePage.svelte') },
  {
    id: 'security',
    path: '/account/security',
    label: 'auth.security.title',
    roles: 'all',
    section: 'work',
    hidden: true,
    load: () => import('../pages/account/SecurityPage.svelte'),
  },
  {
    id: 'breaches',
    path: '/admin/breaches',
    label: 'privacy.breaches.title',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/privacy/BreachesPage.svelte'),
  },
  {
    id: 'audit',
    path: '/audit',
    label: 'audit.title',
    roles: ['supervisor', 'admin'],
    section: 'oversight',
    load: () => import('../pages/audit/AuditPage.svelte'),
  },
  {
    id: 'contacts',
    path: '/contacts',
    label: 'contacts.title',
    roles: ['operator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/contacts/ContactsPage.svelte'),
  },
  {
    id: 'contact-config',
    path: '/admin/contact-config',
    label: 'contacts.admin.taxonomy',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/contacts/ContactConfigPage.svelte'),
  },
  {
    id: 'contacts-high-risk',
    path: '/contacts/high-risk',
    label: 'contacts.highRisk',
    roles: ['supervisor'],
    section: 'oversight',
    load: () => import('../pages/contacts/HighRiskPage.svelte'),
  },
  {
    id: 'contact',
    path: '/contacts/edit',
    label: 'contacts.form',
    roles: ['operator', 'supervisor'],
    section: 'work',
    hidden: true,
    load: () => import('../pages/contacts/ContactPage.svelte'),
  },
  {
    id: 'data-requests',
    path: '/admin/data-requests',
    label: 'dataRequests.title',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/data-requests/DataRequestsPage.svelte'),
  },
  {
    id: 'destruction-records',
    path: '/admin/destruction-records',
    label: 'retention.title',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/retention/DestructionRecordsPage.svelte'),
  },
  { id: 'users', path: '/admin/users', label: 'users.title', roles: ['admin'], section: 'admin', load: () => import('../pages/users/UsersPage.svelte') },
  {
    id: 'cases',
    path: '/cases',
    label: 'cases.title',
    roles: ['curator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/cases/CasesPage.svelte'),
  },
  { id: 'cases-mine', path: '/cases/mine', label: 'cases.mine', roles: ['curator'], section: 'work', load: () => import('../pages/cases/MyCasesPage.svelte') },
  {
    id: 'cases-new',
    path: '/cases/new',
    label: 'cases.new',
    roles: ['operator', 'coordinator', 'curator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/cases/NewCasePage.svelte'),
  },
  {
    id: 'cases-results',
    path: '/cases/results',
    label: 'cases.results',
    roles: ['supervisor', 'curator', 'admin'],
    section: 'oversight',
    load: () => import('../pages/cases/ResultsPage.svelte'),
  },
  {
    id: 'calendar',
    path: '/admin/calendar',
    label: 'cases.calendar',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/cases/CalendarPage.svelte'),
  },
  {
    id: 'queue',
    path: '/telephony/queue',
    label: 'telephony.queue',
    roles: ['operator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/telephony/QueuePage.svelte'),
  },
  {
    id: 'sms',
    path: '/telephony/sms',
    label: 'telephony.sms',
    roles: ['operator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/telephony/SmsPage.svelte'),
  },
  {
    id: 'callbacks',
    path: '/telephony/callbacks',
    label: 'telephony.callbacks',
    roles: ['operator', 'supervisor'],
    section: 'work',
    load: () => import('../pages/telephony/CallbacksPage.svelte'),
  },
  {
    id: 'lines',
    path: '/admin/lines',
    label: 'telephony.lines',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/telephony/LinesPage.svelte'),
  },
  {
    id: 'simulator',
    path: '/admin/simulator',
    label: 'telephony.simulator',
    roles: ['admin'],
    section: 'admin',
    load: () => import('../pages/telephony/SimulatorPage.svelte'),
  },
  {
    id: 'wallboard',
    path: '/wallboard',
    label: 'wallboard.title',
    roles: ['supervisor', 'admin'],
    section: 'oversight',
    load: () => import('../pages/wallboard/WallboardPage.svelte'),
  },
  {
    id: 'kiosk',
    path: '/kiosk',
    label: 'wallboard.kiosk',
    roles: ['supervisor', 'admin', 'wallboard'],
    section: 'oversight',
    hidden: true,
    load: () => import('../pages/wallboard/KioskPage.svelte'),
  },
  {
    id: 'reports',
    path: '/reports',
    label: 'reports.title',
    roles: ['supervisor', 'admin'],
    section: 'oversight',
    load: () => import('../pages/reports/ReportsPage.svelte'),
  },
  {
    id: 'reports-monthly',
    path: '/reports/monthly',
    label: 'reports.monthly',
    roles: ['supervisor', 'admin'],
    section: 'oversight',
    hidden: true,
    load: () => import('../pages/reports/MonthlySummaryPage.svelte'),
  },
];

export const SECTIONS: readonly NavSection[] = ['work', 'oversight', 'admin'];

/** The entries a holder of `roles` sees (a user with several roles sees the union). */
export function navFor(roles: readonly Role[], entries: readonly NavEntry[] = nav): NavEntry[] {
  return entries.filter((e) => e.roles === 'all' || e.roles.some((r) => roles.includes(r)));
}

/** The entry for a path among the visible ones, or undefined (not found or not allowed). */
export function entryFor(path: string, visible: readonly NavEntry[]): NavEntry | undefined {
  return visible.find((e) => e.path === path);
}
