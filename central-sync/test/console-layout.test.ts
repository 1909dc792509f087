import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PAGES } from '../server/console';
import { LANGS, loadMessages, MESSAGES_DIR } from '../server/console/i18n';
import { mayOpen } from '../server/console/page';
import { ADMIN_TOKEN, api, startTestServer, useDatabases } from './helpers/central';
import { consoleLogin } from './helpers/console-session';

const dbs = useDatabases();
const CONSOLE_DIR = join(import.meta.dirname, '..', 'server', 'console');
const PASSWORD = 'layout password 1';

/** A concrete URL for a page path: route parameters filled with 1. */
const urlOf = (path: string) => path.replace(/:\w+/g, '1');

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p, ext) : ext.test(f) ? [p] : [];
  });
}

// The store is not under test here (pages, headers, messages): SQLite only.
describe('console layout, headers and messages', () => {
  let server: CentralServer;
  const cookies: Record<'admin' | 'security' | 'ops', string> = { admin: '', security: '', ops: '' };
  const get = (path: string, cookie?: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh('sqlite'));
    cookies.admin = (await consoleLogin(server.url, { token: ADMIN_TOKEN })).cookie!;
    for (const role of ['security', 'ops'] as const) {
      await api(server.url, 'POST', '/v1/admin/users', ADMIN_TOKEN, { name: `${role}-user`, role, password: PASSWORD });
      cookies[role] = (await consoleLogin(server.url, { name: `${role}-user`, password: PASSWORD })).cookie!;
    }
  });
  afterAll(() => server?.close());

  it('serves every page of PAGES (and /login) with a strict CSP, no inline script, no inline style or handler, and only assets that exist', async () => {
    expect(PAGES.length).toBeGreaterThan(0);
    for (const path of ['/login', ...PAGES.map((p) => urlOf(p.path))]) {
      const res = await get(path, path === '/login' ? undefined : cookies.admin);
      expect([200, 404], path).toContain(res.status);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      const csp = Object.fromEntries((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
      expect(csp['script-src'], path).toBe("'self'");
      expect(csp['style-src'], path).toBe("'self'");
      expect(csp['default-src'], path).toBe("'self'");
      expect(csp['object-src'], path).toBe("'none'");
      expect(csp['frame-ancestors'], path).toBe("'none'");
      expect(csp['base-uri'], path).toBe("'none'");
      expect(JSON.stringify(csp), path).not.toMatch(/unsafe|\*|https?:/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');

      const page = await res.text();
      const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, path).toBeGreaterThan(1);
      for (const [, attrs, content] of scripts) {
        if (/type="application\/json"/.test(attrs!)) {
          expect(attrs, path).not.toMatch(/\bsrc=/);
          expect(() => JSON.parse(content!), path).not.toThrow();
          expect(content, path).not.toMatch(/<\//);
        } else {
          expect(attrs, `${path}: a script without src`).toMatch(/\bsrc="\/console\/(assets|vendor)\/[a-z0-9.-]+"/);
          expect(content!.trim(), path).toBe('');
        }
      }
      expect(page, `${path}: an inline event handler`).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      expect(page, `${path}: an inline style attribute`).not.toMatch(/<[^>]+\sstyle\s*=/i);
      expect(page, `${path}: a <style> element`).not.toMatch(/<style\b/i);
      for (const [, asset] of page.matchAll(/(?:src|href)="(\/console\/(?:assets|vendor)\/[^"]+)"/g)) {
        expect((await get(asset!)).status, `${path} -> ${asset}`).toBe(200);
      }
    }
  });

  it('has every message key in both languages, and every key the pages and scripts name', () => {
    const vi = loadMessages('vi');
    const en = loadMessages('en');
    for (const lang of LANGS) {
      expect(readdirSync(join(MESSAGES_DIR, lang)).sort(), lang).toEqual(readdirSync(join(MESSAGES_DIR, 'vi')).sort());
    }
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(vi), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
    // Placeholders match between languages.
    for (const key of Object.keys(en)) expect([...vi[key]!.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), key).toEqual([...en[key]!.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());

    const used = new Set<string>(PAGES.flatMap((p) => [p.title, ...(p.nav ? [p.nav.label] : [])]));
    for (const file of filesUnder(CONSOLE_DIR, /\.(ts|js)$/)) {
      for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bt(?:Or)?\(\s*'([a-z][\w-]*\.[\w.-]+)'\s*[,)]/g)) used.add(key!);
    }
    expect(used.size).toBeGreaterThan(20);
    for (const key of used) {
      expect(vi[key], `vi: ${key}`).toBeDefined();
      expect(en[key], `en: ${key}`).toBeDefined();
    }
  });

  it('is Vietnamese by default; the language switch sets a cookie and returns to a path on this site only', async () => {
    const vi = await (await get('/login')).text();
    expect(vi).toMatch(/<html lang="vi">/);
    // Posted natively (script not loaded), the form would send no secret in a URL: POST to the login route, button off until login.js runs.
    expect(vi).toMatch(/<form id="login-form"[^>]* method="post" action="\/console\/login"/);
    expect(vi).toMatch(/<button type="submit" disabled>/);
    expect(vi).toContain('Đăng nhập');
    const sw = await get('/console/lang?to=en&next=%2Fadmin');
    expect(sw.status).toBe(303);
    expect(sw.headers.get('location')).toBe('/admin');
    const lang = sw.headers.get('set-cookie')!.split(';')[0]!;
    expect(lang).toBe('lang=en');
    const en = await (await get('/admin', `${cookies.admin}; ${lang}`)).text();
    expect(en).toMatch(/<html lang="en">/);
    expect(en).toContain('Administration');
    // The switch on a filtered page returns to the same filtered view.
    const events = await (await get('/events?site=north-mall&severity=high', `${cookies.admin}; ${lang}`)).text();
    expect(events).toContain(`next=${encodeURIComponent('/events?site=north-mall&severity=high')}"`);
    expect((await get(`/console/lang?to=vi&next=${encodeURIComponent('/events?site=north-mall&severity=high')}`)).headers.get('location')).toBe('/events?site=north-mall&severity=high');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/%09/evil.example', '/..//evil.example/x', '/.//evil.example', '/a/../..//evil.example', '/..%2F/evil.example']) {
      const r = await get(`/console/lang?to=en&next=${encodeURIComponent(next)}`);
      expect(new URL(r.headers.get('location')!, server.url).origin, next).toBe(server.url);
    }
    expect((await get('/console/lang?to=fr&next=/login')).headers.get('set-cookie')).toBeNull();
  });

  it('sends anonymous visitors to /login with next, shows each role only its nav entries, and answers 403 for a page the role may not open', async () => {
    for (const page of PAGES) {
      const r = await get(urlOf(page.path));
      expect(r.status, page.path).toBe(303);
      expect(r.headers.get('location')).toBe(`/login?next=${encodeURIComponent(urlOf(page.path))}`);
    }
    for (const role of ['security', 'ops', 'admin'] as const) {
      const home = await get('/', cookies[role]);
      const expected = PAGES.filter((p) => p.nav && mayOpen(p, role)).sort((a, b) => a.nav!.order - b.nav!.order);
      expect(home.headers.get('location'), role).toBe(expected[0]?.path ?? '/login');
      for (const page of PAGES) {
        const res = await get(urlOf(page.path), cookies[role]);
        const html = await res.text();
        if (!mayOpen(page, role)) {
          expect(res.status, `${role} ${page.path}`).toBe(403);
          expect(html).toContain('id="forbidden"');
          continue;
        }
        const nav = /<nav id="nav">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
        expect([...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]), `${role} ${page.path}`).toEqual(expected.map((p) => p.path));
        expect(html).toContain(`data-role="${role}"`);
      }
    }
    expect((await get('/', undefined)).headers.get('location')).toBe('/login');
  });

  it('serves assets by plain name only, and uPlot from node_modules', async () => {
    expect((await get('/console/assets/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const bad of ['..%2Fpage.ts', '%2E%2E%2Fi18n.ts', 'APP.JS', 'app.js.map', 'nope.js']) expect((await get(`/console/assets/${bad}`)).status, bad).toBe(404);
    expect((await get('/console/vendor/uplot.js')).status).toBe(200);
    expect((await get('/console/vendor/uplot.css')).status).toBe(200);
    expect((await get('/console/vendor/other.js')).status).toBe(404);
    // Names of Object.prototype's members are not vendor files either (the fuzz test found a 500 here).
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect((await get(`/console/vendor/${name}`)).status, name).toBe(404);
  });
});
