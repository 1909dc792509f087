import { html } from 'hono/html';
import { ROLES } from '../../store';
import type { ConsolePage, ConsolePageContext } from '../page';

const roleOptions = (ctx: ConsolePageContext) => ROLES.map((r) => html`<option value="${r}">${ctx.t(`common.role.${r}`)}</option>`);

/** Admin only: enrolment tokens, gateways, API tokens, console users and the recent audit trail; filled by admin.js. */
export const adminPage: ConsolePage = {
  path: '/admin',
  roles: [],
  title: 'admin.title',
  nav: { label: 'common.nav.admin', order: 90 },
  scripts: ['admin.js'],
  styles: ['admin.css'],
  body: (ctx) => html`
<p class="error" role="alert" id="admin-error" hidden></p>
<p class="ok" role="status" id="admin-status" hidden></p>
<div class="secret card" id="shown-once" hidden>
  <p class="warn"><strong id="shown-once-title"></strong> ${ctx.t('admin.shownOnce')}</p>
  <code id="shown-once-value"></code>
  <button type="button" id="shown-once-copy" class="secondary">${ctx.t('admin.copy')}</button>
  <button type="button" id="shown-once-close" class="secondary">${ctx.t('admin.close')}</button>
</div>

<section class="card" id="enrolments">
  <h2>${ctx.t('admin.enrolments.title')}</h2>
  <form id="enrolment-form" class="inline">
    <label>${ctx.t('admin.enrolments.siteId')} <input type="text" name="siteId" required maxlength="128"></label>
    <label>${ctx.t('admin.enrolments.siteName')} <input type="text" name="siteName" required maxlength="200"></label>
    <label>${ctx.t('admin.enrolments.ttlHours')} <input type="number" name="ttlHours" min="1" max="720" placeholder="72"></label>
    <button type="submit">${ctx.t('admin.enrolments.create')}</button>
  </form>
  <table><thead><tr><th>${ctx.t('admin.enrolments.site')}</th><th>${ctx.t('admin.created')}</th><th>${ctx.t('admin.enrolments.expires')}</th><th>${ctx.t('admin.state')}</th></tr></thead><tbody id="enrolment-rows"></tbody></table>
</section>

<section class="card" id="gateways">
  <h2>${ctx.t('admin.gateways.title')}</h2>
  <div class="filters"><label>${ctx.t('admin.gateways.filter')} <input type="search" id="gateway-filter" autocomplete="off"></label> <span class="muted small" id="gateway-count"></span></div>
  <table><thead><tr><th>${ctx.t('admin.gateways.id')}</th><th>${ctx.t('admin.gateways.name')}</th><th>${ctx.t('admin.enrolments.site')}</th><th>${ctx.t('admin.created')}</th><th>${ctx.t('admin.state')}</th><th></th></tr></thead><tbody id="gateway-rows"></tbody></table>
</section>

<section class="card" id="tokens">
  <h2>${ctx.t('admin.tokens.title')}</h2>
  <form id="token-form" class="inline">
    <label>${ctx.t('admin.tokens.name')} <input type="text" name="name" required maxlength="128"></label>
    <label>${ctx.t('admin.role')} <select name="role">${roleOptions(ctx)}</select></label>
    <button type="submit">${ctx.t('admin.tokens.create')}</button>
  </form>
  <table><thead><tr><th>${ctx.t('admin.tokens.name')}</th><th>${ctx.t('admin.role')}</th><th>${ctx.t('admin.created')}</th><th>${ctx.t('admin.state')}</th><th></th></tr></thead><tbody id="token-rows"></tbody></table>
</section>

<section class="card" id="users">
  <h2>${ctx.t('admin.users.title')}</h2>
  <form id="user-form" class="inline">
    <label>${ctx.t('admin.users.name')} <input type="text" name="name" required maxlength="64" autocomplete="off"></label>
    <label>${ctx.t('admin.role')} <select name="role">${roleOptions(ctx)}</select></label>
    <label>${ctx.t('admin.users.password')} <input type="password" name="password" required minlength="10" maxlength="256" autocomplete="new-password"></label>
    <button type="submit">${ctx.t('admin.users.create')}</button>
  </form>
  <table><thead><tr><th>${ctx.t('admin.users.name')}</th><th>${ctx.t('admin.role')}</th><th>${ctx.t('admin.created')}</th><th>${ctx.t('admin.state')}</th><th></th></tr></thead><tbody id="user-rows"></tbody></table>
</section>

<section class="card" id="audit">
  <h2>${ctx.t('admin.audit.title')}</h2>
  <table><thead><tr><th>${ctx.t('admin.audit.at')}</th><th>${ctx.t('admin.audit.actor')}</th><th>${ctx.t('admin.audit.action')}</th><th>${ctx.t('admin.audit.target')}</th></tr></thead><tbody id="audit-rows"></tbody></table>
  <button type="button" id="audit-more" class="secondary" hidden>${ctx.t('admin.audit.more')}</button>
</section>`,
};
