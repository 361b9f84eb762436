// The embedded default, as a person runs it: `npm start`'s entry (server/src/start.ts) as its own
// OS process with nothing set but a fresh DATA_DIR and a free PORT — PGlite, a redis-server from
// PATH, Twilio in simulator mode. No `user:create`: the first administrator comes from the
// one-time setup link the process prints. Then one shift in Chromium: staff, a line, a provider;
// a simulated call rings the operator, who records an R4 contact; the coordinator sends food;
// the provider's offer SMS goes out and the provider accepts on the link page; the contact becomes
// a case the curator sees; `npm run simulate` texts the line from the shell; the wallboard (in
// Russian too) and a report with its CSV count it. Last, SIGTERM and a restart on the same data.
// The console is built by the project's globalSetup, so start.ts runs without `npm start`'s build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDateIn } from '@trustline/shared';
import { linkSigner } from '../../server/src/modules/dispatch/links.js';
import { CHROMIUM_PATH, completeSecondStep, screenshot } from '../helpers/browser.js';
import { configVariables } from '../helpers/env-schema.js';
import { cleanEnv, runEntry, startEntry, type Child } from '../helpers/process.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PASS = 'a long enough passphrase';
const LINE = '+70000000000'; // the number the simulator calls by default
const CALLER = '+79161234567';
const PROVIDER_SMS = '+7 900 777 66 55';
const DISTRICT = 'Заречный район'; // served by no demo provider, so the offer goes to ours

let dataDir: string;
let env: NodeJS.ProcessEnv;
let app: Child;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A person at their own computer: their own cookies, their own language. */
async function person(locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, username: string, path?: string) {
  await page.goto(`${base}/#/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASS);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Supervisors and admins type a code from their authenticator (the test computes it).
  await completeSecondStep(page, username);
  await page.locator('[data-connection="live"]').waitFor();
  if (path) await page.goto(`${base}/#${path}`);
}

/** Reads the console's API as the person signed in to `page` (their session cookie). */
async function apiGet(page: Page, path: string) {
  const res = await page.context().request.get(`${base}${path}`);
  expect(res.status(), path).toBe(200);
  return res.json();
}

// What the journey shares from step to step.
const s = {} as {
  setupToken: string;
  admin: Page;
  operator: Page;
  coordinator: Page;
  curator: Page;
  supervisor: Page;
  contactId: string;
  dispatchId: string;
  dispatchNumber: number;
  caseNumber: number;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tl-embedded-'));
  const port = await freePort();
  // Nothing the product reads from the environment is passed on, except these two.
  const unset = Object.fromEntries(configVariables().map((v) => [v.name, undefined]));
  env = cleanEnv({ ...unset, DATA_DIR: dataDir, PORT: String(port) });
  app = startEntry('server/src/start.ts', [], env);
  const [, url, token] = await app.waitFor(/(http:\/\/\S+)\/#\/setup\?token=(\S+)/, 120_000);
  base = url!;
  s.setupToken = token!;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}, 150_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  if (app) {
    app.proc.kill('SIGTERM');
    const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
    if (code === 'timeout') app.proc.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start on embedded defaults, one shift in Chromium', () => {
  it('starts on PGlite with its own redis-server and the simulator, and prints a setup link', async () => {
    expect(app.stdout()).toContain(`Trust line console: ${base}`);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    // The embedded stores, from the start-up log line.
    expect(app.stdout()).toMatch(/"database":"pglite"[^\n]*"redis":"embedded"|"redis":"embedded"[^\n]*"database":"pglite"/);
  });

  it('makes the first administrator from the setup link', async () => {
    s.admin = await person();
    const page = s.admin;
    await page.goto(`${base}/#/setup?token=${s.setupToken}`);
    await page.getByLabel('Full name').fill('Anna Petrova');
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the password').fill(PASS);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    // An admin signs in with two-factor: the console has them set it up at once (QR code, key).
    await page.locator('form[data-step="enrol"] img').waitFor();
    await completeSecondStep(page, 'anna');
    await page.getByRole('heading', { name: 'Hello, Anna Petrova' }).waitFor();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.locator('[data-roles]').getAttribute('data-roles')).toBe('admin');
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needsSetup: false });
  });

  it('the administrator adds the staff, a line and a food provider', async () => {
    const page = s.admin;
    await page.locator('[data-nav="users"]').click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    const staff = [
      { name: 'Oleg Ivanov', username: 'oleg', role: 'Operator' },
      { name: 'Dina Koval', username: 'dina', role: 'Duty coordinator' },
      { name: 'Sofia Lebedeva', username: 'sofia', role: 'Supervisor' },
      { name: 'Kira Orlova', username: 'kira', role: 'Case curator' },
    ];
    for (const p of staff) {
      await page.getByRole('button', { name: 'Add user' }).click();
      const dialog = page.locator('dialog[open]');
      await dialog.getByLabel('Full name').fill(p.name);
      await dialog.getByLabel('Username').fill(p.username);
      await dialog.getByLabel('Password', { exact: true }).fill(PASS);
      await dialog.getByLabel('Repeat the password').fill(PASS);
      await dialog.getByLabel(p.role, { exact: true }).check();
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await expect.poll(() => page.locator(`[data-user-row="${p.username}"]`).textContent()).toContain(p.role);
    }

    // A phone line: the number the simulator calls.
    await page.locator('[data-nav="lines"]').click();
    await page.getByRole('heading', { name: 'Phone lines' }).waitFor();
    await page.getByLabel('Number', { exact: true }).fill(LINE);
    await page.getByLabel('Name', { exact: true }).fill('Trust line');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('[data-lines]').innerText()).toContain(LINE);

    // A provider organisation with a food service that takes offers by SMS.
    await page.locator('[data-nav="directory"]').click();
    await page.locator('[data-action="add-service"]').click();
    const svc = page.locator('form[data-form="service"]');
    await svc.getByLabel('Or a new organisation (name)').fill('Zarechny food bank');
    await svc.getByLabel('Service name').fill('Food sets tonight');
    await svc.getByLabel('Food set / hot meal').check();
    await svc.getByLabel('Districts and settlements served, comma-separated (* for all)').fill(DISTRICT);
    await svc.getByLabel('SMS number for offers (leave empty to keep)').fill(PROVIDER_SMS);
    await svc.locator('[data-action="save-service"]').click();
    await page.getByRole('heading', { name: /Food sets tonight/ }).waitFor();
  });

  it('a simulated call rings the available operator, who answers and records an R4 contact', async () => {
    s.operator = await person();
    const op = s.operator;
    await signIn(op, 'oleg', '/telephony/queue');
    await op.locator('[data-state="available"]').click();
    await op.locator('[data-my-state="available"]').waitFor();

    // The administrator places the call from the caller simulator.
    await s.admin.locator('[data-nav="simulator"]').click();
    await s.admin.getByRole('heading', { name: 'Caller simulator' }).waitFor();
    await s.admin.locator('[data-sim-from]').fill(CALLER);
    await expect.poll(() => s.admin.getByLabel('Line').inputValue()).toBe(LINE);
    await s.admin.locator('[data-action="sim-call"]').click();
    await expect.poll(() => s.admin.locator('[data-sim-result]').getAttribute('data-sim-result')).toBe('200');

    // It rings in the operator's console; accepting opens the contact form beside the call panel.
    const offer = op.locator('[data-offer]').first();
    await offer.waitFor({ timeout: 10_000 });
    // The caller by a label from the keyed hash, never a digit of the number (docs/privacy.md).
    expect(await offer.innerText()).toMatch(/Caller K-[A-Z]{5}/);
    expect(await offer.innerText()).not.toContain('4567');
    await offer.locator('[data-action="accept"]').click();
    await op.locator('[data-call-panel]').waitFor();
    await op.locator('main[data-screen="contact"]').waitFor({ timeout: 10_000 });
    s.contactId = new URL(op.url().replace('/#/', '/')).searchParams.get('id')!;
    expect(s.contactId).toMatch(/^[0-9a-f-]{36}$/);

    await op.locator('[data-category="mental-health.suicidal-thoughts"]').check();
    await op.locator('[data-field="summary"]').fill('Mother and two children, no food at home; she says she wants to die tonight');
    for (const q of ['suicideThoughtsNow', 'suicidePlan', 'suicideIntent']) await op.locator(`[data-question="${q}"] input[value="yes"]`).check();
    await op.locator('[data-risk-level="R4"]').waitFor({ timeout: 10_000 });
    for (const k of ['locationConfirmed', 'emergencyCalled', 'stayedOnLine', 'supervisorJoined']) await op.locator(`[data-check="${k}"]`).check();
    await op.locator('[data-field="safetyPlan"]').fill('Ambulance sent; neighbour stays with them; food set on its way');
    await op.locator('[data-field="followUpAt"]').fill('2030-01-01T10:00');
    await op.locator('[data-save-state="saved"]').waitFor();
    await op.locator('[data-finalise]').click();
    await op.locator('[data-notice="ok"]').waitFor();
    await screenshot(op, 'embedded-contact-r4');

    // The operator ends the call.
    await op.locator('[data-call-panel] [data-action="hangup"]').click();
    await op.locator('[data-call-panel]').waitFor({ state: 'detached' });
  });

  it('the coordinator sends food: suggestions and the request answer 2xx, the offer SMS goes out', async () => {
    s.coordinator = await person();
    const co = s.coordinator;
    await signIn(co, 'dina', `/dispatch/new?contactId=${s.contactId}`);
    await co.getByRole('heading', { name: 'Send urgent help' }).waitFor();
    const suggested = co.waitForResponse((r) => r.url().includes('/api/dispatches/suggest'));
    await co.getByLabel('District or settlement').fill(DISTRICT);
    await co.locator('[data-action="suggest"]').click();
    expect((await suggested).status()).toBe(200);
    await expect.poll(() => co.locator('[data-suggestions]').innerText()).toContain('Zarechny food bank');
    await co.getByLabel('Note for the provider (only what they need)').fill('two children, no car');
    const created = co.waitForResponse((r) => r.url().endsWith('/api/dispatches') && r.request().method() === 'POST');
    await co.locator('[data-action="submit"]').click();
    const res = await created;
    expect(res.status()).toBe(201);
    s.dispatchId = (await res.json()).id;
    s.dispatchNumber = Number(await co.locator('[data-sent]').getAttribute('data-sent'));
    expect(s.dispatchNumber).toBeGreaterThan(0);

    // On the board it is offered to our provider, and the simulator reports the SMS delivered.
    await co.goto(`${base}/#/dispatch`);
    const card = co.locator(`[data-column="offered"] [data-dispatch="${s.dispatchNumber}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain('Food sets tonight');
    await expect.poll(async () => (await apiGet(co, `/api/dispatches/${s.dispatchId}`)).offers?.[0]?.smsStatus, { timeout: 15_000 }).toBe('delivered');
  });

  it('the provider opens the link from the SMS and accepts; the board follows', async () => {
    // The link the SMS carries is signed with the deployment's secret, kept in DATA_DIR; the
    // simulator keeps no outbox to read the SMS from, so the test signs the same link.
    const detail = await apiGet(s.coordinator, `/api/dispatches/${s.dispatchId}`);
    const offerId = detail.offers[0].id as string;
    const secret = readFileSync(join(dataDir, 'app-secret'), 'utf8').trim();
    const token = linkSigner(secret).sign(offerId, new Date(Date.now() + 3_600_000));
    const phone = await person('ru-RU');
    await phone.setViewportSize({ width: 390, height: 800 });
    await phone.goto(`${base}/p/offer/${token}`);
    await phone.getByText('two children, no car').waitFor();
    expect(await phone.locator('h1').innerText()).toContain(`Request ${s.dispatchNumber}`);
    await phone.locator('button[data-action="accept"]').click();
    await phone.locator('[data-state="accepted"]').waitFor();
    await screenshot(phone, 'embedded-provider-accepted');
    await s.coordinator.locator(`[data-column="accepted"] [data-dispatch="${s.dispatchNumber}"]`).waitFor({ timeout: 10_000 });
  });

  it('the operator escalates the contact to a case, and the curator sees it', async () => {
    const op = s.operator;
    // From the list of contacts, as the operator would find it again.
    await op.locator('[data-nav="contacts"]').click();
    const listed = op.locator(`[data-contact-row="${s.contactId}"]`);
    await listed.waitFor();
    expect(await listed.innerText()).toContain('R4');
    await listed.locator('a').click();
    await op.locator('main[data-screen="contact"]').waitFor();
    // The contact's timeline tells the operator where the food is.
    const timeline = op.locator('[data-contact-timeline]');
    for (const step of ['Requested', 'SMS delivered', 'Accepted']) {
      await expect.poll(() => timeline.innerText()).toContain(`Urgent help №${s.dispatchNumber}: ${step}`);
    }
    await op.locator('[data-open-case] [data-escalate]').click();
    await op.locator('main[data-screen="cases-new"]').waitFor();
    const form = op.locator('form[data-new-case]');
    await form.getByLabel('Name (person or family)').fill('Sidorova family');
    await form.getByLabel('District').fill(DISTRICT);
    await op.getByLabel('The person agreed to their data being moved into a case').check();
    await op.getByRole('button', { name: 'Open the case' }).click();
    const notice = op.locator('[data-notice="ok"]');
    await notice.waitFor();
    s.caseNumber = Number(/Case №(\d+)/.exec((await notice.textContent())!)![1]);

    s.curator = await person();
    await signIn(s.curator, 'kira', '/cases');
    const row = s.curator.locator(`[data-case-row="${s.caseNumber}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Sidorova family');
  });

  it('`npm run simulate` from the shell texts the line, and the operator reads it under Messages', async () => {
    // The CLI finds the running process and its webhook token through the same DATA_DIR and PORT.
    const sent = await runEntry('server/src/cli/simulate.ts', ['sms', '--from', '+79165550123', '--body', 'Мне нужна помощь'], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout.trim().split('\n').pop()!)).toMatchObject({ event: 'sms', status: 200 });
    const op = s.operator;
    await op.locator('[data-nav="sms"]').click();
    const thread = op.locator('[data-thread]').first();
    await thread.waitFor();
    expect(await thread.innerText()).toMatch(/K-[A-Z]{5}/);
    expect(await thread.innerText()).not.toContain('0123');
    await thread.click();
    // Its words show only to whoever takes it (docs/privacy.md, SMS texts).
    await op.locator('[data-texts-hidden]').waitFor();
    expect(await op.locator('[data-messages]').innerText()).not.toContain('Мне нужна помощь');
    await op.locator('[data-action="take"]').click();
    await expect.poll(() => op.locator('[data-messages]').innerText()).toContain('Мне нужна помощь');
  });

  it('the wallboard shows the figures, in English and in Russian', async () => {
    s.supervisor = await person();
    const sup = s.supervisor;
    await signIn(sup, 'sofia', '/wallboard');
    await sup.getByRole('heading', { name: 'Wallboard' }).waitFor();
    const figure = (name: string) => sup.locator(`[data-figure="${name}"] .value`);
    await expect.poll(() => figure('answered').textContent()).toBe('1');
    expect(await figure('waiting').textContent()).toBe('0');
    expect(await sup.locator('[data-figure="answered"]').innerText()).toContain('Answered');
    await screenshot(sup, 'embedded-wallboard');

    // The same supervisor at a Russian browser: the sign-in form and the wallboard speak Russian.
    const ru = await person('ru-RU');
    await ru.goto(`${base}/#/`);
    await ru.getByLabel('Имя пользователя').fill('sofia');
    await ru.getByLabel('Пароль').fill(PASS);
    await ru.getByRole('button', { name: 'Войти' }).click();
    await completeSecondStep(ru, 'sofia');
    await ru.locator('[data-connection="live"]').waitFor();
    await ru.goto(`${base}/#/wallboard`);
    await ru.getByRole('heading', { name: 'Табло смены' }).waitFor();
    await expect.poll(() => ru.locator('[data-figure="answered"]').innerText()).toMatch(/Отвечено\s+1/);
    expect(await ru.locator('[data-figure="waiting"]').innerText()).toMatch(/Звонков в очереди\s+0/);
    await screenshot(ru, 'embedded-wallboard-ru');
  });

  // Two contacts by now: the call's (R4) and the one the SMS opened.
  it('a report for the period loads and its CSV counts the contact', async () => {
    const sup = s.supervisor;
    await sup.locator('[data-nav="reports"]').click();
    await sup.getByRole('heading', { name: 'Reports' }).waitFor();
    const today = isoDateIn('Europe/Moscow');
    await sup.getByLabel('From', { exact: true }).fill(addDays(today, -1));
    await sup.getByLabel('To', { exact: true }).fill(addDays(today, 1));
    await sup.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => sup.getByRole('heading', { name: /Contacts · Total: / }).textContent()).toMatch(/Total: 2$/);
    const block = sup.locator('section.block').filter({ has: sup.getByRole('heading', { name: 'By risk' }) });
    expect(await block.innerText()).toContain('R4');
    const download = sup.waitForEvent('download');
    await block.locator('a[data-csv]').click();
    const file = await (await download).path();
    const lines = readFileSync(file!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines).toContain('R4,R4,1');
    await screenshot(sup, 'embedded-report');
  });

  it('stops on SIGTERM with exit code 0, taking its redis-server with it', async () => {
    const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(app.proc.pid)], { encoding: 'utf8' });
    const redisPid = Number(/(\d+)\s+redis-server/.exec(children)?.[1]);
    expect(redisPid).toBeGreaterThan(0);
    app.proc.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const alive = () => {
      try {
        process.kill(redisPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 5_000 }).toBe(false);
  });

  it('starts again on the same DATA_DIR: no setup link, sessions and the day’s work kept', async () => {
    app = startEntry('server/src/start.ts', [], env);
    await app.waitFor(/Trust line console: http/, 60_000);
    expect(app.stdout()).not.toContain('setup?token=');
    // The supervisor's browser is still signed in and the report still counts both contacts.
    const sup = s.supervisor;
    await sup.reload();
    await sup.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    await sup.getByRole('heading', { name: 'Reports' }).waitFor();
    await sup.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => sup.getByRole('heading', { name: /Contacts · Total: / }).textContent()).toMatch(/Total: 2$/);
  });
});
