/** Console session helpers for tests: log in through POST /console/login and call with the cookie. */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from '../../../test-helpers/browser';
import type { Role } from '../../server';
import { ADMIN_TOKEN, api } from './central';

export interface LoginResult {
  status: number;
  json: Record<string, unknown>;
  /** `central_session=<id>` ready for a Cookie header, when the login set one. */
  cookie: string | undefined;
  /** The raw Set-Cookie header. */
  setCookie: string | null;
}

export async function consoleLogin(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<LoginResult> {
  const res = await fetch(`${baseUrl}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.startsWith('central_session=') ? setCookie.split(';')[0] : undefined;
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, cookie, setCookie };
}

/** A /v1 call authenticated by the session cookie; state-changing calls send this origin unless `headers` says otherwise. */
export async function withCookie(
  baseUrl: string,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const sameOrigin: Record<string, string> = method === 'GET' || method === 'HEAD' ? {} : { origin: baseUrl };
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie, ...sameOrigin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Chromium signed in to the console as a new API token's holder: the token is made through the
 * admin API (`name`, `role`), the context gets its session cookie from POST /console/login.
 */
export async function openConsoleAs(baseUrl: string, name: string, role: Role, contextOptions: BrowserContextOptions = {}): Promise<ConsoleBrowser> {
  const token = String((await api(baseUrl, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name, role })).json.token);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext(contextOptions);
    const login = await context.request.post(`${baseUrl}/console/login`, { data: { token } });
    if (login.status() !== 200) throw new Error(`console login as ${name} answered ${login.status()}`);
    return { browser, context, page: await context.newPage() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
