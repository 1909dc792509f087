import { html } from 'hono/html';
import type { DashboardPage } from '../page';

/** Event types the gateway raises, for the type filter (the API accepts any type string). */
export const EVENT_TYPES = ['restricted_zone_entry', 'watchlist_match', 'loitering', 'crowding', 'queue_long', 'camera_offline', 'camera_tampered'] as const;
const SEVERITIES = ['high', 'medium', 'low'] as const;
const REVIEW_STATES = ['open', 'acknowledged', 'false_positive'] as const;

/** Security's event review: filters, a paged table with thumbnails, new events added live. */
export const eventsPage: DashboardPage = {
  path: '/events',
  roles: ['security'],
  title: 'events.title',
  nav: { label: 'common.nav.events', order: 2 },
  scripts: ['events.js'],
  styles: ['events.css'],
  body: ({ t }) => html`
<form id="event-filters" class="filters card" role="search">
  <label>${t('events.filter.camera')}
    <select name="camera"><option value="">${t('events.filter.all')}</option></select>
  </label>
  <label>${t('events.filter.type')}
    <select name="type"><option value="">${t('events.filter.all')}</option>${EVENT_TYPES.map((v) => html`<option value="${v}">${t(`events.type.${v}`)}</option>`)}</select>
  </label>
  <label>${t('events.filter.severity')}
    <select name="severity"><option value="">${t('events.filter.all')}</option>${SEVERITIES.map((v) => html`<option value="${v}">${t(`events.severity.${v}`)}</option>`)}</select>
  </label>
  <label>${t('events.filter.review')}
    <select name="review"><option value="">${t('events.filter.all')}</option>${REVIEW_STATES.map((v) => html`<option value="${v}">${t(`events.review.${v}`)}</option>`)}</select>
  </label>
  <label>${t('events.filter.from')} <input type="datetime-local" name="from"></label>
  <label>${t('events.filter.to')} <input type="datetime-local" name="to"></label>
  <button type="reset" class="secondary">${t('events.filter.reset')}</button>
  <span class="live-state muted" id="live-state"></span>
</form>
<p class="error" role="alert" id="events-error" hidden></p>
<table id="events-table" class="events">
  <thead><tr>
    <th>${t('events.col.snapshot')}</th><th>${t('events.col.time')}</th><th>${t('events.col.camera')}</th><th>${t('events.col.zone')}</th>
    <th>${t('events.col.type')}</th><th>${t('events.col.severity')}</th><th>${t('events.col.review')}</th>
  </tr></thead>
  <tbody id="events-body"></tbody>
</table>
<p class="muted" id="events-empty" hidden>${t('events.empty')}</p>
<p class="more-row"><button type="button" id="events-more" class="secondary" hidden>${t('events.more')}</button> <span class="muted" id="events-count"></span></p>`,
};

/** One event: snapshot, clip, fields, timeline, the track's path, review history and review actions. */
export const eventPage: DashboardPage = {
  path: '/events/:id',
  // Security and admin only: the clip's faces are not blurred (the API refuses it to everyone else too).
  roles: ['security'],
  title: 'events.detailTitle',
  scripts: ['event.js', 'event-clip.js'],
  styles: ['events.css', 'clips.css'],
  body: ({ t, params }) => html`
<p><a href="/events" id="back-to-list">← ${t('events.back')}</a></p>
<p class="error" role="alert" id="event-error" hidden></p>
<div id="event" class="event-detail" data-id="${params.id ?? ''}" hidden>
  <section class="card snapshot-card">
    <h2>${t('events.snapshot')}</h2>
    <img id="event-snapshot" class="snapshot" alt="${t('events.snapshot')}">
    <p class="muted" id="event-no-snapshot" hidden>${t('events.noSnapshotLong')}</p>
    <p class="muted small">${t('events.snapshotNote')}</p>
  </section>
  <section class="card clip-card" id="event-clip-card">
    <h2>${t('clips.heading')}</h2>
    <video id="event-clip" class="clip" controls preload="metadata" playsinline hidden></video>
    <p id="event-clip-state" class="muted" data-state="loading">${t('common.loading')}</p>
    <p class="muted small">${t('clips.note')}</p>
  </section>
  <section class="card">
    <h2 id="event-heading"></h2>
    <dl id="event-fields" class="fields"></dl>
    <div id="event-people" hidden></div>
  </section>
  <section class="card">
    <h2>${t('events.actions')}</h2>
    <form id="review-form">
      <label>${t('events.comment')} <textarea name="comment" rows="2" maxlength="2000"></textarea></label>
      <div class="review-buttons">
        <button type="submit" name="action" value="acknowledge">${t('events.action.acknowledge')}</button>
        <button type="submit" name="action" value="false_positive" class="secondary">${t('events.action.false_positive')}</button>
        <button type="submit" name="action" value="comment" class="secondary">${t('events.action.comment')}</button>
        <button type="submit" name="action" value="reopen" class="secondary">${t('events.action.reopen')}</button>
      </div>
      <p class="error" role="alert" id="review-error" hidden></p>
    </form>
    <h2>${t('events.reviews')}</h2>
    <table id="event-reviews"><thead><tr><th>${t('events.col.time')}</th><th>${t('events.col.user')}</th><th>${t('events.col.action')}</th><th>${t('events.col.comment')}</th></tr></thead><tbody></tbody></table>
    <p class="muted" id="event-reviews-none" hidden>${t('events.reviews.none')}</p>
  </section>
  <section class="card">
    <h2>${t('events.timeline')}</h2>
    <table id="event-timeline"><thead><tr><th>${t('events.col.time')}</th><th>${t('events.col.phase')}</th><th>${t('events.col.data')}</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="card">
    <h2>${t('events.track')}</h2>
    <div id="event-track"><p class="muted">${t('common.loading')}</p></div>
  </section>
</div>`,
};
