import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { LANGS, messages } from '../../dashboard';
import { startRig, TOKENS, type DashboardRig } from './harness';

const missing = browserUnavailable();

/** Frames the live player decoded (live-player.js writes the count on the canvas once a second). */
// Bounded: a page that went elsewhere (no canvas) answers 0 instead of stalling the poll.
const framesOf = (page: Page) => async () => Number((await page.locator('#live-canvas').getAttribute('data-frames', { timeout: 2_000 }).catch(() => null)) || 0);

/** Browser code: opens the live websocket of camera hall (on `gateway`, else the page's own host) and says how it went. */
const OPEN_LIVE_SOCKET = `(gateway) => new Promise((resolve) => {
  const base = gateway ? gateway.replace(/^http/, 'ws') : (location.protocol === 'https:' ? 'wss' : 'ws') + '://' + location.host;
  const ws = new WebSocket(base + '/ws/live/hall');
  ws.onopen = () => { ws.close(); resolve('open'); };
  ws.onclose = (e) => resolve('closed ' + e.code);
})`;

/** A page of another site that tries to watch the gateway's camera with the visitor's cookie; the outcome becomes its title. */
const hijackPage = (gateway: string) =>
  `<!doctype html><title>pending</title><script>(${OPEN_LIVE_SOCKET})(${JSON.stringify(gateway)}).then((r) => { document.title = r; });</script>`;

describe('dashboard message files', () => {
  it('have the same keys in every language, none empty', () => {
    const keys = (lang: (typeof LANGS)[number]) => Object.keys(messages(lang)).sort();
    expect(keys('en')).toEqual(keys('vi'));
    for (const lang of LANGS) for (const [k, v] of Object.entries(messages(lang))) expect(v.trim(), `${lang} ${k}`).not.toBe('');
  });
});

describe.skipIf(missing !== undefined)('dashboard login and language', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig?.stop());

  it('sends a visitor without a session to the login page, in Vietnamese by default', async () => {
    const context = await rig.browser.newContext({ baseURL: rig.url });
    const page = await context.newPage();
    await page.goto('/events');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toBe('Đăng nhập');
    await context.close();
  });

  it('logs in with a token through the form, lands on the role home, switches language, logs out', async () => {
    const context = await rig.browser.newContext({ baseURL: rig.url });
    const page = await context.newPage();
    await page.goto('/login?next=/');
    await page.fill('input[name=token]', 'wrong-token-value');
    await page.click('button[type=submit]');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    expect(await page.locator('#login-error').textContent()).toContain('unknown token');

    await page.fill('input[name=token]', TOKENS.security);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname !== '/login');
    expect(await page.locator('.user').getAttribute('data-role')).toBe('security');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'gw_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');

    await page.click('#lang-switch');
    await page.waitForLoadState();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'login-security-home-en');
    await page.click('#logout');
    await page.waitForURL((u) => u.pathname === '/login');
    const after = await context.request.get('/api/me');
    expect(after.status()).toBe(401);
    await context.close();
  });

  it('logs in with a name and password an admin created', async () => {
    const created = await rig.api<{ token: string }>('/api/users', { method: 'POST', body: { name: 'lan.supervisor', role: 'supervisor', password: 'correct horse battery' } });
    expect(created.status).toBe(201);
    const context = await rig.browser.newContext({ baseURL: rig.url });
    const page = await context.newPage();
    await page.goto('/login');
    await page.check('input[name=mode][value=password]');
    await page.fill('input[name=name]', 'lan.supervisor');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    await page.fill('input[name=password]', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname !== '/login');
    expect(await page.locator('.user').getAttribute('data-role')).toBe('supervisor');
    await context.close();
  });

  it('after login follows next only to a path on the gateway: /\\evil.example and friends land on the gateway', async () => {
    const context = await rig.browser.newContext({ baseURL: rig.url });
    // Were the page to leave, it would reach this stand-in instead of the network.
    await context.route((url) => url.hostname === 'evil.example', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1 id="evil">evil</h1>' }));
    const page = await context.newPage();
    for (const next of ['/\\evil.example', '/\t/evil.example', '//evil.example', '/\\/evil.example', 'https://evil.example/', '/..//evil.example']) {
      await context.clearCookies();
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await page.fill('input[name=token]', TOKENS.security);
      await page.click('button[type=submit]');
      // Refused, `next` becomes '/', which sends security on to its home page: wait for the whole chain,
      // or that last redirect can land after the next iteration's navigation (seen once in CI).
      await page.waitForURL((u) => u.pathname === '/events');
      expect(new URL(page.url()).origin, JSON.stringify(next)).toBe(rig.url);
    }
    await context.clearCookies();
    await page.goto(`/login?next=${encodeURIComponent('/watchlist?x=1')}`);
    await page.fill('input[name=token]', TOKENS.security);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/watchlist');
    expect(new URL(page.url()).search).toBe('?x=1');
    await context.close();
  });

  it('refuses the live view websocket opened by a page of another site on the same host, with the victim\'s cookie', async () => {
    // A same-site page (another port of the gateway's host): the browser sends the SameSite=Strict cookie along.
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hijackPage(rig.url)));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { page } = await rig.loginAs('security');
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      await expect.poll(() => page.title(), { timeout: 10_000 }).toMatch(/^(open|closed)/);
      expect(await page.title()).toBe('closed 1006');
      // The gateway's own page still may.
      await page.goto('/live');
      expect(await page.evaluate(`(${OPEN_LIVE_SOCKET})()`)).toBe('open');
    } finally {
      other.close();
    }
  });

  // One retry: once in two CI runs this test stalled past 120 s with no step failing (not reproduced
  // here under 3 busy-looping cores); each step is now bounded, so a stall fails with its step.
  it('closes live video at logout and when the user is removed; the relay stops', { retry: 1 }, async () => {
    const watch = async (context: BrowserContext, page: Page) => {
      await page.goto('/live/hall');
      await expect.poll(framesOf(page), { timeout: 20_000 }).toBeGreaterThan(5);
      expect(await relays()).toEqual([expect.objectContaining({ cameraId: 'hall', viewers: 1 })]);
      return context;
    };
    const relays = async () => (await rig.api<{ liveRelays: Array<{ cameraId: string; viewers: number }> }>('/api/system')).json.liveRelays;

    const security = await rig.loginAs('security');
    await watch(security.context, security.page);
    expect((await security.context.request.post('/api/logout', { headers: { origin: rig.url } })).status()).toBe(200);
    await expect.poll(relays, { timeout: 10_000 }).toEqual([]);
    // The player, cut off with 1008, finds the session ended and goes to the login page.
    await security.page.waitForURL((u) => u.pathname === '/login', { timeout: 15_000 });

    expect((await rig.api('/api/users', { method: 'POST', body: { name: 'night.guard', role: 'security', password: 'night guard password' } })).status).toBe(201);
    const guard = await rig.browser.newContext({ baseURL: rig.url });
    expect((await guard.request.post('/api/login', { data: { name: 'night.guard', password: 'night guard password' }, headers: { origin: rig.url } })).status()).toBe(200);
    const guardPage = await guard.newPage();
    await watch(guard, guardPage);
    expect((await rig.api('/api/users/night.guard', { method: 'DELETE' })).status).toBe(200);
    await expect.poll(relays, { timeout: 10_000 }).toEqual([]);
    await guard.close();
    await security.context.close();
  });

  it('refuses a cross-site state change made with the session cookie', async () => {
    const { context } = await rig.loginAs('admin');
    const res = await context.request.post('/api/users', { data: { name: 'csrf-victim', role: 'admin' }, headers: { origin: 'http://evil.example' } });
    expect(res.status()).toBe(403);
    expect((await rig.api<{ users: Array<{ name: string }> }>('/api/users')).json.users.some((u) => u.name === 'csrf-victim')).toBe(false);
  });
});
