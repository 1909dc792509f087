import { html } from 'hono/html';
import { STALE_AFTER_MS } from '../../routes/stale';
import type { ConsolePage, ConsolePageContext } from '../page';

const STATES = ['all', 'stale', 'failing', 'revoked'] as const;
const TILES = [
  ['total', 'fleet.tile.total'],
  ['stale', 'fleet.tile.stale'],
  ['neverSeen', 'fleet.tile.neverSeen'],
  ['revoked', 'fleet.tile.revoked'],
  ['streaming', 'fleet.tile.streaming'],
  ['reconnecting', 'fleet.tile.reconnecting'],
  ['failed', 'fleet.tile.failed'],
] as const;

const tiles = (ctx: ConsolePageContext) =>
  TILES.map(([key, label]) => html`<div class="tile" data-count="${key}"><span class="value">—</span><span class="label">${ctx.t(label)}</span></div>`);

/**
 * Ops: every gateway by site with its heartbeat age, sync lag, backlog and cameras; stale ones
 * marked. A shell filled by fleet.js from GET /v1/fleet/summary and /v1/fleet/gateways.
 */
export const fleetPage: ConsolePage = {
  path: '/fleet',
  roles: ['ops'],
  title: 'fleet.title',
  nav: { label: 'common.nav.fleet', order: 30 },
  scripts: ['fleet.js'],
  styles: ['fleet.css'],
  body: (ctx) => html`
<p class="error" role="alert" id="fleet-error" hidden></p>
<section class="tiles" id="fleet-summary" aria-label="${ctx.t('fleet.summary')}">${tiles(ctx)}</section>
<form id="fleet-filters" class="filters">
  <label>${ctx.t('fleet.filter.state')}
    <select name="state">${STATES.map((s) => html`<option value="${s}"${s === ctx.query.state ? ' selected' : ''}>${ctx.t(`fleet.filter.${s}`)}</option>`)}</select>
  </label>
  <label>${ctx.t('fleet.filter.search')} <input type="text" name="search" maxlength="64" value="${ctx.query.search ?? ''}" placeholder="${ctx.t('fleet.filter.searchHint')}"></label>
  <button type="submit">${ctx.t('fleet.filter.apply')}</button>
  <span class="muted small" id="fleet-updated" aria-live="polite"></span>
</form>
<p class="muted small">${ctx.t('fleet.staleRule', { minutes: STALE_AFTER_MS / 60_000 })}</p>
<table id="fleet-table">
  <thead><tr>
    <th>${ctx.t('fleet.col.site')}</th><th>${ctx.t('fleet.col.gateway')}</th><th>${ctx.t('fleet.col.heartbeat')}</th>
    <th class="num">${ctx.t('fleet.col.syncLag')}</th><th class="num">${ctx.t('fleet.col.backlog')}</th><th class="num">${ctx.t('fleet.col.dropped')}</th>
    <th>${ctx.t('fleet.col.cameras')}</th>
  </tr></thead>
  <tbody id="fleet-rows"><tr><td colspan="7" class="muted">${ctx.t('common.loading')}</td></tr></tbody>
</table>
<p><button type="button" class="secondary" id="fleet-more" hidden>${ctx.t('common.more')}</button></p>`,
};
