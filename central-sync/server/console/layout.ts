import { html, raw } from 'hono/html';
import { VENDOR_FILES } from './assets';
import { messages, type Lang, type Translate } from './i18n';
import { mayOpen, type ConsolePage, type ConsoleUser, type Html } from './page';

export interface LayoutInput {
  title: string;
  lang: Lang;
  t: Translate;
  /** The path shown (marks the active nav entry; the language switch returns here). */
  path: string;
  /** Where the language switch returns: the path with its query (a filtered view stays filtered); default path. */
  returnTo?: string;
  user?: ConsoleUser;
  nav: readonly ConsolePage[];
  scripts: readonly string[];
  vendor?: ConsolePage['vendor'];
  styles?: readonly string[];
  body: Html;
}

/** JSON inside <script type="application/json">: escaping `<` keeps it inert (no `</script>`). */
export const inertJson = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/** Header (nav entries of the user's role, user and role, language switch, logout), main, data islands, modules. */
export function layout(p: LayoutInput): Html {
  const other: Lang = p.lang === 'vi' ? 'en' : 'vi';
  const vendorFiles = (p.vendor ?? []).flatMap((v) => VENDOR_FILES[v]);
  const user = p.user;
  const links = user ? p.nav.filter((page) => page.nav && mayOpen(page, user.role)).sort((a, b) => a.nav!.order - b.nav!.order) : [];
  return html`<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${p.t('common.appName')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/app.css">
${(p.styles ?? []).map((f) => html`<link rel="stylesheet" href="/console/assets/${f}">`)}
${vendorFiles.filter((f) => f.endsWith('.css')).map((f) => html`<link rel="stylesheet" href="/console/vendor/${f}">`)}
</head>
<body data-page="${p.path}">
<header class="top">
  <a class="brand" href="/">${p.t('common.appName')}</a>
  <nav id="nav">${links.map((page) => html`<a href="${page.path}" class="${p.path === page.path ? 'active' : ''}">${p.t(page.nav!.label)}</a>`)}</nav>
  <div class="who">
    ${user ? html`<span class="user" id="who" data-role="${user.role}">${user.name} · ${p.t(`common.role.${user.role}`)}</span>` : ''}
    <a class="lang" id="lang-switch" href="/console/lang?to=${other}&amp;next=${encodeURIComponent(p.returnTo ?? p.path)}" title="${p.t('common.language')}">${other.toUpperCase()}</a>
    ${user ? html`<button type="button" id="logout">${p.t('common.logout')}</button>` : ''}
  </div>
</header>
<main>
<h1>${p.title}</h1>
${p.body}
</main>
<script type="application/json" id="i18n">${inertJson(messages(p.lang))}</script>
${user ? html`<script type="application/json" id="me">${inertJson(user)}</script>` : ''}
${vendorFiles.filter((f) => f.endsWith('.js')).map((f) => html`<script src="/console/vendor/${f}"></script>`)}
<script type="module" src="/console/assets/app.js"></script>
${p.scripts.map((s) => html`<script type="module" src="/console/assets/${s}"></script>`)}
</body>
</html>`;
}
