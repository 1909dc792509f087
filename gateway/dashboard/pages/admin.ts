import { html } from 'hono/html';
import { ROLES, ZoneSchema } from '../../config';
import { DIRECTIONS } from '../../config/schema';
import { DEFAULT_COOL_DOWN_SECONDS, DEFAULT_ENTER_AFTER_SECONDS, DEFAULT_EXIT_AFTER_SECONDS } from '../../zones';
import type { Translate } from '../i18n';
import type { DashboardPage } from '../page';

/** Every zone type the configuration accepts (queue, counter, restricted, count, line), in the schema's order. */
const ZONE_TYPES = ZoneSchema.options.map((option) => option.shape.type.value);
const IN_DIRECTIONS = Object.keys(DIRECTIONS) as Array<keyof typeof DIRECTIONS>;

const tabs = (t: Translate, active: 'users' | 'zones') => html`
<nav class="admin-tabs" aria-label="${t('admin.title')}">
  <a href="/admin" class="${active === 'users' ? 'active' : ''}">${t('admin.tab.users')}</a>
  <a href="/admin/zones" class="${active === 'zones' ? 'active' : ''}">${t('admin.tab.zones')}</a>
</nav>`;

/** Users and tokens created at run time: list, create (token shown once), remove. */
export const adminPage: DashboardPage = {
  path: '/admin',
  roles: [],
  title: 'admin.title',
  nav: { label: 'common.nav.admin', order: 6 },
  scripts: ['admin.js'],
  styles: ['admin.css'],
  body: ({ t }) => html`
${tabs(t, 'users')}
<section class="card">
  <h2>${t('admin.users.create')}</h2>
  <form id="user-form" class="filters" autocomplete="off">
    <label>${t('admin.users.name')} <input type="text" name="name" required maxlength="64"></label>
    <label>${t('admin.users.role')}
      <select name="role">${ROLES.map((r) => html`<option value="${r}">${t(`common.role.${r}`)}</option>`)}</select>
    </label>
    <label>${t('admin.users.password')} <input type="password" name="password" autocomplete="new-password" minlength="10" placeholder="${t('admin.users.passwordHint')}"></label>
    <button type="submit">${t('admin.users.submit')}</button>
  </form>
  <p class="error" role="alert" id="user-error" hidden></p>
  <div id="token-box" class="token-box" hidden>
    <p class="warn"><strong>${t('admin.token.warning')}</strong></p>
    <p id="token-for" class="muted"></p>
    <div class="token-row">
      <input type="text" id="token-value" readonly aria-label="${t('admin.token.label')}">
      <button type="button" id="token-copy">${t('admin.token.copy')}</button>
      <button type="button" id="token-done" class="secondary">${t('admin.token.done')}</button>
    </div>
    <p id="token-copied" class="ok" hidden>${t('admin.token.copied')}</p>
  </div>
</section>
<section class="card">
  <h2>${t('admin.users.list')}</h2>
  <p class="muted">${t('admin.users.configNote')}</p>
  <table id="users-table">
    <thead><tr><th>${t('admin.users.name')}</th><th>${t('admin.users.role')}</th><th>${t('admin.users.created')}</th><th>${t('admin.users.login')}</th><th></th></tr></thead>
    <tbody id="users-body"></tbody>
  </table>
  <p class="muted" id="users-empty" hidden>${t('admin.users.empty')}</p>
  <p class="error" role="alert" id="users-error" hidden></p>
</section>`,
};

/** A camera's still frame with its zones drawn over it (areas as polygons, lines as arrows): add, reshape, edit and delete zones, then save (applied live). */
export const zonesPage: DashboardPage = {
  path: '/admin/zones',
  roles: [],
  title: 'admin.zones.title',
  scripts: ['zones.js'],
  styles: ['admin.css', 'zones.css'],
  body: ({ t }) => html`
${tabs(t, 'zones')}
<div class="filters card">
  <label>${t('admin.zones.camera')} <select id="zone-camera"></select></label>
  <button type="button" id="zone-still-reload" class="secondary">${t('admin.zones.newStill')}</button>
  <span id="zone-still-state" class="muted" role="status"></span>
</div>
<div class="zones-layout">
  <section class="card zone-stage-card">
    <div class="zone-stage" id="zone-stage">
      <img id="zone-still" alt="${t('admin.zones.stillAlt')}" hidden>
      <canvas id="zone-canvas" aria-label="${t('admin.zones.canvasLabel')}"></canvas>
    </div>
    <div class="zone-tools">
      <button type="button" id="zone-add">${t('admin.zones.add')}</button>
      <button type="button" id="zone-add-line" class="secondary">${t('admin.zones.addLine')}</button>
      <button type="button" id="zone-close" hidden>${t('admin.zones.close')}</button>
      <button type="button" id="zone-cancel" class="secondary" hidden>${t('admin.zones.cancelDrawing')}</button>
      <span id="zone-hint" class="muted">${t('admin.zones.hintIdle')}</span>
    </div>
  </section>
  <aside class="card zone-side">
    <h2>${t('admin.zones.list')}</h2>
    <ul id="zone-list" class="zone-list"></ul>
    <p class="muted" id="zone-empty" hidden>${t('admin.zones.empty')}</p>
    <form id="zone-form" class="zone-form" hidden autocomplete="off">
      <label>${t('admin.zones.id')} <input type="text" name="id" required maxlength="64"></label>
      <label>${t('admin.zones.name')} <input type="text" name="name" maxlength="120"></label>
      <label>${t('admin.zones.type')}
        <select name="type">${ZONE_TYPES.map((z) => html`<option value="${z}">${t(`admin.zones.type.${z}`)}</option>`)}</select>
      </label>
      <div data-for="line">
        <label>${t('admin.zones.inDirection')}
          <select name="inDirection">${IN_DIRECTIONS.map((d) => html`<option value="${d}">${t(`admin.zones.direction.${d}`)}</option>`)}</select>
        </label>
      </div>
      <label>${t('admin.zones.enterAfterSeconds')} <input type="number" name="enterAfterSeconds" min="0" max="60" step="any" placeholder="${t('admin.zones.defaultSeconds', { n: DEFAULT_ENTER_AFTER_SECONDS })}"></label>
      <div data-for="queue counter restricted count">
        <label>${t('admin.zones.exitAfterSeconds')} <input type="number" name="exitAfterSeconds" min="0" max="600" step="any" placeholder="${t('admin.zones.defaultSeconds', { n: DEFAULT_EXIT_AFTER_SECONDS })}"></label>
      </div>
      <div data-for="restricted count">
        <label>${t('admin.zones.coolDownSeconds')} <input type="number" name="coolDownSeconds" min="0" max="3600" step="any" placeholder="${t('admin.zones.defaultSeconds', { n: DEFAULT_COOL_DOWN_SECONDS })}"></label>
      </div>
      <div data-for="queue">
        <label>${t('admin.zones.maxLength')} <input type="number" name="maxLength" min="1" step="1"></label>
        <label>${t('admin.zones.maxWaitSeconds')} <input type="number" name="maxWaitSeconds" min="1" step="1"></label>
      </div>
      <div data-for="count">
        <label>${t('admin.zones.crowdingAbove')} <input type="number" name="crowdingAbove" min="1" step="1"></label>
        <label>${t('admin.zones.loiterSeconds')} <input type="number" name="loiterSeconds" min="1" step="1"></label>
      </div>
      <div data-for="restricted">
        <label class="inline"><input type="checkbox" name="scheduled"> ${t('admin.zones.scheduled')}</label>
        <p class="muted" id="zone-always">${t('admin.zones.alwaysArmed')}</p>
        <div id="zone-windows"></div>
        <button type="button" id="zone-window-add" class="secondary">${t('admin.zones.addWindow')}</button>
      </div>
      <p class="muted" id="zone-points"></p>
      <button type="button" id="zone-delete" class="danger">${t('admin.zones.delete')}</button>
    </form>
    <p class="error" role="alert" id="zone-error" hidden></p>
    <div class="zone-actions">
      <button type="button" id="zone-save">${t('admin.zones.save')}</button>
      <button type="button" id="zone-revert" class="secondary">${t('admin.zones.revert')}</button>
    </div>
    <p class="ok" id="zone-saved" role="status" hidden></p>
    <p class="muted">${t('admin.zones.liveNote')}</p>
  </aside>
</div>`,
};
