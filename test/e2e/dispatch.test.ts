// Urgent help end to end in Chromium: an operator sends a food set from a contact, the
// coordinator's board shows it live, the simulated provider accepts by SMS (a signed inbound
// Twilio webhook), then marks it delivered through the signed link on its phone-sized page; the
// board follows each step and the contact's timeline holds every step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine, until } from '../helpers/telephony.js';

let server: TestServer;
let operatorBrowser: BrowserSession;
let coordinatorBrowser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
  operatorBrowser = await openBrowser({ locale: 'en-US' });
  coordinatorBrowser = await openBrowser({ locale: 'en-US' });
});
afterAll(async () => {
  await operatorBrowser?.close();
  await coordinatorBrowser?.close();
  await server?.close();
});

const signIn = (b: BrowserSession, username: string) => signInAs(b.page, server.url, username);

describe('urgent help from a contact to delivery', () => {
  it('operator sends a food set, the board follows it, the provider accepts by SMS and delivers by link', async () => {
    const prisma = server.services.infra.db.prisma;
    const operator = await makeUser(server.services, ['operator']);
    const coordinator = await makeUser(server.services, ['coordinator']);
    const contact = await prisma.contact.create({ data: { channel: 'voice', operatorId: operator.id } });

    // The coordinator watches the board.
    await signIn(coordinatorBrowser, coordinator.username);
    const board = coordinatorBrowser.page;
    await board.goto(`${server.url}/#/dispatch`);
    await board.locator('[data-column="offered"]').waitFor();

    // The operator sends a food set from the contact.
    await signIn(operatorBrowser, operator.username);
    const op = operatorBrowser.page;
    await op.goto(`${server.url}/#/contacts/edit?id=${contact.id}`);
    await op.locator('[data-action="send-help"]').click();
    await op.getByLabel('District or settlement').fill('Кировский район');
    await op.locator('[data-action="suggest"]').click();
    await op.locator('[data-suggestions] li').first().waitFor();
    expect(await op.locator('[data-suggestions]').innerText()).toMatch(/serves Кировский район/);
    await op.getByLabel('Note for the provider (only what they need)').fill('two children, no car');
    await op.locator('[data-action="submit"]').click();
    const sent = Number(await op.locator('[data-sent]').getAttribute('data-sent'));
    expect(sent).toBeGreaterThan(0);
    await screenshot(op, 'dispatch-sent');

    // The board shows it in the Offered column, live.
    await board.locator(`[data-column="offered"] [data-dispatch="${sent}"]`).waitFor();
    await screenshot(board, 'dispatch-board-offered');

    // The provider answers "yes" by SMS from the phone the offer went to.
    const dispatch = await prisma.dispatch.findFirstOrThrow({ where: { number: sent } });
    const offer = await until(() => prisma.dispatchOffer.findFirst({ where: { dispatchId: dispatch.id, smsStatus: { not: 'queued' } } }));
    const phone = await prisma.dirPhone.findUniqueOrThrow({ where: { id: offer.phoneId! } });
    await callerFor(server).sendSms({
      from: server.services.phones.decrypt(phone.numberEnc),
      to: LINE_NUMBER,
      body: `YES ${offer.code}`,
      messageSid: `SM${Date.now()}e2e`,
    });
    await board.locator(`[data-column="accepted"] [data-dispatch="${sent}"]`).waitFor();

    // Then marks it delivered through the signed link from the SMS, on a phone-sized page.
    const sms = await prisma.message.findFirstOrThrow({ where: { purpose: 'dispatch.offer', refId: offer.id } });
    const link = /\/p\/offer\/\S+/.exec(sms.body)![0];
    const phonePage = await operatorBrowser.context.newPage();
    await phonePage.setViewportSize({ width: 390, height: 800 });
    await phonePage.goto(server.url + link);
    await phonePage.getByText('two children, no car').waitFor();
    await phonePage.locator('button[data-action="delivered"]').click();
    await phonePage.locator('[data-state="delivered"]').waitFor();
    await screenshot(phonePage, 'dispatch-provider-delivered');
    await board.locator(`[data-column="delivered"] [data-dispatch="${sent}"]`).waitFor();
    await screenshot(board, 'dispatch-board-delivered');

    // The contact's timeline holds every step.
    const timeline = await prisma.contactEvent.findMany({ where: { contactId: contact.id }, orderBy: { at: 'asc' } });
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['dispatch.requested', 'dispatch.offered', 'dispatch.sms_queued', 'dispatch.accepted', 'dispatch.delivered']),
    );
    // …and the operator sees them on the contact's screen.
    await op.goto(`${server.url}/#/contacts/edit?id=${contact.id}`);
    const shown = op.locator('[data-contact-timeline]');
    await shown.locator('li[data-kind="dispatch.delivered"]').waitFor();
    for (const kind of ['dispatch.requested', 'dispatch.offered', 'dispatch.accepted']) {
      expect(await shown.locator(`li[data-kind="${kind}"]`).count()).toBeGreaterThan(0);
    }
    expect(await shown.innerText()).toMatch(new RegExp(`Urgent help №${sent}: Delivered`));
    await screenshot(op, 'dispatch-contact-timeline');
  });

  it('the coordinator adds a service (kinds, area, holiday, SMS number) to the directory', async () => {
    const board = coordinatorBrowser.page;
    await board.goto(`${server.url}/#/directory`);
    await board.locator('[data-org]').first().waitFor();
    await board.locator('[data-action="add-service"]').click();
    const form = board.locator('form[data-form="service"]');
    await form.getByLabel('Or a new organisation (name)').fill('Volunteer kitchen');
    await form.getByLabel('Service name').fill('Hot meals tonight');
    await form.getByLabel('Food set / hot meal').check();
    await form.getByLabel('Districts and settlements served, comma-separated (* for all)').fill('Советский район');
    await form.getByLabel('Holidays, closed (YYYY-MM-DD, comma-separated)').fill('2026-12-31');
    await form.getByLabel('SMS number for offers (leave empty to keep)').fill('+7 900 222 33 44');
    await form.locator('[data-action="save-service"]').click();
    await board.getByRole('heading', { name: /Hot meals tonight/ }).waitFor();
    const service = await server.services.infra.db.prisma.dirService.findFirstOrThrow({
      where: { name: 'Hot meals tonight' },
      include: { schedules: true, phones: true, areas: true },
    });
    expect(service.urgentKinds).toEqual(['food']);
    expect(service.areas.map((a) => a.name)).toEqual(['Советский район']);
    expect(service.schedules).toHaveLength(2);
    expect(service.phones[0]!.numberMasked).toMatch(/3344$/);
    await screenshot(board, 'directory-service-added');
  });
});
