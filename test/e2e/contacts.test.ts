// In Chromium: a simulated call comes in and an operator takes it; the contact form opens by
// itself; the operator records an anonymous contact with categories; the screener reaches R4; a
// supervisor's console shows the alert (banner + beep); the contact cannot be finalised until the
// safety checklist is complete; then it can.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, connectSocket } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let opBrowser: BrowserSession;
let supBrowser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  [opBrowser, supBrowser] = await Promise.all([openBrowser(), openBrowser()]);
});
afterAll(async () => {
  closeAllSockets();
  await opBrowser?.close();
  await supBrowser?.close();
  await server?.close();
});

const signIn = (page: Page, username: string) => signInAs(page, server.url, username);

const prisma = () => server.services.infra.db.prisma;

describe('an R4 contact from a simulated call', () => {
  it('opens the form for the operator who took the call, alerts supervisors and blocks finalising until the checklist is complete', async () => {
    const operator = await makeUser(server.services, ['operator']);
    const supervisor = await makeUser(server.services, ['supervisor']);
    await Promise.all([signIn(opBrowser.page, operator.username), signIn(supBrowser.page, supervisor.username)]);
    const op = opBrowser.page;
    const sup = supBrowser.page;

    // A call arrives through the signed Twilio webhooks (simulator); the draft exists at once.
    await makeLine(server);
    const placed = await callerFor(server).placeCall({ from: '+79165550101', to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid: placed.callSid } });
    const draft = await prisma().contact.findUniqueOrThrow({ where: { callId: call.id } });
    expect(draft).toMatchObject({ status: 'draft', channel: 'voice', operatorId: null });

    // The operator takes it (the telephony screen's accept command, sent as the same signed-in user).
    const cookie = (await opBrowser.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const phone = await connectSocket(server.url, cookie);
    const accepted = await phone.emitWithAck('call:accept', { callId: call.id });
    expect(accepted).toMatchObject({ ok: true });

    // The form opens by itself for this operator.
    await op.locator('main[data-screen="contact"]').waitFor();
    await op.locator('[data-risk-level="R0"]').waitFor();
    expect(op.url()).toContain(draft.id);

    // Anonymous contact with categories.
    await op.locator('[data-category="mental-health.suicidal-thoughts"]').check();
    await op.locator('[data-category="violence.bullying"]').check();
    await op.locator('[data-field="summary"]').fill('Teenager bullied at school, says he wants to die tonight');

    // The screener reaches R4: the level shows at once and the server confirms it.
    for (const q of ['suicideThoughtsNow', 'suicidePlan', 'suicideIntent']) await op.locator(`[data-question="${q}"] input[value="yes"]`).check();
    await op.locator('[data-local-risk="R4"]').waitFor();
    await op.locator('[data-risk-level="R4"]').waitFor({ timeout: 10_000 });
    await op.locator('[data-save-state="saved"]').waitFor();

    // Every supervisor console shows the alert, with a sound.
    await sup.locator(`[data-contact-alert="${draft.id}"]`).waitFor({ timeout: 10_000 });
    expect(await sup.evaluate(() => (window as unknown as { __tlBeeps?: number }).__tlBeeps ?? 0)).toBeGreaterThan(0);
    await screenshot(sup, 'contacts-supervisor-r4-alert');
    // It is on the supervisors' open high-risk list, not yet acknowledged; the banner stays on every screen.
    await sup.locator('[data-nav="contacts-high-risk"]').click();
    await expect.poll(() => sup.locator(`[data-high-risk-row="${draft.id}"]`).textContent()).toContain('not acknowledged');
    await sup.locator(`[data-contact-alert="${draft.id}"]`).waitFor();

    // Finalising is refused while the checklist is incomplete.
    await op.locator('[data-checklist]').waitFor();
    await op.locator('[data-finalise]').click();
    await expect.poll(() => op.locator('[data-notice="error"]').textContent()).toContain('Location confirmed');
    expect((await prisma().contact.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe('draft');
    await screenshot(op, 'contacts-operator-r4-blocked');

    // Complete the checklist, the safety plan and the follow-up: now it finalises.
    for (const k of ['locationConfirmed', 'emergencyCalled', 'stayedOnLine', 'supervisorJoined']) await op.locator(`[data-check="${k}"]`).check();
    await op.locator('[data-field="safetyPlan"]').fill('Ambulance sent; mother on her way; call back tomorrow');
    await op.locator('[data-field="followUpAt"]').fill('2030-01-01T10:00');
    await op.locator('[data-save-state="saved"]').waitFor();
    await op.locator('[data-finalise]').click();
    await op.locator('[data-notice="ok"]').waitFor();
    const row = await prisma().contact.findUniqueOrThrow({ where: { id: draft.id }, include: { categories: { include: { category: true } } } });
    expect(row).toMatchObject({ status: 'finalised', riskLevel: 'R4', identified: false, operatorId: operator.id });
    expect(row.categories.map((c) => c.category.code).sort()).toEqual(['mental-health.suicidal-thoughts', 'violence.bullying']);

    // The supervisor acknowledges; the banner goes.
    await sup.locator(`[data-contact-alert="${draft.id}"] button`).click();
    await sup.locator(`[data-contact-alert="${draft.id}"]`).waitFor({ state: 'detached' });
    expect((await prisma().contact.findUniqueOrThrow({ where: { id: draft.id } })).alertAckedAt).toBeInstanceOf(Date);
    await callerFor(server)
      .hangup(placed.callSid)
      .catch(() => {});
  });

  it('lets an administrator rename and retire a category, and see the example areas', async () => {
    const admin = await makeUser(server.services, ['admin']);
    const b = await openBrowser();
    try {
      await signIn(b.page, admin.username);
      await b.page.locator('[data-nav="contact-config"]').click();
      await b.page.locator('[data-category-row="education"]').waitFor();
      expect(await b.page.locator('[data-area-row]').count()).toBe(13);
      const row = b.page.locator('[data-category-row="information"]');
      await row.getByLabel('English').fill('Information or advice');
      await row.getByLabel('English').press('Tab');
      await row.getByLabel('Retired').check();
      await expect.poll(async () => (await prisma().category.findUniqueOrThrow({ where: { code: 'information' } })).retired).toBe(true);
      expect((await prisma().category.findUniqueOrThrow({ where: { code: 'information' } })).labelEn).toBe('Information or advice');
      await screenshot(b.page, 'contacts-admin-config');
    } finally {
      await b.close();
    }
  });
});
