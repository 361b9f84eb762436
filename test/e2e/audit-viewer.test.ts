// The audit log viewer in Chromium, in English and Russian: entries read as labels (who, what,
// which record, why), never as raw codes or JSON; filters narrow the view; older pages load; the
// CSV of the filtered view downloads with labels in the reader's language.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signInAs, type BrowserSession } from '../helpers/browser.js';
import { makeUser } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';

let server: TestServer;
let browser: BrowserSession;
let sup: Awaited<ReturnType<typeof makeUser>>;
const contactId = randomUUID();

beforeAll(async () => {
  server = await startTestServer();
  browser = await openBrowser();
  sup = await makeUser(server.services, ['supervisor']);
  const { audit } = server.services;
  for (let i = 0; i < 60; i++) await audit.record(systemActor('e2e'), 'report.view', { entity: 'report', entityId: `filler-${i}` });
  await audit.record({ userId: sup.id, label: sup.username }, 'contact.identity.read', {
    entity: 'Contact',
    entityId: contactId,
    detail: { view: 'full', reason: 'Court request 12/2026' },
  });
  await signInAs(browser.page, server.url, sup.username);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rowOf = (action: string) => browser.page.locator(`[data-audit-action="${action}"]`).first();

async function download(page: BrowserSession['page']) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-audit-csv]').click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

describe('audit viewer', () => {
  it('shows labels, not codes, filters by action and record, loads older pages and downloads the CSV (English)', async () => {
    const { page } = browser;
    await page.locator('[data-nav="audit"]').click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByText('50 entries shown').waitFor();
    const read = rowOf('contact.identity.read');
    await expect.poll(() => read.locator('[data-audit-label]').textContent()).toBe('Viewed identity details of a contact');
    expect(await read.locator('[data-audit-actor]').textContent()).toBe(`Test ${sup.username} (${sup.username})`);
    expect(await read.locator('[data-audit-reason]').textContent()).toBe('Court request 12/2026');
    expect(await read.locator('[data-audit-record]').innerText()).toContain(`Contact\n${contactId.slice(0, 8)}`);
    expect(await rowOf('report.view').locator('[data-audit-actor]').textContent()).toBe('System: e2e');
    const body = await page.locator('table').innerText();
    expect(body).not.toMatch(/contact\.identity\.read|report\.view|[{}"]/);

    await page.getByRole('button', { name: 'Load more' }).click();
    await page
      .getByText(/\d+ entries shown/)
      .filter({ hasNotText: '50 entries' })
      .waitFor();

    // One action by its label: sign-ins only, not failed ones.
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Signed in' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const actions = () => page.locator('[data-audit-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-audit-action')));
    await expect.poll(async () => new Set(await actions())).toEqual(new Set(['auth.login']));
    await page.getByText('That is everything.').waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Record reference').fill(contactId.slice(0, 8));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(actions).toEqual(['contact.identity.read']);
    await screenshot(page, 'console-audit');

    const csv = await download(page);
    expect(csv.name).toMatch(/^audit_\d{4}-\d\d-\d\d\.csv$/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^When \([^)]+\),Who,Action,Action code,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `Test ${sup.username} (${sup.username}),Viewed identity details of a contact,contact.identity.read,Contact,${contactId.slice(0, 8)}`,
    );
    expect(lines[1]).toContain('Court request 12/2026,view: full');
    const exported = await server.services.infra.db.prisma.auditLog.findFirst({ where: { action: 'audit.export', actorId: sup.id } });
    expect(exported).toMatchObject({ detail: { rows: 1, lang: 'en' } });
  });

  it('reads in Russian: labels, the action filter and the CSV', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('heading', { name: 'Журнал аудита' }).waitFor();
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await page.getByText('Показано 50 записей').waitFor();
    await expect.poll(() => rowOf('contact.identity.read').locator('[data-audit-label]').textContent()).toBe('Просмотрены личные данные обращения');
    expect(await rowOf('report.view').locator('[data-audit-actor]').textContent()).toBe('Система: e2e');
    expect(await rowOf('report.view').locator('[data-audit-label]').textContent()).toBe('Просмотрен отчёт');

    // A whole group from the grouped select.
    await page.getByLabel('Действие', { exact: true }).selectOption({ label: 'Все: Журнал аудита' });
    await page.getByRole('button', { name: 'Применить' }).click();
    const labels = () => page.locator('[data-audit-label]').allTextContents();
    await expect.poll(labels).toEqual(['Выгружен журнал аудита']);
    await screenshot(page, 'console-audit-ru');

    const csv = await download(page);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Когда \([^)]+\);Кто;Действие;Код действия;Тип записи;Запись;/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`;Test ${sup.username} (${sup.username});Выгружен журнал аудита;audit.export;Журнал аудита;`);
    await page.getByRole('button', { name: 'English' }).click();
  });
});
