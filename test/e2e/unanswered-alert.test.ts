// A caller nobody answers is never left unseen: when the no-answer time passes with no operator
// available, every supervisor's console shows an alert on whatever screen it is on, in the
// supervisor's language, with the caller's label (no digit of the number); the alert goes when
// the caller hangs up.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBrowser, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let en: BrowserSession;
let ru: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_NO_ANSWER_SECONDS: '2' } });
  await makeLine(server);
  const [a, b] = [await makeUser(server.services, ['supervisor']), await makeUser(server.services, ['supervisor'])];
  [en, ru] = await Promise.all([openBrowser(), openBrowser()]);
  // On screens other than the queue: the alert must reach them anywhere.
  await signInAs(en.page, server.url, a.username, { path: '/contacts' });
  await signInAs(ru.page, server.url, b.username, { path: '/wallboard' });
  await ru.page.locator('header [data-locale="ru"]').first().click();
  await ru.page.locator('html[lang="ru"]').waitFor();
}, 120_000);
afterAll(async () => {
  await Promise.all([en?.close(), ru?.close()]);
  await server?.close();
});

it('alerts every supervisor when a caller waits unanswered, and clears when the caller leaves', async () => {
  const caller = server.services.telephony.gateway.caller!;
  const { callSid } = await caller.placeCall({ from: '+79161117788', to: LINE_NUMBER, digits: '' });
  const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid } });
  const label = server.services.phones.label(call.callerHash);

  const alertEn = en.page.locator(`[data-unanswered-alert="${call.id}"]`);
  const alertRu = ru.page.locator(`[data-unanswered-alert="${call.id}"]`);
  await alertEn.waitFor({ timeout: 15_000 });
  await alertRu.waitFor({ timeout: 15_000 });
  expect(await alertEn.textContent()).toContain('No one has answered');
  expect(await alertEn.textContent()).toContain(`Caller ${label} has waited 1 minute in the queue.`);
  expect(await alertRu.textContent()).toContain('Никто не ответил');
  expect(await alertRu.textContent()).toContain(`Абонент ${label} ждёт в очереди 1 минуту.`);
  for (const text of [await alertEn.textContent(), await alertRu.textContent()]) expect(text).not.toMatch(/7788|1611|1117/);

  // One supervisor dismisses it; the other keeps it until the caller hangs up.
  await alertEn.getByRole('button', { name: 'Dismiss' }).click();
  await alertEn.waitFor({ state: 'detached' });
  await caller.hangup(callSid);
  await alertRu.waitFor({ state: 'detached', timeout: 10_000 });
});
