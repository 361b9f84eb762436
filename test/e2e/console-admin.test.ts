// Administration in the browser: an admin edits roles, deactivates (the person's console is
// signed out at once), reactivates and resets a password; the last admin cannot drop their own
// role (the audit log viewer: audit-viewer.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let admin: BrowserSession;
let other: BrowserSession;
let adminUser: Awaited<ReturnType<typeof makeUser>>;

const signIn = (b: BrowserSession, username: string, password = TEST_PASSWORD) => signInAs(b.page, server.url, username, { password });

beforeAll(async () => {
  server = await startTestServer();
  [admin, other] = await Promise.all([openBrowser(), openBrowser()]);
  adminUser = await makeUser(server.services, ['admin']);
  await signIn(admin, adminUser.username);
  await admin.page.locator('[data-nav="users"]').click();
});
afterAll(async () => {
  await Promise.all([admin?.close(), other?.close()]);
  await server?.close();
});

const row = (username: string) => admin.page.locator(`[data-user-row="${username}"]`);

describe('Administration › Users', () => {
  it('edits a user’s roles and name', async () => {
    const op = await makeUser(server.services, ['operator']);
    await admin.page.reload();
    await row(op.username).getByRole('button', { name: 'Edit' }).click();
    const dialog = admin.page.locator('dialog[open]');
    await dialog.getByLabel('Full name').fill('Olga Smirnova');
    await dialog.getByLabel('Duty coordinator').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row(op.username).textContent()).toContain('Olga Smirnova');
    expect(await row(op.username).textContent()).toContain('Duty coordinator');
    expect((await server.services.users.list()).find((u) => u.id === op.id)?.roles).toEqual(['operator', 'coordinator']);
  });

  it('deactivates a user, whose open console returns to sign-in saying why, then reactivates them', async () => {
    const op = await makeUser(server.services, ['operator']);
    await signIn(other, op.username);
    await admin.page.reload();
    admin.page.once('dialog', (d) => void d.accept());
    await row(op.username).getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => row(op.username).textContent()).toContain('Deactivated');
    await other.page.getByText('Your account was deactivated or its password was reset').waitFor();
    await other.page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await row(op.username).getByRole('button', { name: 'Reactivate' }).click();
    await expect.poll(() => row(op.username).textContent()).toContain('Active');
    await signIn(other, op.username);
  });

  it('resets a password: the old one stops working, the new one signs in', async () => {
    const op = await makeUser(server.services, ['operator']);
    await admin.page.reload();
    await row(op.username).getByRole('button', { name: 'Reset password' }).click();
    const dialog = admin.page.locator('dialog[open]');
    await dialog.getByLabel('New password').fill('a brand new passphrase');
    await dialog.getByLabel('Repeat the password').fill('a brand new passphrase');
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await admin.page.getByText(`Password of ${op.displayName} reset.`).waitFor();

    await other.page.goto(`${server.url}/#/`);
    await other.page
      .getByRole('button', { name: 'Sign out' })
      .click()
      .catch(() => {});
    await other.page.getByLabel('Username').fill(op.username);
    await other.page.getByLabel('Password').fill(TEST_PASSWORD);
    await other.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => other.page.getByRole('alert').textContent()).toContain('Wrong username or password');
    await signIn(other, op.username, 'a brand new passphrase');
    expect(await other.page.locator('[data-user]').getAttribute('data-user')).toBe(op.username);
  });

  it('refuses to take the administrator role from the last admin, and says so', async () => {
    const admins = (await server.services.users.list()).filter((u) => u.active && u.roles.includes('admin'));
    expect(admins).toHaveLength(1);
    await row(adminUser.username).getByRole('button', { name: 'Edit' }).click();
    const dialog = admin.page.locator('dialog[open]');
    await dialog.getByLabel('Operator').check();
    await dialog.getByLabel('Administrator').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('last active administrator');
    await screenshot(admin.page, 'console-users-last-admin');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row(adminUser.username).getByRole('button', { name: 'Deactivate' }).isDisabled()).toBe(true);
  });
});

describe('in Russian', () => {
  it('shows the users screen in Russian, with plural-aware counts', async () => {
    await admin.page.getByRole('button', { name: 'Русский' }).click();
    await admin.page.getByRole('heading', { name: 'Пользователи' }).waitFor();
    const count = await server.services.users.list().then((l) => l.length);
    const form =
      count % 10 === 1 && count % 100 !== 11
        ? 'пользователь'
        : [2, 3, 4].includes(count % 10) && ![12, 13, 14].includes(count % 100)
          ? 'пользователя'
          : 'пользователей';
    await admin.page.getByText(`${count} ${form}`).waitFor();
    await screenshot(admin.page, 'console-users-ru');
    await admin.page.getByRole('button', { name: 'English' }).click();
    await admin.page.getByRole('heading', { name: 'Users' }).waitFor();
  });
});

// The audit log viewer has its own end-to-end test: test/e2e/audit-viewer.test.ts.
