import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, screenshot } from '../../test-helpers/browser';
import type { CentralServer } from '../server';
import { PAGES } from '../server/console';
import { mayOpen } from '../server/console/page';
import { PATHS, WIRE_VERSION } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';
import { consoleLogin } from './helpers/console-session';

const dbs = useDatabases();
const missing = browserUnavailable();
const ADMIN_PASSWORD = 'admin password 123';
const OPS_PASSWORD = 'ops password 4567';

const navOf = (role: 'security' | 'ops' | 'admin') =>
  PAGES.filter((p) => p.nav && mayOpen(p, role))
    .sort((a, b) => a.nav!.order - b.nav!.order)
    .map((p) => p.path);

async function login(page: Page, baseUrl: string, name: string, password: string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#login-form [name=name]', name);
  await page.fill('#login-form [name=password]', password);
  await page.click('#login-form button[type=submit]');
}

const navLinks = (page: Page) => page.evaluate<string[]>('[...document.querySelectorAll("#nav a")].map((a) => a.getAttribute("href"))');
const attr = (page: Page, selector: string, name: string) =>
  page.evaluate<string | null>(`document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)}) ?? null`);

describe.skipIf(missing !== undefined).each(BACKENDS)('console /admin in Chromium on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let browser: Browser;
  let gw: TestGateway;

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend));
    await api(server.url, 'POST', '/v1/admin/users', ADMIN_TOKEN, { name: 'ada', role: 'admin', password: ADMIN_PASSWORD });
    gw = await enrolGateway(server.url, 'north-mall');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an admin logs in with a password, creates a user and an enrolment token, revokes a gateway; the audit lists it; the new user sees only their pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    page.on('dialog', (d) => void d.accept());

    // Anonymous: the admin page sends us to the login form, which returns us there.
    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#login-form [name=name]', 'ada');
    await page.fill('#login-form [name=password]', 'not the password');
    await page.click('#login-form button[type=submit]');
    await expect.poll(() => page.evaluate<boolean>('!document.getElementById("login-error").hidden')).toBe(true);
    await page.fill('#login-form [name=password]', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL(`${server.url}/admin`);
    expect(await navLinks(page)).toEqual(navOf('admin'));
    expect(await page.textContent('#who')).toContain('ada');
    // Vietnamese by default; the header's switch turns the page English and back.
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.textContent('h1')).toBe('Quản trị');
    await page.click('#lang-switch');
    // The URL stays /admin: wait for the new document itself (evaluate retries while it loads).
    await expect.poll(() => page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await page.waitForLoadState('load');
    expect(await page.textContent('h1')).toBe('Administration');
    await page.click('#lang-switch');
    await expect.poll(() => page.evaluate<string>('document.documentElement.lang')).toBe('vi');
    await page.waitForLoadState('load');

    // The gateway enrolled in beforeAll is listed, active; its enrolment token shows as used by it.
    await expect.poll(() => attr(page, `#gateway-rows tr[data-gateway="${gw.id}"]`, 'data-state')).toBe('active');
    expect(await attr(page, '#enrolment-rows tr[data-site="north-mall"]', 'data-state')).toBe('used');

    // Create a console user.
    await page.fill('#user-form [name=name]', 'olga');
    await page.selectOption('#user-form [name=role]', 'ops');
    await page.fill('#user-form [name=password]', OPS_PASSWORD);
    await page.click('#user-form button[type=submit]');
    await expect.poll(() => attr(page, '#user-rows tr[data-user="olga"]', 'data-role')).toBe('ops');

    // Create an enrolment token: shown once, listed unused, and it enrols a gateway.
    await page.fill('#enrolment-form [name=siteId]', 'east-depot');
    await page.fill('#enrolment-form [name=siteName]', 'East depot');
    await page.click('#enrolment-form button[type=submit]');
    await expect.poll(() => page.evaluate<boolean>('!document.getElementById("shown-once").hidden')).toBe(true);
    const token = (await page.textContent('#shown-once-value'))!.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => attr(page, '#enrolment-rows tr[data-site="east-depot"]', 'data-state')).toBe('unused');
    const enrol = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token, gatewayName: 'east gw' });
    expect(enrol.status).toBe(200);

    // The token leaves the page when the shown-once box is closed.
    await page.click('#shown-once-close');
    expect(await page.content()).not.toContain(token);

    // The gateway filter narrows the table to the matching rows.
    await page.reload();
    await expect.poll(() => page.evaluate<number>('document.querySelectorAll("#gateway-rows tr[data-gateway]").length')).toBe(2);
    await page.fill('#gateway-filter', 'EAST-dep');
    const visible = () => page.evaluate<string[]>('[...document.querySelectorAll("#gateway-rows tr[data-gateway]")].filter((r) => !r.hidden).map((r) => r.dataset.gateway)');
    expect(await visible()).toEqual([String(enrol.json.gatewayId)]);
    await page.fill('#gateway-filter', '');
    expect((await visible()).sort()).toEqual([gw.id, String(enrol.json.gatewayId)].sort());

    // Revoke the first gateway from the page (confirm accepted); it is refused on its next signed request.
    const heartbeat = () => sendSigned(server.url, PATHS.heartbeat, gw, { version: 3, gatewayId: gw.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0 });
    expect((await heartbeat()).status).toBe(200);
    await page.click(`#gateway-rows tr[data-gateway="${gw.id}"] button[data-action=revoke]`);
    await expect.poll(() => attr(page, `#gateway-rows tr[data-gateway="${gw.id}"]`, 'data-state')).toBe('revoked');
    const refused = await heartbeat();
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('gateway revoked; enrol again');

    // The audit trail on the page lists what was done.
    for (const action of ['console.login', 'user.create', 'enrolment.create', 'gateway.revoke']) {
      await expect.poll(() => page.evaluate<number>(`document.querySelectorAll('#audit-rows tr[data-action="${action}"]').length`)).toBeGreaterThan(0);
    }
    await screenshot(page, `console-admin-${backend}`);

    // Log out: the session ends and the page goes to /login.
    await page.click('#logout');
    await page.waitForURL(`${server.url}/login`);
    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/login');

    // The new user logs in and sees only the ops pages; /admin is refused.
    // A `next` that resolves to another host ('/..//evil.example' is '//evil.example' once resolved) is not followed.
    await login(page, server.url, 'olga', OPS_PASSWORD, '/..//evil.example/phish');
    await page.waitForURL((url) => url.pathname !== '/login');
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(new URL(page.url()).pathname).toBe(navOf('ops')[0] ?? '/login');
    expect(await navLinks(page)).toEqual(navOf('ops'));
    expect(await navLinks(page)).not.toContain('/admin');
    const forbidden = await page.goto(`${server.url}/admin`);
    expect(forbidden?.status()).toBe(403);
    expect(await page.locator('#forbidden').count()).toBe(1);

    // The refused password (401) and the refused /admin (403) are the only failed loads.
    expect(errors.filter((e) => !/status of (401|403)/.test(e))).toEqual([]);
    await context.close();
  }, 60_000);

  it('creates and revokes an API token, changes a role, resets a password and disables a user from the page', async () => {
    await api(server.url, 'POST', '/v1/admin/users', ADMIN_TOKEN, { name: 'vu', role: 'security', password: OPS_PASSWORD });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await login(page, server.url, 'ada', ADMIN_PASSWORD, '/admin');
    await page.waitForURL(`${server.url}/admin`);
    const users = async () => (await api(server.url, 'GET', '/v1/admin/users', ADMIN_TOKEN)).json.users as Array<{ name: string; role: string; disabledAt: number | null }>;
    const vu = async () => (await users()).find((u) => u.name === 'vu')!;

    // API token: shown once, works as a bearer token, revoked from its row.
    await page.fill('#token-form [name=name]', 'reporting');
    await page.selectOption('#token-form [name=role]', 'ops');
    await page.click('#token-form button[type=submit]');
    await expect.poll(() => page.evaluate<boolean>('!document.getElementById("shown-once").hidden')).toBe(true);
    const token = (await page.textContent('#shown-once-value'))!.trim();
    expect((await api(server.url, 'GET', '/v1/fleet', token)).status).toBe(200);
    await page.click('#token-rows tr[data-name="reporting"] button[data-action=revoke]');
    await expect.poll(() => attr(page, '#token-rows tr[data-name="reporting"]', 'data-state')).toBe('revoked');
    expect((await api(server.url, 'GET', '/v1/fleet', token)).status).toBe(401);

    // Role change by the row's selector (confirmed).
    await expect.poll(() => attr(page, '#user-rows tr[data-user="vu"]', 'data-role')).toBe('security');
    await page.selectOption('#user-rows tr[data-user="vu"] select.role', 'ops');
    await expect.poll(() => attr(page, '#user-rows tr[data-user="vu"]', 'data-role')).toBe('ops');
    expect((await vu()).role).toBe('ops');

    // Password reset through the row's inline field.
    await page.click('#user-rows tr[data-user="vu"] button.reset-password');
    await page.fill('#user-rows tr[data-user="vu"] input.new-password', 'vu has a new password');
    await page.click('#user-rows tr[data-user="vu"] button.save-password');
    await expect.poll(() => page.evaluate<boolean>('!document.getElementById("admin-status").hidden')).toBe(true);
    expect((await consoleLogin(server.url, { name: 'vu', password: OPS_PASSWORD })).status).toBe(401);
    expect((await consoleLogin(server.url, { name: 'vu', password: 'vu has a new password' })).status).toBe(200);

    // Disable (confirmed), then enable.
    await page.click('#user-rows tr[data-user="vu"] button[data-action=disable]');
    await expect.poll(() => attr(page, '#user-rows tr[data-user="vu"]', 'data-state')).toBe('disabled');
    expect((await vu()).disabledAt).not.toBeNull();
    await page.click('#user-rows tr[data-user="vu"] button[data-action=enable]');
    await expect.poll(() => attr(page, '#user-rows tr[data-user="vu"]', 'data-state')).toBe('active');

    // A refused action shows the API's message in the page's alert: ada may not demote herself.
    await page.selectOption('#user-rows tr[data-user="ada"] select.role', 'security');
    await expect.poll(() => page.textContent('#admin-error')).toContain('you may not disable yourself or give up your own admin role');
    expect((await users()).find((u) => u.name === 'ada')!.role).toBe('admin');
    await expect.poll(() => page.evaluate<string>('document.querySelector(\'#user-rows tr[data-user="ada"] select.role\').value')).toBe('admin');
    for (const action of ['token.create', 'token.revoke', 'user.role', 'user.password', 'user.disable', 'user.enable']) {
      await expect.poll(() => page.evaluate<number>(`document.querySelectorAll('#audit-rows tr[data-action="${action}"]').length`)).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
