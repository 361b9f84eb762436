// Two-factor sign-in in Chromium, in English and in Russian: an administrator made without
// two-factor signs in, is guided through setting it up (the QR code and the key on the page; the
// test reads the key as a person would scan it and computes the code with otplib), keeps the
// recovery codes, lands in the console; signs out and in again with a code; sees their sessions
// on the security page with "this one". A wrong code is refused in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { totpCode } from '../../server/src/modules/auth/totp.js';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser, nextTotpCode, TEST_PASSWORD, totpSecrets } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const TEXTS = {
  en: {
    locale: 'en-US',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    enrolTitle: 'Set up two-factor sign-in',
    code: 'Code',
    confirm: 'Confirm',
    recoveryTitle: 'Your recovery codes',
    saved: 'I have saved the codes — continue',
    hello: 'Hello',
    signOut: 'Sign out',
    wrong: 'The code is wrong or was already used',
    security: 'Security',
    securityTitle: 'Account security',
    thisOne: 'this one',
    on: 'On',
  },
  ru: {
    locale: 'ru-RU',
    username: 'Имя пользователя',
    password: 'Пароль',
    signIn: 'Войти',
    enrolTitle: 'Настройка двухфакторного входа',
    code: 'Код',
    confirm: 'Подтвердить',
    recoveryTitle: 'Ваши резервные коды',
    saved: 'Я сохранил(а) коды — продолжить',
    hello: 'Здравствуйте',
    signOut: 'Выйти',
    wrong: 'Код неверен или уже использован',
    security: 'Безопасность',
    securityTitle: 'Безопасность учётной записи',
    thisOne: 'этот',
    on: 'Включён',
  },
} as const;

describe.each(['en', 'ru'] as const)('two-factor sign-in in the console (%s)', (lang) => {
  const tx = TEXTS[lang];
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await openBrowser({ locale: tx.locale });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an admin sets it up at the first sign-in, then signs in again with a code', async () => {
    const { page } = browser;
    const username = `e2e-admin-${lang}-${Date.now().toString(36)}`;
    await server.services.users.create({ username, displayName: `Admin ${lang}`, password: TEST_PASSWORD, roles: ['admin'] }, systemActor('test'));

    await page.goto(`${server.url}/#/`);
    await page.getByLabel(tx.username).fill(username);
    await page.getByLabel(tx.password).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: tx.signIn }).click();
    await page.getByRole('heading', { name: tx.enrolTitle }).waitFor();
    const qr = page.locator('form[data-step="enrol"] img');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await screenshot(page, `auth-totp-enrol-${lang}`);

    // The key as the page shows it (groups of four), read as a person would type it into the app.
    const secret = (await page.locator('[data-totp-secret]').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    totpSecrets.set(username, secret);

    // A wrong code is refused in words, and nothing is signed in.
    await page.getByLabel(tx.code).fill((await totpCode(secret)) === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: tx.confirm }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain(tx.wrong);

    await page.getByLabel(tx.code).fill(await nextTotpCode(username));
    await page.getByRole('button', { name: tx.confirm }).click();
    await page.getByRole('heading', { name: tx.recoveryTitle }).waitFor();
    const codes = await page.locator('[data-step="recovery-codes"] li').allTextContents();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c.trim()).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    await screenshot(page, `auth-totp-recovery-${lang}`);
    await page.getByRole('button', { name: tx.saved }).click();
    await page.getByRole('heading', { name: new RegExp(tx.hello) }).waitFor();
    await page.locator('[data-connection="live"]').waitFor();

    const row = await server.services.infra.db.prisma.user.findUniqueOrThrow({ where: { username } });
    expect(row.totpEnabledAt).not.toBeNull();

    // Out, and in again: password, then the code.
    await page.getByRole('button', { name: tx.signOut }).click();
    await page.getByLabel(tx.username).fill(username);
    await page.getByLabel(tx.password).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: tx.signIn }).click();
    const codeForm = page.locator('form[data-step="totp"]');
    await codeForm.waitFor();
    await screenshot(page, `auth-totp-code-${lang}`);
    await codeForm.getByLabel(tx.code).fill(await nextTotpCode(username));
    await codeForm.getByRole('button', { name: tx.confirm }).click();
    await page.getByRole('heading', { name: new RegExp(tx.hello) }).waitFor();
    await page.locator('[data-connection="live"]').waitFor();

    // The security page: two-factor on, this session marked.
    await page.getByRole('link', { name: tx.security }).click();
    await page.getByRole('heading', { name: tx.securityTitle }).waitFor();
    await expect.poll(() => page.locator('[data-totp-state="on"]').textContent()).toContain(tx.on);
    await expect.poll(() => page.locator('[data-session-row][data-current="true"]').textContent()).toContain(tx.thisOne);
    expect(await page.locator('[data-session-row][data-current="true"]').textContent()).toContain('Chrome');
    await screenshot(page, `auth-totp-security-${lang}`);
  });
});

describe('idle timeout in the console', () => {
  let idle: TestServer;
  let browser: BrowserSession;
  beforeAll(async () => {
    // The shortest idle time there is: the warning shows at once, the console signs out 30 s early.
    idle = await startTestServer({ env: { SESSION_IDLE_MINUTES: '1' } });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await idle?.close();
  });

  it('warns with a countdown, then signs out to the sign-in page saying why; the session ends on the server', async () => {
    const { page } = browser;
    const user = await makeUser(idle.services, ['operator']);
    await signInAs(page, idle.url, user.username);
    const warning = page.locator('[data-idle-warning]');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/You will be signed out in \d+ s because of inactivity/);
    await warning.getByRole('button', { name: 'Stay signed in' }).waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 45_000 });
    await expect.poll(() => page.getByText('You were signed out after 1 minute without activity.').count()).toBe(1);
    await screenshot(page, 'auth-idle-signed-out');
    // The session is gone on the server too.
    expect(await idle.services.infra.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  }, 90_000);

  it('keeps an operator who is available for calls signed in with no key pressed: waiting for the phone is work', async () => {
    const { page } = browser; // signed out by the test before
    const user = await makeUser(idle.services, ['operator']);
    await signInAs(page, idle.url, user.username, { path: '/telephony/queue' });
    await page.locator('[data-state="available"]').click();
    await page.locator('[data-my-state="available"]').waitFor();
    // Past the point where an idle console signs out (idle time less 30 s), with no input at all.
    await page.waitForTimeout(40_000);
    // (With the 1-minute idle time the notice always shows, the countdown never runs out.)
    expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    expect(await page.locator('[data-connection="live"]').count()).toBe(1);
    expect(await idle.services.infra.db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  }, 90_000);
});
