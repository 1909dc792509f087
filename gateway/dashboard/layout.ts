import { html, raw } from 'hono/html';
import type { Role } from '../config';
import { VENDOR_FILES } from './assets';
import { messages, type Lang, type Translate } from './i18n';
import type { DashboardPage, Html } from './page';
import { mayOpen } from './page';

export interface LayoutInput {
  title: string;
  lang: Lang;
  t: Translate;
  path: string;
  user?: { name: string; role: Role };
  nav: readonly DashboardPage[];
  scripts: readonly string[];
  vendor?: DashboardPage['vendor'];
  styles?: readonly string[];
  body: Html;
}

/** JSON inside <script type="application/json">: only `<` needs escaping to stay inert. */
const inertJson = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

export function layout(p: LayoutInput): Html {
  const other: Lang = p.lang === 'vi' ? 'en' : 'vi';
  const vendorFiles = (p.vendor ?? []).flatMap((v) => VENDOR_FILES[v]);
  const links = p.user ? p.nav.filter((page) => page.nav && mayOpen(page, p.user!.role)).sort((a, b) => a.nav!.order - b.nav!.order) : [];
  return html`<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${p.t('common.appName')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/assets/app.css">
${(p.styles ?? []).map((f) => html`<link rel="stylesheet" href="/ui/assets/${f}">`)}
${vendorFiles.filter((f) => f.endsWith('.css')).map((f) => html`<link rel="stylesheet" href="/ui/vendor/${f}">`)}
</head>
<body data-page="${p.path}">
<header class="top">
  <a class="brand" href="/">${p.t('common.appName')}</a>
  <nav>${links.map((page) => html`<a href="${page.path}" class="${p.path === page.path ? 'active' : ''}">${p.t(page.nav!.label)}</a>`)}</nav>
  <div class="who">
    ${p.user ? html`<span class="user" data-role="${p.user.role}">${p.user.name} · ${p.t(`common.role.${p.user.role}`)}</span>` : ''}
    <a class="lang" id="lang-switch" href="/ui/lang?to=${other}&amp;next=${encodeURIComponent(p.path)}" title="${p.t('common.language')}">${other.toUpperCase()}</a>
    ${p.user ? html`<button type="button" id="logout">${p.t('common.logout')}</button>` : ''}
  </div>
</header>
<main>
<h1>${p.title}</h1>
${p.body}
</main>
<script type="application/json" id="i18n">${inertJson(messages(p.lang))}</script>
${p.user ? html`<script type="application/json" id="me">${inertJson(p.user)}</script>` : ''}
${vendorFiles.filter((f) => f.endsWith('.js')).map((f) => html`<script src="/ui/vendor/${f}"></script>`)}
<script type="module" src="/ui/assets/app.js"></script>
${p.scripts.map((s) => html`<script type="module" src="/ui/assets/${s}"></script>`)}
</body>
</html>`;
}
