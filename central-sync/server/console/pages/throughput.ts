import { html } from 'hono/html';
import type { ConsolePage } from '../page';

/**
 * Ops: devices ranked by headroom (cameras sustained by their bench − cameras streaming now),
 * overloaded ones flagged with the reason, device facts, load, bench headline and a 24 h trend
 * (inline SVG drawn by throughput.js). A shell filled from GET /v1/throughput?limit&offset&site.
 */
export const throughputPage: ConsolePage = {
  path: '/throughput',
  roles: ['ops'],
  title: 'throughput.title',
  nav: { label: 'common.nav.throughput', order: 40 },
  scripts: ['throughput.js'],
  styles: ['throughput.css'],
  body: (ctx) => html`
<p class="error" role="alert" id="throughput-error" hidden></p>
<section class="tiles" id="throughput-summary">
  <div class="tile" data-count="total"><span class="value">—</span><span class="label">${ctx.t('throughput.tile.total')}</span></div>
  <div class="tile" data-count="overloaded"><span class="value">—</span><span class="label">${ctx.t('throughput.tile.overloaded')}</span></div>
  <div class="tile" data-count="stale"><span class="value">—</span><span class="label">${ctx.t('throughput.tile.stale')}</span></div>
</section>
<form id="throughput-filters" class="filters">
  <label>${ctx.t('throughput.filter.site')} <input type="text" name="site" maxlength="128" value="${ctx.query.site ?? ''}" placeholder="${ctx.t('throughput.filter.siteHint')}"></label>
  <button type="submit">${ctx.t('throughput.filter.apply')}</button>
  <span class="muted small" id="throughput-updated" aria-live="polite"></span>
</form>
<p class="muted small">${ctx.t('throughput.explain')}</p>
<p class="muted small" id="throughput-live-note">${ctx.t('throughput.liveRanking')}</p>
<div class="table-scroll">
<table id="throughput-table">
  <thead><tr>
    <th class="num">#</th><th>${ctx.t('throughput.col.gateway')}</th><th class="num">${ctx.t('throughput.col.headroom')}</th><th>${ctx.t('throughput.col.status')}</th>
    <th>${ctx.t('throughput.col.device')}</th><th class="num">${ctx.t('throughput.col.cameras')}</th><th class="num">${ctx.t('throughput.col.detections')}</th>
    <th class="num">${ctx.t('throughput.col.efficiency')}</th><th class="num">${ctx.t('throughput.col.inference')}</th><th class="num">${ctx.t('throughput.col.cpuRss')}</th>
    <th>${ctx.t('throughput.col.bench')}</th><th>${ctx.t('throughput.col.trend')}</th>
  </tr></thead>
  <tbody id="throughput-rows"><tr><td colspan="12" class="muted">${ctx.t('common.loading')}</td></tr></tbody>
</table>
</div>
<p class="pager">
  <button type="button" class="secondary" id="throughput-prev" hidden>${ctx.t('throughput.prev')}</button>
  <span class="muted small" id="throughput-range"></span>
  <button type="button" class="secondary" id="throughput-next" hidden>${ctx.t('throughput.next')}</button>
</p>`,
};
