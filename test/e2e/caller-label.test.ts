// Callers by label in the browser, in English and Russian: the ring and the call panel show
// "Caller K-ABCDE" with the caller's history and no digit of the number; the R4 checklist's
// "Pass the number to 112" opens the break-glass dialog with the reason chosen, shows the number
// once, and the supervisor's console shows who revealed it and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine } from '../helpers/telephony.js';

let server: TestServer;
let op: BrowserSession;
let sup: BrowserSession;
let operatorId: string;

beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_WRAP_UP_SECONDS: '1', TELEPHONY_OFFER_TIMEOUT_SECONDS: '30' } });
  await makeLine(server);
  const [operator, supervisor] = [await makeUser(server.services, ['operator']), await makeUser(server.services, ['supervisor'])];
  operatorId = operator.id;
  [op, sup] = await Promise.all([openBrowser(), openBrowser()]);
  await signInAs(op.page, server.url, operator.username, { path: '/telephony/queue' });
  await signInAs(sup.page, server.url, supervisor.username, { path: '/telephony/queue' });
}, 120_000);
afterAll(async () => {
  await Promise.all([op?.close(), sup?.close()]);
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const TEXT = {
  en: { switchTo: 'English', caller: 'Caller', second: /2nd contact, last \d+ seconds? ago/, reason: 'Emergency services (112)' },
  ru: { switchTo: 'Русский', caller: 'Абонент', second: /2-е обращение, последнее \d+ секунд[уы]? назад/, reason: 'Экстренные службы (112)' },
} as const;
const FROM = { en: '+79163841957', ru: '+79165729384' } as const;
/** Four digits in a row from the number, anywhere in the page's text. */
const leaks = (text: string, from: string) => [...Array(from.length - 4).keys()].map((i) => from.slice(1 + i, 5 + i)).filter((run) => text.includes(run));

describe('callers by label, and break-glass from the R4 checklist', () => {
  for (const lang of ['en', 'ru'] as const) {
    it(`shows the label and history, and passes the number to 112 (${lang})`, async () => {
      const t = TEXT[lang];
      const from = FROM[lang];
      for (const s of [op, sup])
        await s.page
          .getByRole('button', { name: t.switchTo })
          .click({ timeout: 2_000 })
          .catch(() => {});
      const label = server.services.phones.label(server.services.phones.hash(from))!;
      const caller = callerFor(server);

      // Off the queue while an earlier call from the same number goes unanswered: the next call is
      // this caller's second contact.
      if (await op.page.locator('[data-my-state="available"]').count()) {
        await op.page.locator('[data-state="away"]').click();
        await op.page.locator('[data-my-state="away"]').waitFor();
      }
      const first = await caller.placeCall({ from, to: LINE_NUMBER, digits: '' });
      await caller.hangup(first.callSid);

      await op.page.locator('[data-state="available"]').click();
      await op.page.locator('[data-my-state="available"]').waitFor();
      const { callSid } = await caller.placeCall({ from, to: LINE_NUMBER, digits: '' });
      const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
      const ring = op.page.locator(`[data-offer="${call.id}"]`);
      await ring.waitFor({ timeout: 5_000 });
      expect(await ring.textContent()).toContain(`${t.caller} ${label}`);
      expect(await ring.locator('[data-caller-history]').textContent()).toMatch(t.second);
      const queued = sup.page.locator(`[data-queue] [data-call="${call.id}"]`);
      await queued.waitFor();
      expect(await queued.textContent()).toContain(`${t.caller} ${label}`);
      expect(leaks(await sup.page.locator('body').innerText(), from)).toEqual([]);

      await ring.locator('[data-action="accept"]').click();
      const panel = op.page.locator(`[data-call-panel="${call.id}"]`);
      await panel.waitFor();
      expect(await panel.locator('[data-caller-label]').textContent()).toBe(`${t.caller} ${label}`);
      expect(await panel.locator('[data-caller-history]').textContent()).toMatch(t.second);

      // The form opens by itself; the screener reaches R4 and the checklist offers 112.
      await op.page.locator('main[data-screen="contact"]').waitFor();
      for (const q of ['suicideThoughtsNow', 'suicidePlan', 'suicideIntent']) await op.page.locator(`[data-question="${q}"] input[value="yes"]`).check();
      await op.page.locator('[data-checklist]').waitFor({ timeout: 10_000 });
      expect(leaks(await op.page.locator('body').innerText(), from)).toEqual([]);
      await op.page.locator('[data-action="pass-to-112"]').click();
      const dialog = op.page.locator(`[data-reveal-dialog="${call.id}"]`);
      await dialog.waitFor();
      expect(await dialog.locator('[data-reveal-reason]').inputValue()).toBe('emergency_services');
      await dialog.locator('[data-action="confirm-reveal"]').click();
      await dialog.locator('[data-revealed-number]').waitFor();
      expect(await dialog.locator('[data-revealed-number]').textContent()).toBe(from);
      await dialog.locator('[data-supervisors-told]').waitFor();
      await screenshot(op.page, `caller-reveal-${lang}`);

      // The supervisor's console says who revealed which caller's number, and why; no number.
      const alert = sup.page.locator(`[data-reveal-alert="${call.id}"]`);
      await alert.waitFor({ timeout: 5_000 });
      const said = (await alert.textContent()) ?? '';
      expect(said).toContain(`${t.caller} ${label}`);
      expect(said).toContain(t.reason);
      expect(leaks(said, from)).toEqual([]);
      await screenshot(sup.page, `caller-reveal-alert-${lang}`);
      expect(await prisma().auditLog.count({ where: { action: 'caller.number.reveal', entityId: call.id } })).toBe(1);

      // Closing the dialog forgets the number; the call ends.
      await dialog.getByRole('button', { name: lang === 'en' ? 'Close' : 'Закрыть' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await op.page.locator('body').innerText()).not.toContain(from);
      await alert.getByRole('button').click();
      await panel.locator('[data-action="hangup"]').click();
      await panel.waitFor({ state: 'detached' });
      await expect
        .poll(async () => (await prisma().operatorState.findUniqueOrThrow({ where: { userId: operatorId } })).state, { timeout: 10_000 })
        .toBe('available');
      await op.page.goto(`${server.url}/#/telephony/queue`);
    });
  }
});
