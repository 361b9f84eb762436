// SMS and the simulator in the browser: an admin sends an SMS from the simulator page; the
// available operator is offered the thread, takes it, replies in Russian (the segment count shows
// UCS-2) and sees the reply delivered; an admin places a call from the simulator page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine } from '../helpers/telephony.js';

let server: TestServer;
let admin: BrowserSession;
let op: BrowserSession;
const refused: string[] = [];

const signIn = (s: BrowserSession, username: string, path: string) => signInAs(s.page, server.url, username, { path });

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
  const [adminUser, operator] = [await makeUser(server.services, ['admin']), await makeUser(server.services, ['operator'])];
  [admin, op] = await Promise.all([openBrowser(), openBrowser()]);
  op.page.on('response', (r) => {
    if (r.url().includes('/api/telephony') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
  });
  await signIn(admin, adminUser.username, '/admin/simulator');
  await signIn(op, operator.username, '/telephony/queue');
}, 120_000);
afterAll(async () => {
  await Promise.all([admin?.close(), op?.close()]);
  await server?.close();
});

describe('SMS in the browser', () => {
  it('offers a simulated SMS to the operator, who takes it and replies; the reply is delivered', async () => {
    await op.page.locator('[data-state="available"]').click();
    await op.page.locator('[data-my-state="available"]').waitFor();
    await admin.page.locator('[data-sim-from]').fill('+79165554433');
    await admin.page.locator('[data-sim-sms]').fill('Здравствуйте, мне нужна помощь');
    await admin.page.locator('[data-action="sim-sms"]').click();
    await admin.page.locator('[data-sim-result="200"]').waitFor();

    const ring = op.page.locator('[data-thread-offer]');
    await ring.waitFor();
    await ring.locator('[data-action="take-thread"]').click();
    await op.page.locator('[data-screen="sms"]').waitFor();
    await op.page.locator('[data-thread]').first().click();
    await op.page.getByText('Здравствуйте, мне нужна помощь').waitFor();
    await op.page.getByLabel('Reply').fill('Я здесь. Расскажите, что случилось?');
    expect(await op.page.locator('[data-segments]').textContent()).toContain('UCS-2');
    await op.page.getByRole('button', { name: 'Send' }).click();
    await op.page.locator('[data-messages] li.outbound[data-status="delivered"]').waitFor({ timeout: 10_000 });
    // The conversation's draft contact opened by itself, beside the thread.
    await op.page.locator('[data-sms-contact] [data-finalise]').waitFor();
    await op.page.screenshot({ path: 'test-results/sms-thread-with-contact.png', fullPage: true });
  });

  it('places a call from the simulator page; it waits in the operator queue', async () => {
    await op.page.goto(`${server.url}/#/telephony/queue`);
    await op.page.locator('[data-state="away"]').click();
    await admin.page.locator('[data-sim-digits]').fill('1');
    await admin.page.locator('[data-action="sim-call"]').click();
    await admin.page.locator('[data-sim-call]').first().waitFor();
    await op.page.locator('[data-queue] [data-priority="urgent"]').waitFor();
    await admin.page.locator('[data-action="sim-hangup"]').first().click();
    await op.page.locator('[data-queue] [data-priority="urgent"]').waitFor({ state: 'detached' });
    expect(refused).toEqual([]);
  });
});
