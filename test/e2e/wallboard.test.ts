// The wallboard in Chromium: the simulator sends a burst of calls and the wallboard's waiting
// count and longest wait follow, live; the longest wait ticks on its own. Screenshots of the
// wallboard and of the wall screen (kiosk) go under test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSecondStep, openBrowser, screenshot, type BrowserSession } from '../helpers/browser.js';
import { makeUser, signedIn, TEST_PASSWORD } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_NO_ANSWER_SECONDS: '600' } });
  await makeLine(server);
  browser = await openBrowser({ locale: 'en-US' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const figure = (name: string) => browser.page.locator(`[data-figure="${name}"] .value`);
const seconds = (text: string) => text.split(':').reduce((s, part) => s * 60 + Number(part), 0);

describe('wallboard in the browser', () => {
  it('follows a burst of calls from the simulator: waiting count and a ticking longest wait', async () => {
    const supervisor = await makeUser(server.services, ['supervisor']);
    const { page } = browser;
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('Username').fill(supervisor.username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await completeSecondStep(page, supervisor.username);
    await page.goto(`${server.url}/#/wallboard`);
    await page.getByRole('heading', { name: 'Wallboard' }).waitFor();
    await expect.poll(() => figure('waiting').textContent()).toBe('0');

    const sids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await callerFor(server).placeCall({ from: `+7916555${String(1000 + i)}`, to: LINE_NUMBER, digits: '' });
      sids.push(res.callSid);
    }
    await expect.poll(() => figure('waiting').textContent(), { timeout: 5_000 }).toBe('5');
    const first = seconds((await figure('longest-wait').textContent())!);
    // The figure is redrawn once a second, so a reading may be up to a second old: 3.2 s later it
    // has moved on by at least 2 s (it ticks on its own; no new event arrives meanwhile).
    await page.waitForTimeout(3_200);
    const later = seconds((await figure('longest-wait').textContent())!);
    expect(later - first).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'wallboard-burst');

    // Two callers give up: the board follows down.
    await callerFor(server).hangup(sids[0]!);
    await callerFor(server).hangup(sids[1]!);
    await expect.poll(() => figure('waiting').textContent(), { timeout: 5_000 }).toBe('3');
    await expect.poll(() => figure('abandoned').textContent(), { timeout: 5_000 }).toMatch(/^2/);

    // The wall screen: same figures, large type, no actions.
    await page.goto(`${server.url}/#/kiosk`);
    await page.locator('[data-kiosk] [data-figure="waiting"] .value').waitFor();
    await expect.poll(() => page.locator('[data-kiosk] [data-figure="waiting"] .value').textContent()).toBe('3');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await screenshot(page, 'wallboard-kiosk');
    for (const sid of sids.slice(2))
      await callerFor(server)
        .hangup(sid)
        .catch(() => {});
  });

  it('opens the wall screen from a kiosk link, signed in read-only', async () => {
    const { client: admin } = await signedIn(server.url, server.services, ['admin']);
    const link = await admin.post('/api/wallboard/kiosks', { label: 'Зал' });
    expect(link.status).toBe(201);
    const wall = await openBrowser({ locale: 'ru-RU' });
    try {
      await wall.page.goto(link.body.url);
      await wall.page.locator('[data-kiosk] [data-figure="waiting"] .value').waitFor({ timeout: 10_000 });
      expect(wall.page.url()).not.toContain('token=');
      expect(await wall.page.getByText('Звонков в очереди').count()).toBe(1);
      await screenshot(wall.page, 'wallboard-kiosk-link');
    } finally {
      await wall.close();
    }
  });

  it('shows supervisors the text messages that have not reached Twilio, in English and Russian', async () => {
    // A message written and never handed over (its job never queued), five minutes old.
    const { messageId } = await server.services.transaction((tx) =>
      server.services.sms.sendToNumber({ toPhone: '+79160001122', body: 'Предложение 4821', purpose: 'dispatch.offer' }, tx),
    );
    await server.services.infra.db.prisma.message.update({ where: { id: messageId }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
    const supervisor = await makeUser(server.services, ['supervisor']);
    const { page } = browser;
    await page.goto(`${server.url}/#/`);
    if (await page.getByLabel('Username').count()) {
      await page.getByLabel('Username').fill(supervisor.username);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await completeSecondStep(page, supervisor.username);
    }
    await page.goto(`${server.url}/#/wallboard`);
    const panel = page.locator('[data-stuck-messages]');
    await panel.waitFor({ timeout: 10_000 }).catch(async (err) => {
      throw new Error(`${err.message}\n${await page.locator('main').textContent()}`);
    });
    await expect.poll(() => panel.textContent()).toContain('Text messages not sent');
    expect(await panel.textContent()).toContain('Offer to a provider');
    expect(await panel.textContent()).toContain('waiting for a sender');
    expect(await panel.textContent()).not.toContain('4821');
    await screenshot(page, 'wallboard-stuck-sms');
    await page.getByRole('button', { name: 'Русский' }).click();
    await expect.poll(() => panel.textContent()).toContain('Неотправленные СМС');
    expect(await panel.textContent()).toContain('Предложение поставщику');
    await page.getByRole('button', { name: 'English' }).click();
    await server.services.infra.db.prisma.message.delete({ where: { id: messageId } });
  });
});
