// Telephony in the browser: the simulator places a call and the available operator's console
// rings; the operator accepts, holds, resumes, transfers warm to a second operator, who takes the
// call and hangs up; the supervisor's queue view follows every step live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let a: BrowserSession;
let b: BrowserSession;
let sup: BrowserSession;
let opA: Awaited<ReturnType<typeof makeUser>>;
let opB: Awaited<ReturnType<typeof makeUser>>;
let supervisor: Awaited<ReturnType<typeof makeUser>>;

const signIn = (s: BrowserSession, username: string, path: string) => signInAs(s.page, server.url, username, { path });

beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_WRAP_UP_SECONDS: '2', TELEPHONY_OFFER_TIMEOUT_SECONDS: '30' } });
  await makeLine(server);
  [opA, opB, supervisor] = [
    await makeUser(server.services, ['operator']),
    await makeUser(server.services, ['operator']),
    await makeUser(server.services, ['supervisor']),
  ];
  [a, b, sup] = await Promise.all([openBrowser(), openBrowser(), openBrowser()]);
  await signIn(a, opA.username, '/telephony/queue');
  await signIn(b, opB.username, '/telephony/sms');
  await signIn(sup, supervisor.username, '/telephony/queue');
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), sup?.close()]);
  await server?.close();
});

describe('answering in the browser', () => {
  it('rings, answers, holds, transfers warm, hangs up, and the supervisor follows it live', async () => {
    await a.page.locator('[data-state="available"]').click();
    await a.page.locator('[data-my-state="available"]').waitFor();

    const { callSid } = await server.services.telephony.gateway.caller!.placeCall({ from: '+79161112233', to: LINE_NUMBER, digits: '1' });
    const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid } });
    // The operator's console rings within a second of the caller joining the queue.
    await a.page.locator(`[data-offer="${call.id}"]`).waitFor({ timeout: 1_000 });
    // The supervisor's queue shows it, urgent (press 1), by the caller's label: no digit of the number.
    const supRow = sup.page.locator(`[data-queue] [data-call="${call.id}"]`);
    await supRow.waitFor();
    expect(await supRow.getAttribute('data-priority')).toBe('urgent');
    expect(await supRow.textContent()).toContain(`Caller ${server.services.phones.label(call.callerHash)}`);
    expect(await supRow.textContent()).not.toMatch(/2233|1611|1112/);

    await a.page.locator(`[data-offer="${call.id}"] [data-action="accept"]`).click();
    const panelA = a.page.locator(`[data-call-panel="${call.id}"]`);
    await panelA.waitFor();
    await supRow.waitFor({ state: 'detached' });
    const supActive = sup.page.locator(`[data-active-calls] [data-call="${call.id}"]`);
    await expect.poll(() => supActive.getAttribute('data-operator')).toBe(opA.id);

    await panelA.locator('[data-action="hold"]').click();
    await panelA.locator('[data-on-hold]').waitFor();
    await expect.poll(() => supActive.getAttribute('data-on-hold')).toBe('true');
    await panelA.locator('[data-action="hold"]').click();
    await panelA.locator('[data-on-hold]').waitFor({ state: 'detached' });
    await panelA.locator('[data-action="mute"]').click();
    expect(await panelA.locator('[data-action="mute"]').getAttribute('aria-pressed')).toBe('true');

    // Warm transfer: B is rung, joins, A leaves the call to B.
    await panelA.locator('[data-transfer-target]').selectOption(opB.id);
    await panelA.locator('[data-action="transfer"]').click();
    await b.page.locator(`[data-offer="${call.id}"]`).waitFor();
    await b.page.locator(`[data-offer="${call.id}"] [data-action="accept"]`).click();
    await panelA.locator('[data-consult]').waitFor();
    await panelA.locator('[data-action="complete-transfer"]').click();
    await panelA.waitFor({ state: 'detached' });
    await a.page.locator('[data-wrap-up]').waitFor();
    const panelB = b.page.locator(`[data-call-panel="${call.id}"]`);
    await panelB.waitFor();
    await expect.poll(() => supActive.getAttribute('data-operator')).toBe(opB.id);
    await screenshot(sup.page, 'telephony-supervisor-queue');

    await panelB.locator('[data-action="hangup"]').click();
    await panelB.waitFor({ state: 'detached' });
    await supActive.waitFor({ state: 'detached' });
    const row = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row).toMatchObject({ status: 'ended', operatorId: opB.id, endReason: 'operator-hangup' });
    // A's wrap-up ends on its timer and A is available again.
    await expect
      .poll(async () => (await server.services.infra.db.prisma.operatorState.findUniqueOrThrow({ where: { userId: opA.id } })).state, { timeout: 10_000 })
      .toBe('available');
    // (Answering opened the draft contact for A, so A goes back to the queue to see it.)
    await a.page.goto(`${server.url}/#/telephony/queue`);
    await a.page.locator('[data-my-state="available"]').waitFor({ timeout: 10_000 });
  });
});
