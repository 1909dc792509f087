import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Role } from '../config';
import type { Credential } from '../api/session-auth';
import { serveAssets } from './assets';
import { DEFAULT_LANG, isLang, translator, type Lang } from './i18n';
import { layout } from './layout';
import { mayOpen, type DashboardPage } from './page';
import { PAGES } from './pages';
import { loginBody } from './pages/login';
import { sameOriginPath } from './safe-path';

export { LANGS, messages, type Lang } from './i18n';
export { PAGES } from './pages';
export type { DashboardPage } from './page';

export interface DashboardDeps {
  identify(c: Context): Credential;
}

const LANG_COOKIE = 'lang';
// Scripts only from this origin (and WebAssembly compilation, for the live view's decoder); the i18n and user JSON blocks are inert data.
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const langOf = (c: Context): Lang => {
  const v = getCookie(c, LANG_COOKIE);
  return isLang(v) ? v : DEFAULT_LANG;
};

/** The page a role lands on after login. */
export function homeOf(role: Role): string {
  const first = PAGES.filter((p) => p.nav && mayOpen(p, role)).sort((a, b) => a.nav!.order - b.nav!.order)[0];
  return first?.path ?? '/login';
}

/** Server-rendered dashboard pages; each page's script calls the JSON API with the session cookie. */
export function createDashboard(deps: DashboardDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      c.res.headers.set('content-security-policy', CSP);
      c.res.headers.set('x-content-type-options', 'nosniff');
      c.res.headers.set('referrer-policy', 'same-origin');
      c.res.headers.set('cache-control', 'no-store');
    }
  });
  serveAssets(app);

  app.get('/ui/lang', (c) => {
    const to = c.req.query('to');
    if (isLang(to)) setCookie(c, LANG_COOKIE, to, { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400 });
    return c.redirect(sameOriginPath(c.req.query('next'), new URL(c.req.url).origin), 303);
  });

  app.get('/login', (c) => {
    const lang = langOf(c);
    const t = translator(lang);
    return c.html(layout({ title: t('login.title'), lang, t, path: '/login', nav: PAGES, scripts: ['login.js'], body: loginBody(t) }));
  });

  app.get('/', (c) => {
    const who = deps.identify(c);
    return c.redirect(who.via === 'none' ? '/login' : homeOf(who.user.role), 303);
  });

  for (const page of PAGES) {
    app.get(page.path, (c) => render(c, page, deps));
  }
  return app;
}

async function render(c: Context, page: DashboardPage, deps: DashboardDeps): Promise<Response> {
  const who = deps.identify(c);
  if (who.via === 'none') return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  const lang = langOf(c);
  const t = translator(lang);
  const user = who.user;
  if (!mayOpen(page, user.role)) {
    return c.html(
      layout({ title: t('common.forbidden.title'), lang, t, path: c.req.path, user, nav: PAGES, scripts: [], body: html`<p class="error" id="forbidden">${t('common.forbidden.body', { role: t(`common.role.${user.role}`) })}</p>` }),
      403,
    );
  }
  const ctx = { user, lang, t, params: c.req.param() as Record<string, string>, query: c.req.query() };
  return c.html(layout({ title: t(page.title), lang, t, path: c.req.path, user, nav: PAGES, scripts: page.scripts, ...(page.vendor ? { vendor: page.vendor } : {}), ...(page.styles ? { styles: page.styles } : {}), body: await page.body(ctx) }));
}
