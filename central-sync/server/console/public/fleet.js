// The fleet page: summary tiles and gateways by site, a page at a time, refreshed every 15 s.
import { api, fmtAge, fmtClock, fmtNumber, h, showError, t, tOr } from './app.js';

const REFRESH_MS = 15_000;
const PAGE = 50;
/** A refresh reloads every row shown, in requests of at most this many (the API's largest page). */
const MAX_PAGE = 200;

const form = document.getElementById('fleet-filters');
const rows = document.getElementById('fleet-rows');
const more = document.getElementById('fleet-more');
const errorEl = document.getElementById('fleet-error');
const updated = document.getElementById('fleet-updated');

let cursor = null;
let shown = 0;
/** One load at a time: a refresh and a "more" click never interleave (a "more" during a refresh would reuse a stale cursor). */
let queue = Promise.resolve();
function serial(task) {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

/** A duration in ms as "4 min"; '—' for null. */
function fmtDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 120) return t('fleet.duration.seconds', { n: s });
  if (s < 7200) return t('fleet.duration.minutes', { n: Math.round(s / 60) });
  if (s < 172_800) return t('fleet.duration.hours', { n: Math.round(s / 3600) });
  return t('fleet.duration.days', { n: Math.round(s / 86_400) });
}

function filters() {
  const data = new FormData(form);
  const q = new URLSearchParams();
  const state = String(data.get('state') ?? 'all');
  const search = String(data.get('search') ?? '').trim();
  if (state !== 'all') q.set('state', state);
  if (search) q.set('search', search);
  return q;
}

const stateClass = (state) => (state === 'streaming' ? 'ok' : state === 'reconnecting' ? 'warn' : 'bad');

function camera(c) {
  const label = tOr(`fleet.state.${c.state}`, c.state);
  return h(
    'li',
    { dataset: { camera: c.cameraId, state: c.state }, class: `camera ${stateClass(c.state)}` },
    h('span', { class: 'camera-id', text: c.cameraId }),
    ' ',
    h('span', { class: `badge ${stateClass(c.state)}`, text: label }),
    c.reason ? h('span', { class: 'reason', text: `: ${c.reason}` }) : null,
  );
}

function row(g, serverTime) {
  const labels = [];
  if (g.revokedAt !== null) labels.push(h('span', { class: 'badge revoked-label', text: t('fleet.label.revoked') }));
  else if (g.heartbeat === null) labels.push(h('span', { class: 'badge bad stale-label', text: t('fleet.label.neverSeen') }));
  else if (g.stale) labels.push(h('span', { class: 'badge bad stale-label', text: t('fleet.label.stale') }));
  const classes = [g.stale ? 'stale' : '', g.revokedAt !== null ? 'revoked' : ''].filter(Boolean).join(' ');
  return h(
    'tr',
    { class: classes || undefined, dataset: { gateway: g.gatewayId, site: g.siteId }, 'data-stale': g.stale, 'data-revoked': g.revokedAt !== null },
    h('td', {}, h('div', { text: g.siteName }), h('div', { class: 'muted small', text: g.siteId })),
    h('td', {}, h('div', { text: g.name }), h('div', { class: 'muted small mono', text: g.gatewayId })),
    h('td', { class: 'heartbeat' }, h('span', { text: g.heartbeat ? fmtAge(g.heartbeat.receivedAt, serverTime) : t('common.never') }), ' ', ...labels),
    h('td', { class: 'num', text: fmtDuration(g.syncLagMs) }),
    h('td', { class: 'num', text: fmtNumber(g.backlog) }),
    h('td', { class: 'num', text: fmtNumber(g.heartbeat?.dropped) }),
    h('td', {}, g.cameras.length ? h('ul', { class: 'cameras' }, g.cameras.map(camera)) : h('span', { class: 'muted', text: t('fleet.noCameras') })),
  );
}

async function loadSummary() {
  const s = await api('/v1/fleet/summary');
  const counts = { ...s.gateways, streaming: s.cameras.streaming, reconnecting: s.cameras.reconnecting, failed: s.cameras.failed };
  for (const tile of document.querySelectorAll('#fleet-summary [data-count]')) {
    const value = counts[tile.dataset.count];
    tile.querySelector('.value').textContent = fmtNumber(value);
    tile.classList.toggle('alert', ['stale', 'neverSeen', 'failed', 'reconnecting'].includes(tile.dataset.count) && value > 0);
  }
}

async function fetchPage(after, limit) {
  const q = filters();
  q.set('limit', String(limit));
  if (after) q.set('cursor', after);
  return api(`/v1/fleet/gateways?${q}`);
}

function showMore(next) {
  cursor = next;
  more.hidden = cursor === null;
}

/**
 * Reloads as many rows as are shown (at least a page), in requests of at most MAX_PAGE, and then
 * replaces the table at once: rows loaded with "more" stay after a refresh.
 */
async function reload() {
  const want = Math.max(PAGE, shown);
  const list = [];
  let next = null;
  do {
    const page = await fetchPage(next, Math.min(MAX_PAGE, want - list.length));
    list.push(...page.gateways.map((g) => row(g, page.serverTime)));
    next = page.nextCursor;
  } while (next !== null && list.length < want);
  rows.replaceChildren(...(list.length ? list : [h('tr', {}, h('td', { colspan: 7, class: 'muted', text: t('fleet.empty') }))]));
  shown = list.length;
  showMore(next);
}

/** The next page, appended; a gateway already shown is not added twice. */
async function loadMore() {
  if (cursor === null) return;
  const page = await fetchPage(cursor, PAGE);
  const have = new Set([...rows.querySelectorAll('tr[data-gateway]')].map((r) => r.dataset.gateway));
  const fresh = page.gateways.filter((g) => !have.has(g.gatewayId));
  rows.append(...fresh.map((g) => row(g, page.serverTime)));
  shown += fresh.length;
  showMore(page.nextCursor);
}

async function refresh() {
  try {
    await Promise.all([loadSummary(), reload()]);
    updated.textContent = t('fleet.updated', { time: fmtClock(Date.now()) });
    showError(errorEl, null);
  } catch (err) {
    showError(errorEl, err);
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = filters();
  history.replaceState(null, '', q.size ? `?${q}` : location.pathname);
  void serial(() => {
    shown = 0;
    return refresh();
  });
});
more.addEventListener('click', () =>
  serial(async () => {
    try {
      await loadMore();
    } catch (err) {
      showError(errorEl, err);
    }
  }),
);

void serial(refresh);
setInterval(() => {
  if (!document.hidden) void serial(refresh);
}, REFRESH_MS);
