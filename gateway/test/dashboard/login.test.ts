import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, screenshot } from '../../../test-helpers/browser';
import { LANGS, messages } from '../../dashboard';
import { startRig, TOKENS, type DashboardRig } from './harness';

const missing = browserUnavailable();

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

  it('refuses a cross-site state change made with the session cookie', async () => {
    const { context } = await rig.loginAs('admin');
    const res = await context.request.post('/api/users', { data: { name: 'csrf-victim', role: 'admin' }, headers: { origin: 'http://evil.example' } });
    expect(res.status()).toBe(403);
    expect((await rig.api<{ users: Array<{ name: string }> }>('/api/users')).json.users.some((u) => u.name === 'csrf-victim')).toBe(false);
  });
});
