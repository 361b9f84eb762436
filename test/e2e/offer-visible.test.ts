// An offer cannot be missed by an operator deep in a long page: it floats in view wherever the
// page is scrolled, the tab's title flashes while it rings, and once answered the call panel stays
// at the top of the screen while the page scrolls under it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBrowser, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let op: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_OFFER_TIMEOUT_SECONDS: '30' } });
  await makeLine(server);
  const user = await makeUser(server.services, ['operator']);
  op = await openBrowser();
  await signInAs(op.page, server.url, user.username, { path: '/telephony/queue' });
}, 120_000);
afterAll(async () => {
  await op?.close();
  await server?.close();
});

const inView = async (selector: string) => {
  const box = await op.page.locator(selector).boundingBox();
  const height = await op.page.evaluate(() => window.innerHeight);
  return !!box && box.y >= 0 && box.y + box.height <= height;
};

it('keeps the ring and then the call panel in view, and flashes the tab title while it rings', async () => {
  const { page } = op;
  await page.locator('[data-state="available"]').click();
  await page.locator('[data-my-state="available"]').waitFor();
  const title = await page.title();
  // A screen far longer than the window, scrolled to its end (as the contact form can be).
  await page.evaluate(() => {
    document.querySelector('main')!.style.minHeight = '6000px';
    window.scrollTo(0, 5000);
  });

  const { callSid } = await server.services.telephony.gateway.caller!.placeCall({ from: '+79161114455', to: LINE_NUMBER, digits: '' });
  const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid } });
  const ring = `[data-offer="${call.id}"]`;
  await page.locator(ring).waitFor();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(4000);
  expect(await inView(ring)).toBe(true);
  await expect.poll(() => page.title()).toBe('☎ Incoming call');

  await page.locator(`${ring} [data-action="accept"]`).click();
  const panel = `[data-call-panel="${call.id}"]`;
  await page.locator(panel).waitFor();
  await expect.poll(() => page.title(), { timeout: 3_000 }).toBe(title);
  await page.evaluate(() => window.scrollTo(0, 5000));
  await expect.poll(() => inView(panel)).toBe(true);
  // Hanging up and finishing the contact are different actions, with different words.
  expect(await page.locator(`${panel} [data-action="hangup"]`).textContent()).toContain('Hang up');
});
