import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Role } from '../store';
import { serveConsoleAssets } from './assets';
import { DEFAULT_LANG, isLang, translator, type Lang } from './i18n';
import { layout } from './layout';
import { mayOpen, type ConsolePage, type ConsoleUser } from './page';
import { PAGES } from './pages';
import { loginBody } from './pages/login';
import { sameOriginPath } from './safe-path';

export { LANGS, messages, type Lang } from './i18n';
export { PAGES } from './pages';
export type { ConsolePage, ConsolePageContext, ConsoleUser } from './page';

export interface ConsoleDeps {
  /** The holder of the request's console session as they are now, or undefined (anonymous). */
  identify(c: Context): Promise<ConsoleUser | undefined>;
}

export const LANG_COOKIE = 'lang';

/**
 * Scripts and styles only from this origin; no inline script (the i18n and user JSON islands are
 * inert data); no framing, no <base>, forms post only here.
 */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const langOf = (c: Context): Lang => {
  const v = getCookie(c, LANG_COOKIE);
  return isLang(v) ? v : DEFAULT_LANG;
};

/** The first page in nav order that the role may open: where / and a login without `next` land. */
export function homeOf(role: Role): string {
  const first = PAGES.filter((p) => p.nav && mayOpen(p, role)).sort((a, b) => a.nav!.order - b.nav!.order)[0];
  return first?.path ?? '/login';
}

/** Mounts the console's pages on the central's app: security headers, assets, /login, /, the language switch and PAGES. */
export function mountConsole(app: Hono, deps: ConsoleDeps): void {
  app.use('*', async (c, next) => {
    await next();
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      c.res.headers.set('content-security-policy', CONSOLE_CSP);
      c.res.headers.set('x-content-type-options', 'nosniff');
      c.res.headers.set('x-frame-options', 'DENY');
      c.res.headers.set('referrer-policy', 'same-origin');
      c.res.headers.set('cache-control', 'no-store');
    }
  });
  serveConsoleAssets(app);

  app.get('/console/lang', (c) => {
    const to = c.req.query('to');
    if (isLang(to)) setCookie(c, LANG_COOKIE, to, { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400 });
    return c.redirect(sameOriginPath(c.req.query('next'), new URL(c.req.url).origin), 303);
  });

  app.get('/login', (c) => {
    const lang = langOf(c);
    const t = translator(lang);
    return c.html(layout({ title: t('login.title'), lang, t, path: '/login', nav: PAGES, scripts: ['login.js'], body: loginBody(t) }));
  });

  app.get('/', async (c) => {
    const user = await deps.identify(c);
    return c.redirect(user ? homeOf(user.role) : '/login', 303);
  });

  for (const page of PAGES) app.get(page.path, (c) => render(c, page, deps));
}

async function render(c: Context, page: ConsolePage, deps: ConsoleDeps): Promise<Response> {
  const user = await deps.identify(c);
  const url = new URL(c.req.url);
  if (!user) return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  const lang = langOf(c);
  const t = translator(lang);
  if (!mayOpen(page, user.role)) {
    const body = html`<p class="error" id="forbidden">${t('common.forbidden.body', { role: t(`common.role.${user.role}`) })}</p>`;
    return c.html(layout({ title: t('common.forbidden.title'), lang, t, path: c.req.path, user, nav: PAGES, scripts: [], body }), 403);
  }
  const ctx = { user, lang, t, params: c.req.param() as Record<string, string>, query: c.req.query() };
  return c.html(
    layout({
      title: t(page.title),
      lang,
      t,
      path: c.req.path,
      returnTo: `${c.req.path}${new URL(c.req.url).search}`,
      user,
      nav: PAGES,
      scripts: page.scripts,
      ...(page.vendor ? { vendor: page.vendor } : {}),
      ...(page.styles ? { styles: page.styles } : {}),
      body: await page.body(ctx),
    }),
  );
}
