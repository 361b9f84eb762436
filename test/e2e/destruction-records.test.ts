// In Chromium, in English and Russian: an admin opens "Destruction records" after a retention run,
// sees each record with its number, local date, kind and categories as labels (never codes), rows,
// basis and period; filters by kind; opens one as the act (title, persons' and data categories,
// method, basis, who) and prints it: the Print button calls the browser's print, and the print
// layout hides the console's navigation. "Run retention now" says when nothing was due.
import { RETENTION_KINDS } from '@trustline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { seedPerson } from '../helpers/retention.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  const env = Object.fromEntries(
    ['CONTACT_RETENTION_DAYS', ...RETENTION_KINDS.filter((k) => k !== 'contacts').map((k) => `RETENTION_${k.toUpperCase()}_DAYS`)].map((k) => [k, '30']),
  );
  // Staff sign in with a password alone here; TOTP sign-in has its own tests.
  server = await startTestServer({ env: { ...env, AUTH_TOTP_REQUIRED_ROLES: '' } });
  await seedPerson(server.services.infra.db.prisma, server.services.phones, new Date(Date.now() - 60 * 86_400_000));
  await server.services.retention.run();
  browser = await openBrowser({ locale: 'en-US' });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const words = {
  en: {
    title: 'Destruction records',
    kind: 'Cases',
    categories: /names.*addresses|addresses.*names/,
    period: '30 days',
    basis: 'The retention period set by the centre ran out (30 days)',
    act: 'Record of destruction of personal data',
    subjects: 'persons and families in case work',
    method: 'Anonymised',
    by: 'The system, automatically',
    print: 'Print',
    back: 'All destruction records',
    none: 'nothing had reached its period',
  },
  ru: {
    title: 'Акты об уничтожении',
    kind: 'Случаи',
    categories: /фамилии, имена|адреса/,
    period: '30 дней',
    basis: 'Истёк срок хранения, установленный центром (30 дней)',
    act: 'Акт об уничтожении персональных данных',
    subjects: 'лица и семьи, с которыми велась работа по случаю',
    method: 'Обезличивание',
    by: 'Система, автоматически',
    print: 'Печать',
    back: 'Все акты',
    none: 'данных с истёкшим сроком нет',
  },
} as const;

describe('destruction records in the console', () => {
  it('lists the records with labels, filters by kind, opens the act and prints it (English, then Russian)', async () => {
    const { page } = browser;
    const admin = await makeUser(server.services, ['admin']);
    const record = await server.services.infra.db.prisma.destructionRecord.findFirstOrThrow({ where: { kind: 'cases' } });
    await signInAs(page, server.url, admin.username);
    // The browser's print dialog would hold the page (headless Chromium has no one to close it):
    // the button's call is counted, and the printing itself is Chromium's own, page.pdf below.
    await page.evaluate(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => {
        w.printed++;
      };
    });

    for (const lang of ['en', 'ru'] as const) {
      const w = words[lang];
      if (lang === 'ru') await page.getByRole('button', { name: 'Русский' }).click();
      await page.locator('[data-nav="destruction-records"]').click();
      await page.getByRole('heading', { name: w.title }).waitFor();
      const rows = page.locator('[data-destruction-records] tbody tr');
      await expect.poll(() => rows.count()).toBe(RETENTION_KINDS.length);
      const row = page.locator(`[data-record="${record.number}"]`);
      expect(await row.locator('[data-kind-label]').textContent()).toBe(w.kind);
      expect(await row.locator('[data-categories]').textContent()).toMatch(w.categories);
      const text = (await row.textContent())!;
      expect(text).toContain(w.period);
      expect(text).toContain(w.basis);
      expect(text).not.toMatch(/case_plan|family_members|retention\./);
      // The date in the reader's locale.
      const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(record.at);
      expect(text).toContain(date);

      await page.locator('[data-destruction-filters] select[name="kind"]').selectOption('cases');
      await page.locator('[data-destruction-filters] button[type="submit"]').click();
      await expect.poll(() => rows.count()).toBe(1);
      await screenshot(page, `console-destruction-records-${lang}`);

      await row.locator('[data-open-act]').click();
      const act = page.locator(`article[data-act="${record.number}"]`);
      await act.waitFor();
      expect(await act.locator('h1').textContent()).toContain(w.act);
      expect(await act.locator('[data-act-subjects]').textContent()).toContain(w.subjects);
      expect(await act.locator('[data-act-method]').textContent()).toContain(w.method);
      expect(await act.locator('[data-act-basis]').textContent()).toBe(w.basis);
      expect(await act.locator('[data-act-by]').textContent()).toContain(w.by);
      expect(await act.locator('[data-act-rows]').textContent()).toContain(String(record.rows));
      await page.getByRole('button', { name: w.print }).click();
      await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(lang === 'en' ? 1 : 2);
      // The print layout: the act alone, without the console's navigation or the Print button.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav').first().isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: w.print }).isVisible()).toBe(false);
      expect(await act.isVisible()).toBe(true);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      await screenshot(page, `console-destruction-act-${lang}`);
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: w.back }).click();
      await page.locator('[data-destruction-filters] select[name="kind"]').selectOption('');
      await page.locator('[data-run-now]').click();
      await page.getByText(w.none).waitFor();
    }
    await page.getByRole('button', { name: 'English' }).click();
  });
});
