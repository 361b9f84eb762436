// A person's requests in Chromium, in English and Russian: an admin searches by phone number under
// the request's number, sees the counts (and why erasure waits while a case is open), downloads the
// JSON, opens the printable copy, and erases after confirming the counts and the number.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { everything, seedPeople, type Person } from '../helpers/data-requests.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer();
  browser = await openBrowser();
  const admin = await makeUser(server.services, ['admin']);
  await signInAs(browser.page, server.url, admin.username);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const L = {
  en: {
    title: 'Data requests',
    phone: 'Phone number',
    reference: 'Request registration number',
    reason: 'Reason',
    find: 'Find',
    printed: 'Personal data held about a person',
    contacts: 'Contacts',
    confirm: 'Type the request number again to confirm',
    erased: /Erased: destruction record №\d+/,
  },
  ru: {
    title: 'Запросы субъектов данных',
    phone: 'Номер телефона',
    reference: 'Регистрационный номер запроса',
    reason: 'Основание',
    find: 'Найти',
    printed: 'Персональные данные, которые обрабатываются о субъекте',
    contacts: 'Обращения',
    confirm: 'Введите номер запроса ещё раз для подтверждения',
    erased: /Уничтожено: акт №\d+/,
  },
};

async function run(lang: 'en' | 'ru', a: Person, b: Person, reference: string) {
  const { page } = browser;
  const w = L[lang];
  await page.locator('[data-nav="data-requests"]').click();
  await page.getByRole('heading', { name: w.title, level: 1 }).waitFor();
  const search = async () => {
    await page.locator('[data-dr-by="phone"]').check();
    await page.getByRole('textbox', { name: w.phone }).fill(`8 ${a.digits.slice(0, 3)} ${a.digits.slice(3, 6)}-${a.digits.slice(6, 8)}-${a.digits.slice(8)}`);
    await page.getByLabel(w.reference).fill(reference);
    await page.getByLabel(w.reason, { exact: true }).fill(lang === 'en' ? 'Written request for a copy' : 'Письменный запрос копии');
    await page.locator('[data-dr-search]').click();
    await page.locator('[data-dr-result]').waitFor();
  };
  await search();
  const total = Object.values(a.ids).reduce((n, x) => n + x.length, 0);
  expect(await page.locator('[data-dr-total]').getAttribute('data-dr-total')).toBe(String(total));
  expect(await page.locator('[data-dr-kind="contacts"]').getAttribute('data-dr-count')).toBe('3');
  expect(await page.locator('[data-dr-kind="contacts"] td').first().textContent()).toBe(w.contacts);
  expect(await page.locator('[data-dr-caller]').textContent()).toMatch(/K-[A-Z]{5}/);
  const shown = await page.locator('[data-dr-result]').innerText();
  expect(shown).not.toContain(a.digits.slice(-4));
  // The case is open: erasure waits, and the page says which case.
  expect(await page.locator('[data-dr-open-cases]').textContent()).toContain(`№${a.caseNumber}`);
  expect(await page.locator('[data-dr-erase]').isDisabled()).toBe(true);
  await screenshot(page, `console-data-requests-${lang}`);

  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-dr-json]').click()]);
  expect(file.suggestedFilename()).toMatch(/^personal-data-.+\.json$/);
  const json = await readFile((await file.path())!, 'utf8');
  for (const v of a.values) expect(json).toContain(v);
  for (const v of b.values) expect(json).not.toContain(v);

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-dr-html]').click()]);
  await popup.getByRole('heading', { name: w.printed }).waitFor();
  await screenshot(popup, `console-data-requests-printable-${lang}`);
  const printed = await popup.content();
  expect(printed).toContain(`<html lang="${lang}">`);
  expect(printed).toContain(a.values[0]);
  expect(printed).not.toContain(b.values[0]);
  await popup.close();

  // The curator closes the case; the admin searches again and erases.
  await server.services.infra.db.prisma.case.update({ where: { id: a.ids.cases[0] }, data: { stage: 'closed', closedAt: new Date() } });
  await search();
  await page.locator('[data-dr-erase]').click();
  const dialog = page.locator('[data-dialog]');
  await dialog.waitFor();
  expect(await dialog.locator('[data-dr-erase-counts]').innerText()).toContain(`${w.contacts}: 3`);
  await dialog.getByLabel(w.confirm).fill(reference);
  await dialog.locator('[data-dr-erase-confirm]').click();
  await expect.poll(() => page.locator('[data-dr-erased]').textContent()).toMatch(w.erased);
  const all = await everything(server.services);
  for (const v of a.values) expect(all).not.toContain(v);
  for (const v of b.values) expect(all).toContain(v);
  const audit = await server.services.infra.db.prisma.auditLog.findMany({ where: { entity: 'DataRequest', entityId: reference }, select: { action: true } });
  expect(new Set(audit.map((x) => x.action))).toEqual(new Set(['data-request.search', 'data-request.export', 'data-request.erase']));
}

describe("a person's request in the console", () => {
  it('searches by phone, downloads, opens the printable copy and erases (English)', async () => {
    const { a, b } = await seedPeople(server.services);
    await run('en', a, b, '№ 21/2026');
  });

  it('does the same in Russian', async () => {
    const { a, b } = await seedPeople(server.services);
    await browser.page.getByRole('button', { name: 'Русский' }).click();
    await run('ru', a, b, '№ 22/2026');
    await browser.page.getByRole('button', { name: 'English' }).click();
  });
});
