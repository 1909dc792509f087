import { html } from 'hono/html';
import type { DashboardPage } from '../page';

/** Watchlist management: enrol from photos after a face preview, remove, and the access trail. */
export const watchlistPage: DashboardPage = {
  path: '/watchlist',
  roles: ['security'],
  title: 'watchlist.title',
  nav: { label: 'common.nav.watchlist', order: 3 },
  scripts: ['watchlist.js'],
  styles: ['watchlist.css'],
  body: ({ t }) => html`
<p class="muted">${t('watchlist.intro')}</p>
<div class="watchlist-layout">
  <section class="card" id="enrol-card">
    <h2>${t('watchlist.enrol')}</h2>
    <form id="enrol-form" autocomplete="off">
      <label>${t('watchlist.name')} <input type="text" name="name" required maxlength="120"></label>
      <label>${t('watchlist.note')} <textarea name="note" rows="2" maxlength="1000"></textarea></label>
      <label>${t('watchlist.photos')} <input type="file" name="photo" accept="image/*" multiple></label>
      <p class="muted small">${t('watchlist.previewHint')}</p>
      <p class="muted" id="preview-status" role="status"></p>
      <ul id="preview" class="preview"></ul>
      <button type="submit" id="enrol-submit" disabled>${t('watchlist.enrolSubmit')}</button>
      <p class="error" role="alert" id="enrol-error" hidden></p>
      <p class="ok" role="status" id="enrol-done" hidden></p>
    </form>
  </section>
  <section class="card" id="persons-card">
    <h2>${t('watchlist.persons')}</h2>
    <p class="error" role="alert" id="persons-error" hidden></p>
    <table id="persons">
      <thead><tr><th>${t('watchlist.col.name')}</th><th>${t('watchlist.col.note')}</th><th>${t('watchlist.col.photos')}</th><th>${t('watchlist.col.by')}</th><th>${t('watchlist.col.at')}</th><th></th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="muted" id="persons-empty" hidden>${t('watchlist.empty')}</p>
  </section>
</div>
<section class="card" id="audit-card">
  <h2>${t('watchlist.audit')}</h2>
  <p class="muted small">${t('watchlist.auditHint')}</p>
  <p class="error" role="alert" id="audit-error" hidden></p>
  <table id="watchlist-audit">
    <thead><tr><th>${t('watchlist.col.time')}</th><th>${t('watchlist.col.user')}</th><th>${t('watchlist.col.action')}</th><th>${t('watchlist.col.subject')}</th></tr></thead>
    <tbody></tbody>
  </table>
  <p class="muted" id="audit-empty" hidden>${t('watchlist.auditEmpty')}</p>
</section>`,
};
