import { html } from 'hono/html';
import type { ConsolePage } from '../page';

/**
 * Security and ops: today's queues across sites (footfall, average and longest wait, peak queue,
 * last update), sorted by wait; a site opens its zones and a chart over the day. Filled by
 * queues.js from GET /v1/queues/today, refreshed every minute.
 */
export const queuesPage: ConsolePage = {
  path: '/queues',
  roles: ['security', 'ops'],
  title: 'queues.title',
  nav: { label: 'common.nav.queues', order: 20 },
  scripts: ['queues.js'],
  styles: ['queues.css'],
  vendor: ['uplot'],
  body: (ctx) => html`
<p class="error" role="alert" id="queues-error" hidden></p>
<p class="muted small"><span id="queues-day"></span> · <span id="queues-updated" aria-live="polite"></span></p>
<table id="queues-table">
  <thead><tr>
    <th>${ctx.t('queues.col.site')}</th><th class="num">${ctx.t('queues.col.footfallIn')}</th><th class="num">${ctx.t('queues.col.footfallOut')}</th>
    <th class="num">${ctx.t('queues.col.avgWait')}</th><th class="num">${ctx.t('queues.col.maxWait')}</th><th class="num">${ctx.t('queues.col.peak')}</th>
    <th>${ctx.t('queues.col.zones')}</th><th>${ctx.t('queues.col.updated')}</th><th></th>
  </tr></thead>
  <tbody id="queue-rows"><tr class="placeholder"><td colspan="9" class="muted">${ctx.t('common.loading')}</td></tr></tbody>
</table>
<section class="card" id="site-detail" hidden>
  <h2 id="site-heading"></h2>
  <div id="site-chart" class="chart" aria-label="${ctx.t('queues.chart.label')}"></div>
  <table id="zones-table">
    <thead><tr>
      <th>${ctx.t('queues.col.camera')}</th><th>${ctx.t('queues.col.zone')}</th><th class="num">${ctx.t('queues.col.footfallIn')}</th><th class="num">${ctx.t('queues.col.footfallOut')}</th>
      <th class="num">${ctx.t('queues.col.avgWait')}</th><th class="num">${ctx.t('queues.col.maxWait')}</th><th class="num">${ctx.t('queues.col.peak')}</th>
      <th class="num">${ctx.t('queues.col.avgQueue')}</th><th>${ctx.t('queues.col.updated')}</th>
    </tr></thead>
    <tbody id="zone-rows"></tbody>
  </table>
</section>`,
};
