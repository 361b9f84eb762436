// Headless Chromium for end-to-end tests, through playwright-core and the system's Chromium.
// Each call gets a fresh profile (no cookies, no localStorage) that is deleted on close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { nextTotpCode, TEST_PASSWORD, totpSecrets } from './http.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The browser's language (navigator.languages), `en-US` unless a test needs another. */
  locale?: string;
}

export async function openBrowser(opts: OpenOptions = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'tl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    locale: opts.locale ?? 'en-US',
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join('test-results', `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in form and waits until the console's socket is live; then opens
 * `path` (a hash route such as `/telephony/queue`) when one is given. When the console asks for
 * the two-factor code it types the one computed from the secret the test enrolled (`totpSecrets`);
 * when it asks to set two-factor up, it reads the secret off the page, as a person scanning the
 * QR code would, confirms with a computed code and continues past the recovery codes. */
export async function signInAs(page: Page, baseUrl: string, username: string, opts: { password?: string; path?: string } = {}) {
  await page.goto(`${baseUrl}/#/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(opts.password ?? TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await completeSecondStep(page, username);
  await page.locator('[data-connection="live"]').waitFor();
  if (opts.path) await page.goto(`${baseUrl}/#${opts.path}`);
}

/** After the password: types the code, or sets two-factor up, whichever the console asks; nothing
 * when it signed straight in. Works in either language (it finds the steps by their data attributes). */
export async function completeSecondStep(page: Page, username: string) {
  const live = page.locator('[data-connection="live"]');
  const totp = page.locator('form[data-step="totp"]');
  const enrol = page.locator('form[data-step="enrol"]');
  await live.or(totp).or(enrol).first().waitFor();
  const key = username.toLowerCase();
  if (await totp.isVisible()) {
    await totp.locator('input[name="code"]').fill(await nextTotpCode(key));
    await totp.locator('button[type="submit"]').click();
  } else if (await enrol.isVisible()) {
    const secret = (await page.locator('[data-totp-secret]').textContent())!.replace(/\s+/g, '');
    totpSecrets.set(key, secret);
    await enrol.locator('input[name="code"]').fill(await nextTotpCode(key));
    await enrol.locator('button[type="submit"]').click();
    await page.locator('[data-step="recovery-codes"] button[data-action="recovery-saved"]').click();
  }
}
