// The first administrator is made in the browser from the setup link, then creates an operator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer();
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('first start', () => {
  it('refuses a setup link with a wrong token, clearly', async () => {
    const { page } = browser;
    await server.services.auth.issueSetupToken();
    await page.goto(`${server.url}/#/setup?token=not-the-token`);
    await page.getByLabel('Full name').fill('Anna Petrova');
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await page.getByLabel('Repeat the password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('invalid, expired or already used');
  });

  it('creates the first administrator from the setup link and signs them in', async () => {
    const { page } = browser;
    const token = await server.services.auth.issueSetupToken();
    await page.goto(`${server.url}/#/setup?token=${token}`);
    await page.getByLabel('Full name').fill('Anna Petrova');
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await page.getByLabel('Repeat the password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Hello, Anna Petrova' }).waitFor();
    await expect.poll(() => page.locator('[data-roles]').getAttribute('data-roles')).toBe('admin');
    await screenshot(page, 'console-first-admin-home');
  });
});
