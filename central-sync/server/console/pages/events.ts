import { html } from 'hono/html';
import { SEVERITIES } from '../../../wire';
import type { ConsolePage, ConsolePageContext } from '../page';

/** The filters the URL keeps (a filtered view can be shared as a link). */
const text = (ctx: ConsolePageContext, name: 'site' | 'camera' | 'type', max: number) =>
  html`<label>${ctx.t(`events.filter.${name}`)} <input type="text" name="${name}" maxlength="${max}" value="${ctx.query[name] ?? ''}"></label>`;

const when = (ctx: ConsolePageContext, name: 'from' | 'to') =>
  html`<label>${ctx.t(`events.filter.${name}`)} <input type="datetime-local" name="${name}" value="${/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(ctx.query[name] ?? '') ? ctx.query[name] : ''}"></label>`;

/**
 * Security: events across sites, newest first, filtered by site, camera, type, severity and time;
 * a page at a time ("more"); new arrivals polled every 5 s (paused while the tab is hidden) and
 * prepended, marked new. A shell filled by events.js from GET /v1/events.
 */
export const eventsPage: ConsolePage = {
  path: '/events',
  roles: ['security'],
  title: 'events.title',
  nav: { label: 'common.nav.events', order: 10 },
  scripts: ['events.js'],
  styles: ['events.css'],
  body: (ctx) => html`
<p class="error" role="alert" id="events-error" hidden></p>
<form id="event-filters" class="filters" method="get" action="/events">
  ${text(ctx, 'site', 128)} ${text(ctx, 'camera', 128)} ${text(ctx, 'type', 64)}
  <label>${ctx.t('events.filter.severity')}
    <select name="severity"><option value="">${ctx.t('events.filter.any')}</option>${SEVERITIES.map(
      (s) => html`<option value="${s}"${ctx.query.severity === s ? ' selected' : ''}>${ctx.t(`events.severity.${s}`)}</option>`,
    )}</select>
  </label>
  ${when(ctx, 'from')} ${when(ctx, 'to')}
  <button type="submit">${ctx.t('events.filter.apply')}</button>
  <a href="/events" class="secondary" id="events-clear">${ctx.t('events.filter.clear')}</a>
</form>
<p class="live muted small" id="live-status" data-live="on" aria-live="polite">
  <span class="live-dot"></span> <span id="live-label">${ctx.t('events.live.on')}</span>
  · ${ctx.t('events.live.new')} <span id="live-count">0</span>
</p>
<table id="events-table">
  <thead><tr>
    <th>${ctx.t('events.col.time')}</th><th>${ctx.t('events.col.site')}</th><th>${ctx.t('events.col.camera')}</th>
    <th>${ctx.t('events.col.type')}</th><th>${ctx.t('events.col.severity')}</th><th>${ctx.t('events.col.state')}</th>
  </tr></thead>
  <tbody id="event-rows"><tr class="placeholder"><td colspan="6" class="muted">${ctx.t('common.loading')}</td></tr></tbody>
</table>
<p><button type="button" class="secondary" id="events-more" hidden>${ctx.t('common.more')}</button></p>`,
};

/**
 * Security: one event's fields, its data (never the face crop), the timeline of its updates and,
 * for security and admin where the event has one, a button that loads the crop through the audited
 * route. Filled by event.js from GET /v1/events/:id.
 */
export const eventDetailPage: ConsolePage = {
  path: '/events/:id',
  roles: ['security'],
  title: 'events.detail.title',
  scripts: ['event.js'],
  styles: ['events.css'],
  body: (ctx) => html`
<p><a href="/events" id="back-to-events">← ${ctx.t('events.detail.back')}</a></p>
<p class="error" role="alert" id="event-error" hidden></p>
<section class="card" id="event" data-event-id="${/^[1-9]\d{0,14}$/.test(ctx.params.id ?? '') ? ctx.params.id : ''}">
  <h2 id="event-heading">${ctx.t('common.loading')}</h2>
  <dl id="event-fields" class="fields"></dl>
  <h3>${ctx.t('events.detail.data')}</h3>
  <dl id="event-data" class="fields"></dl>
</section>
<section class="card" id="face-crop-section" hidden>
  <h3>${ctx.t('events.crop.title')}</h3>
  <p class="warn small" id="face-crop-note">${ctx.t('events.crop.note')}</p>
  <button type="button" id="show-face-crop">${ctx.t('events.crop.show')}</button>
  <img id="face-crop" alt="${ctx.t('events.crop.alt')}" hidden>
</section>
<section class="card">
  <h3>${ctx.t('events.detail.timeline')}</h3>
  <ol id="event-timeline" class="timeline"></ol>
</section>`,
};
