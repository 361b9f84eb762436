// In Chromium, in English and Russian: an admin records a suspected breach in the register, sees
// the 24 h and 72 h countdowns move every second (red for one already overdue), records the
// initial notice and sees it met; an operator records a consent on a contact and withdraws the
// identified record's consent, which keeps the record and removes the identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { Client, makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;
const H = 3_600_000;

beforeAll(async () => {
  // Staff sign in with a password alone here; TOTP sign-in has its own tests.
  server = await startTestServer({ env: { AUTH_TOTP_REQUIRED_ROLES: '' } });
  browser = await openBrowser({ locale: 'en-US' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const pad = (n: number) => String(n).padStart(2, '0');
/** A `datetime-local` value in this machine's zone (the browser's too). */
const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

async function signOut() {
  await browser.page.getByRole('button', { name: /^(Sign out|Выйти)$/ }).click();
  await browser.page.getByRole('heading', { name: /^(Sign in|Вход)$/ }).waitFor();
}

describe('breach register', () => {
  it('records a breach, counts down, turns red when overdue, and a notice sent in time is met (English, then Russian)', async () => {
    const { page } = browser;
    const admin = await makeUser(server.services, ['admin']);
    // One found 30 hours ago: its 24 h notice is already overdue.
    const overdue = await server.services.privacy.breaches.create(
      { summary: 'Old printout found in a bin', discoveredAt: new Date(Date.now() - 30 * H).toISOString(), dataKinds: ['names'], measures: '' },
      { userId: admin.id, label: admin.username },
    );
    await signInAs(page, server.url, admin.username);
    await page.locator('[data-nav="breaches"]').click();
    await page.getByRole('heading', { name: 'Breach register' }).waitFor();
    const old = page.locator(`[data-breach-row="${overdue.number}"] [data-deadline="initial"]`);
    await expect.poll(() => old.getAttribute('data-state')).toBe('overdue');
    expect(await old.locator('[data-countdown]').textContent()).toMatch(/^overdue by 6:0\d:\d\d$/);
    expect(await old.locator('[data-countdown]').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(180, 35, 24)');

    // A new one, found two hours ago.
    const form = page.locator('[data-breach-form]');
    await form.getByLabel('What happened').fill('A laptop with an export of contacts was left in a taxi');
    await form.getByLabel('Discovered at').fill(local(new Date(Date.now() - 2 * H)));
    await form.getByLabel('People affected (if known)').fill('12');
    await form.getByLabel('Names').check();
    await form.getByLabel('Phone numbers').check();
    await form.getByRole('button', { name: 'Record the breach' }).click();
    const article = page.locator('article[data-breach]');
    await article.waitFor();
    const number = Number(await article.getAttribute('data-breach-number'));
    const initial = article.locator('[data-deadline="initial"]');
    await expect.poll(() => initial.getAttribute('data-state')).toBe('pending');
    const countdown = initial.locator('[data-countdown]');
    const first = await countdown.textContent();
    expect(first).toMatch(/^2[12]:\d\d:\d\d left$/);
    await expect.poll(() => countdown.textContent(), { timeout: 4000 }).not.toBe(first);
    expect(await article.locator('[data-deadline="results"] [data-countdown]').textContent()).toMatch(/^(69|70):\d\d:\d\d left$/);

    // The initial notice, sent now.
    const notice = article.locator('[data-notice-form]');
    expect(await notice.getByLabel('Notice').inputValue()).toBe('initial');
    await notice.getByLabel('To whom').fill('Roskomnadzor');
    await notice.getByLabel('Text sent, or the portal’s reference number').fill('Portal pd.rkn.gov.ru, notice No. 4711');
    await notice.getByRole('button', { name: 'Record the notice' }).click();
    await expect.poll(() => initial.getAttribute('data-state')).toBe('met');
    expect(await initial.textContent()).toContain('sent in time');
    await article.locator('[data-notices] li[data-notice-kind="initial"]').getByText('Portal pd.rkn.gov.ru, notice No. 4711').waitFor();
    expect(await article.locator('[data-notices] li').first().textContent()).toContain('Roskomnadzor');
    await screenshot(page, 'console-breach-register');

    // Russian: the same breach, labels and countdown in Russian; close the investigation.
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('heading', { name: 'Реестр утечек' }).waitFor();
    expect(await initial.textContent()).toContain('отправлено в срок');
    expect(await article.locator('[data-deadline="results"] [data-countdown]').textContent()).toMatch(/^осталось (69|70):\d\d:\d\d$/);
    await article.getByRole('button', { name: 'Закрыть расследование' }).click();
    await expect.poll(() => article.locator('[data-breach-status]').getAttribute('data-breach-status')).toBe('closed');
    await page.getByRole('link', { name: 'К реестру' }).click();
    const row = page.locator(`[data-breach-row="${number}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Закрыто');
    expect(await page.locator(`[data-breach-row="${overdue.number}"] [data-countdown]`).first().textContent()).toMatch(/^просрочено на 6:0\d:\d\d$/);
    await screenshot(page, 'console-breach-register-ru');

    const kept = await prisma().breachNotice.findMany({ where: { breach: { number } } });
    expect(kept).toEqual([expect.objectContaining({ kind: 'initial', recipient: 'Roskomnadzor', recordedById: admin.id })]);
    await page.getByRole('button', { name: 'English' }).click();
    await signOut();
  });
});

describe('consents on a contact', () => {
  it('shows the consent given with the identity, records another, and withdraws one, kept (English and Russian)', async () => {
    const { page } = browser;
    const operator = await makeUser(server.services, ['operator']);
    const api = new Client(server.url);
    expect((await api.login(operator.username, operator.password)).status).toBe(200);
    const created = await api.post('/api/contacts', { channel: 'walk-in' });
    const saved = await api.patch(`/api/contacts/${created.body.id}`, {
      version: created.body.version,
      identity: { consent: true, name: 'Maria Petrova', consentMethod: 'written' },
    });
    expect(saved.status, saved.text).toBe(200);
    const contactId = created.body.id as string;

    await signInAs(page, server.url, operator.username, { path: `/contacts/edit?id=${contactId}` });
    const block = page.locator('[data-consents]');
    const identified = block.locator('li[data-purpose="identified_contact"]');
    await identified.waitFor();
    expect(await identified.textContent()).toContain('Identified contact record');
    expect(await identified.locator('[data-recorded]').textContent()).toContain(`given in writing; recorded by Test ${operator.username}`);

    // Another purpose, by SMS.
    await block.locator('[data-record-consent] summary').click();
    await block.getByLabel('Purpose').selectOption({ label: 'Call-backs and follow-up' });
    await block.getByLabel('How it was given').selectOption({ label: 'by SMS' });
    await block.getByRole('button', { name: 'Record', exact: true }).click();
    await block.locator('li[data-purpose="follow_up_callback"][data-withdrawn="false"]').waitFor();

    // Withdraw the identified record's consent, in writing.
    await identified.locator('[data-withdraw]').click();
    const dialog = page.locator('[data-dialog]');
    await dialog.getByText('are removed at once').waitFor();
    await dialog.getByLabel('How it was withdrawn').selectOption({ label: 'in writing' });
    await dialog.getByRole('button', { name: 'Record the withdrawal' }).click();
    const withdrawn = block.locator('li[data-purpose="identified_contact"][data-withdrawn="true"]');
    await withdrawn.waitFor();
    expect(await withdrawn.locator('[data-withdrawal]').textContent()).toContain(`withdrawn in writing; recorded by Test ${operator.username}`);
    // The identity is gone from the form; the record stays.
    await expect.poll(() => page.locator('[data-identity] input[type="checkbox"]').isChecked()).toBe(false);
    expect(await prisma().contactIdentity.count({ where: { contactId } })).toBe(0);
    expect(await prisma().consent.count({ where: { contactId } })).toBe(2);
    await screenshot(page, 'console-contact-consents');

    await page.getByRole('button', { name: 'Русский' }).click();
    await block.getByRole('heading', { name: 'Согласия' }).waitFor();
    expect(await withdrawn.textContent()).toContain('Обращение с личными данными');
    expect(await withdrawn.textContent()).toContain('Отозвано');
    expect(await withdrawn.locator('[data-withdrawal]').textContent()).toContain('отозвано письменно');
    expect(await block.locator('li[data-purpose="follow_up_callback"]').textContent()).toContain('дано по SMS');
    await screenshot(page, 'console-contact-consents-ru');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
