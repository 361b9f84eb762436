// The first administrator is made in the browser from the setup link, then creates an operator
// who signs in and sees an operator's console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSecondStep, openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;
const PASS = 'a long enough passphrase';

beforeAll(async () => {
  server = await startTestServer();
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const navIds = () => browser.page.locator('nav [data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));

describe('first start in the browser', () => {
  it('refuses a setup link with a wrong token, clearly', async () => {
    const { page } = browser;
    await server.services.auth.issueSetupToken();
    await page.goto(`${server.url}/#/setup?token=not-the-token`);
    await page.getByLabel('Full name').fill('Anna Petrova');
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the password').fill(PASS);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('invalid, expired or already used');
    expect(await server.services.auth.needsSetup()).toBe(true);
  });

  it('creates the first administrator from the setup link; they set up two-factor with the QR code and are signed in', async () => {
    const { page } = browser;
    const token = await server.services.auth.issueSetupToken();
    await page.goto(`${server.url}/#/setup?token=${token}`);
    await page.getByLabel('Full name').fill('Anna Petrova');
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the password').fill(PASS);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    // Admins sign in with two-factor: the console guides the newcomer through it at once.
    await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
    await page.getByRole('img', { name: 'QR code to scan with the authenticator app' }).waitFor();
    await screenshot(page, 'console-setup-totp');
    await completeSecondStep(page, 'anna');
    await page.getByRole('heading', { name: 'Hello, Anna Petrova' }).waitFor();
    expect(await page.locator('[data-roles]').getAttribute('data-roles')).toBe('admin');
    // The admin is online and sees it on the live "who is online" list.
    await page.locator('[data-online-list] li', { hasText: 'Anna Petrova' }).waitFor();
    await screenshot(page, 'console-admin-home');
  });

  it('lets the administrator create an operator, naming bad fields', async () => {
    const { page } = browser;
    await page.locator('[data-nav="users"]').click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Full name').fill('Oleg Ivanov');
    await dialog.getByLabel('Username').fill('anna');
    await dialog.getByLabel('Password', { exact: true }).fill('short');
    await dialog.getByLabel('Repeat the password').fill('short');
    await dialog.getByLabel('Operator').check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => dialog.locator('[data-field-error="password"]').textContent()).toContain('At least 10 characters');

    await dialog.getByLabel('Password', { exact: true }).fill(PASS);
    await dialog.getByLabel('Repeat the password').fill(PASS);
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => dialog.locator('[data-field-error="username"]').textContent()).toContain('Already taken');

    await dialog.getByLabel('Username').fill('oleg');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.locator('[data-user-row="oleg"]').waitFor();
    await expect.poll(() => page.locator('[data-user-row="oleg"]').textContent()).toContain('Operator');
    await screenshot(page, 'console-users');
  });

  it('signs the operator in to an operator console', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill('oleg');
    await page.getByLabel('Password').fill(PASS);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, Oleg Ivanov' }).waitFor();
    expect(await navIds()).not.toContain('users');
    expect(await navIds()).not.toContain('audit');
  });
});
