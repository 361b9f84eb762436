// Escalation to a case in Chromium: an operator escalates a contact from the contact screen
// ("Open a case", /#/cases/new?contactId=…), a curator takes and opens the case, records
// the check and the risk assessment, writes a plan with a task, sees the statutory deadlines in
// working days across the 4 November holiday, closes with "situation improved", and the results
// page counts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarOf, isoDateIn, workingDaysBetween } from '@trustline/shared';
import { openBrowser, screenshot, type BrowserSession, signInAs } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
let browser: BrowserSession;

beforeAll(async () => {
  server = await startTestServer({ workers: true });
  browser = await openBrowser({ locale: 'en-US' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signIn = (username: string) => signInAs(browser.page, server.url, username);
async function signOut() {
  await browser.page.getByRole('button', { name: 'Sign out' }).click();
  await browser.page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

describe('a case from escalation to results', () => {
  it('operator escalates, curator works the cycle and closes, results count it', async () => {
    const { page } = browser;
    const prisma = server.services.infra.db.prisma;
    const operator = await makeUser(server.services, ['operator']);
    const contact = await prisma.contact.create({
      data: { channel: 'voice', operatorId: operator.id, phoneHash: server.services.phones.hash('+79130001122') },
    });
    const curator = await makeUser(server.services, ['curator']);
    const supervisor = await makeUser(server.services, ['supervisor']);

    // The operator escalates the contact.
    await signIn(operator.username);
    await page.goto(`${server.url}/#/contacts/edit?id=${contact.id}`);
    await page.locator('[data-open-case] [data-escalate]').click();
    await page.locator('main[data-screen="cases-new"]').waitFor();
    expect(page.url()).toContain(`contactId=${contact.id}`);
    const form = page.locator('form[data-new-case]');
    await form.getByLabel('Name (person or family)').fill('Petrov family');
    await form.getByLabel('District').fill('Kirovsky');
    await page.locator('[data-add-member]').click();
    await page.locator('input[name="member-0-name"]').fill('Kolya');
    await page.locator('input[name="member-0-relation"]').fill('son');
    await page.locator('input[name="member-0-age"]').fill('6');
    await page.locator('input[name="applicationDate"]').fill('2026-11-02');
    await page.getByLabel('The person agreed to their data being moved into a case').check();
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.locator('[data-notice="ok"]').waitFor();
    const number = (await prisma.case.findFirstOrThrow({ where: { contacts: { some: { contactId: contact.id } } } })).number;
    expect(await page.locator('[data-notice="ok"]').textContent()).toContain(`Case №${number}`);
    // An operator cannot open the case's content.
    expect(await page.locator('[data-open-created]').count()).toBe(0);
    await signOut();

    // The curator takes and works it.
    await signIn(curator.username);
    await page.goto(`${server.url}/#/cases`);
    await page.locator(`[data-case-row="${number}"] a`).click();
    await page.locator(`[data-case-number="${number}"]`).waitFor();
    await page.locator('[data-take]').click();
    await page.locator('[data-move="check"]').click();
    await page.locator('[data-stage="check"][aria-current="step"]').waitFor();
    await page.locator('textarea[name="checkSummary"]').fill('Home visit: the signal is confirmed');
    await page.locator('[data-move="risk_assessment"]').click();
    await page.locator('[data-stage="risk_assessment"][aria-current="step"]').waitFor();
    await page.locator('select[name="level"]').selectOption('high');
    await page.locator('textarea[name="safetyFactors"]').fill('Grandmother lives nearby');
    await page.locator('textarea[name="riskFactors"]').fill('No food at home\nMother unemployed');
    await page.locator('[data-move="opened"]').click();
    await page.locator('[data-stage="opened"][aria-current="step"]').waitFor();
    expect(await page.locator('[data-assessment]').textContent()).toContain('No food at home');
    expect(await page.locator('[data-check]').textContent()).toContain('the signal is confirmed');
    await page.locator('[data-move="plan"]').click();
    await page.locator('[data-stage="plan"][aria-current="step"]').waitFor();
    await page.locator('input[name="goal-safety"]').fill('Daily food for Kolya');
    await page.locator('[data-part="safety"]').getByRole('button', { name: 'Add a goal' }).click();
    const goal = page.locator('[data-part="safety"] [data-goal]');
    await goal.waitFor();
    await goal.locator('input[name="taskText"]').fill('Arrange a food set');
    await goal.locator('input[name="taskDue"]').fill('2026-12-01');
    await goal.getByRole('button', { name: 'Add a task' }).click();
    await page.locator('[data-task="Arrange a food set"]').waitFor();

    // Deadlines in working days, across the 4 November holiday: 2 Nov + 5 = 10 Nov, + 10 = 17 Nov.
    const need = page.locator('[data-deadline="need_decision"]');
    expect(await need.locator('[data-due]').textContent()).toBe('due 2026-11-10');
    expect(await page.locator('[data-deadline="individual_programme"] [data-due]').textContent()).toBe('due 2026-11-17');
    const cal = calendarOf((await prisma.calendarDay.findMany()).map((d) => ({ date: d.date.toISOString().slice(0, 10), working: d.working })));
    const today = isoDateIn(server.config.timezone);
    const late = workingDaysBetween(cal, '2026-11-10', today);
    if (late > 0) expect(await need.locator('[data-left]').textContent()).toBe(`overdue by ${late} working day${late === 1 ? '' : 's'}`);
    else expect(await need.locator('[data-left]').textContent()).toMatch(/working days? left/);
    await screenshot(page, 'cases-plan');

    await page.locator('[data-move="monitoring"]').click();
    await page.locator('[data-stage="monitoring"][aria-current="step"]').waitFor();
    await page.locator('[data-close]').click();
    const dialog = page.locator('dialog[data-dialog]');
    await dialog.getByLabel('Situation improved').check();
    await dialog.locator('[data-confirm-close]').click();
    await page.locator('[data-stage="closed"][aria-current="step"]').waitFor();
    await expect.poll(() => page.locator('[data-timeline] li[data-kind="stage"]').count()).toBe(7);
    expect(await page.locator('[data-timeline] li[data-kind="contact"]').count()).toBe(1);

    // A new case of hers with a long-past application: the overdue alert arrives live on "My cases".
    await page.goto(`${server.url}/#/cases/mine`);
    await page.locator('main[data-screen="cases-mine"]').waitFor();
    const ivanova = await server.services.cases.service.create(
      {
        contactIds: [],
        signal: { from: 'School 7', summary: 'absences' },
        subject: { kind: 'person', name: 'Ivanova', phone: '+7 913 000 11 22', members: [] },
        consent: { given: true },
        applicationDate: '2026-10-01',
      },
      { userId: curator.id, label: curator.username, roles: ['curator'] },
    );
    await page.locator('[data-deadline-alerts] [data-notice="error"]').first().waitFor();
    expect(await page.locator('[data-deadline-alerts]').textContent()).toContain('overdue');
    await signOut();

    // The results page counts it.
    await signIn(supervisor.username);
    await page.goto(`${server.url}/#/cases/results`);
    await page.locator('input[name="from"]').fill(addDays(today, -1));
    await page.locator('input[name="to"]').fill(addDays(today, 1));
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('[data-closed]').textContent()).toBe('1');
    expect(await page.locator('[data-opened]').textContent()).toBe('1');
    expect(await page.locator('[data-children]').textContent()).toBe('1');
    expect(await page.locator('[data-improved]').textContent()).toBe('100%');
    expect(await page.locator('[data-chart] canvas').count()).toBe(1);
    await screenshot(page, 'cases-results');
    await signOut();

    // The same caller phones again: the operator sees that they have an open case and its curator
    // (not its content), and links the new contact to it.
    const again = await prisma.contact.create({ data: { channel: 'voice', operatorId: operator.id, phoneHash: server.services.phones.hash('+79130001122') } });
    const open = await prisma.case.findUniqueOrThrow({ where: { id: ivanova.id } });
    await signIn(operator.username);
    await page.goto(`${server.url}/#/contacts/edit?id=${again.id}`);
    const glimpse = page.locator(`[data-open-case] [data-glimpse="${open.number}"]`);
    await glimpse.waitFor();
    expect(await glimpse.textContent()).toContain(curator.displayName);
    await page.getByRole('button', { name: `Link this contact to case №${open.number}` }).click();
    await page.getByText(`Linked to case №${open.number}.`).waitFor();
    expect(await prisma.caseContact.count({ where: { caseId: open.id, contactId: again.id } })).toBe(1);
  });
});
