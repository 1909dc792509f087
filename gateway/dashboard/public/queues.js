// The queue board: a tile per queue zone (live count, wait for a newcomer, level against the zone's
// limits), counter occupancy, open queue alerts and today's charts, all kept current by the live feed.
import { api, fmtDuration, fmtTime, h, live, showError, t } from './app.js';
import { createAlerts } from './queues-alerts.js';
import { createCharts, startOfToday } from './queues-chart.js';
import { createFootfall } from './queues-footfall.js';

/** A tile turns amber at this share of a limit and red at the limit (where queue_long fires). */
const WARN_RATIO = 0.75;
/** No counts message for this long while "connected" means the feed is stuck. */
const STALE_MS = 5000;

const els = {
  cameras: document.getElementById('cameras'),
  alerts: document.getElementById('alerts'),
  charts: document.getElementById('charts'),
  footfall: document.getElementById('footfall'),
  state: document.getElementById('live-state'),
  updated: document.getElementById('updated-at'),
  error: document.getElementById('queues-error'),
};

/** Camera and zone layout with limits: from GET /api/queues/zones, or from the live feed if that fails. */
let layout;
/** Per `camera/zone`: the elements a counts message updates. */
const views = new Map();
const cameraViews = new Map();
let charts = { addCounts() {} };
let footfall = { addCounts() {} };
let lastCountsAt = 0;
let lastSessionCheck = 0;

const key = (cameraId, zoneId) => `${cameraId}/${zoneId}`;

function names(cameraId, zoneId) {
  const cam = layout?.cameras.find((c) => c.id === cameraId);
  const zone = cam?.zones.find((z) => z.id === zoneId);
  return { camera: cam?.name ?? cameraId, zone: zone?.name ?? zoneId ?? '—' };
}

function level(zone, count, waitSeconds) {
  const ratios = [];
  if (zone.type === 'queue') {
    if (zone.maxLength) ratios.push(count / zone.maxLength);
    if (zone.maxWaitSeconds && typeof waitSeconds === 'number') ratios.push(waitSeconds / zone.maxWaitSeconds);
  } else if (zone.type === 'count' && zone.crowdingAbove) {
    // crowding fires above the number, so one more than it is the limit.
    ratios.push(count / (zone.crowdingAbove + 1));
  }
  const worst = Math.max(0, ...ratios);
  return worst >= 1 ? 'bad' : worst >= WARN_RATIO ? 'warn' : 'ok';
}

function queueTile(cam, zone) {
  const count = h('span', { class: 'count-value', text: '—' });
  const wait = h('span', { class: 'wait-value', text: '—' });
  // How many departures from the head of the queue the wait estimate rests on (few: a rough figure).
  const basis = h('span', { class: 'wait-basis muted', hidden: true });
  const levelText = h('span', { class: 'level-text' });
  const alertBadge = h('span', { class: 'badge bad alert-flag', hidden: true, text: t('queues.tile.alert') });
  const limits =
    zone.type === 'queue' && zone.maxLength
      ? t('queues.limits', { length: zone.maxLength, wait: fmtDuration(zone.maxWaitSeconds) })
      : zone.type === 'count' && zone.crowdingAbove
        ? t('queues.limit.crowd', { n: zone.crowdingAbove })
        : '';
  const tile = h(
    'article',
    { class: 'queue-tile', dataset: { camera: cam.id, zone: zone.id, type: zone.type, level: 'ok' } },
    h('header', {}, h('span', { class: 'zone-name', text: zone.name ?? zone.id }), alertBadge),
    h('div', { class: 'count' }, count, h('span', { class: 'unit', text: ` ${t('queues.people')}` })),
    zone.type === 'queue' ? h('div', { class: 'wait' }, h('span', { class: 'muted', text: `${t('queues.wait')}: ` }), wait, ' ', basis) : null,
    h('footer', {}, levelText, limits ? h('span', { class: 'muted limits', text: limits }) : null),
  );
  views.set(key(cam.id, zone.id), { zone, tile, count, wait, basis, levelText, alertBadge, shown: {} });
  return tile;
}

function counterItem(cam, zone) {
  const state = h('span', { class: 'badge', text: '—' });
  const item = h('li', { class: 'counter', dataset: { camera: cam.id, zone: zone.id } }, h('span', { class: 'zone-name', text: zone.name ?? zone.id }), state);
  views.set(key(cam.id, zone.id), { zone, item, state, shown: {} });
  return item;
}

function renderLayout() {
  views.clear();
  cameraViews.clear();
  if (layout.cameras.length === 0) {
    els.cameras.replaceChildren(h('p', { class: 'muted', text: t('queues.noCameras') }));
    return;
  }
  els.cameras.replaceChildren(
    ...layout.cameras.map((cam) => {
      const tiles = cam.zones.filter((z) => z.type === 'queue' || (z.type === 'count' && z.crowdingAbove)).map((z) => queueTile(cam, z));
      const counters = cam.zones.filter((z) => z.type === 'counter').map((z) => counterItem(cam, z));
      const stateBadge = h('span', { class: 'badge camera-state', text: t('queues.camera.state', { state: t('queues.state.unknown') }) });
      cameraViews.set(cam.id, { stateBadge, shown: '' });
      return h(
        'section',
        { class: 'card camera-card', dataset: { camera: cam.id } },
        h('header', {}, h('h3', { text: cam.name ?? cam.id }), stateBadge),
        tiles.length ? h('div', { class: 'tiles' }, ...tiles) : null,
        counters.length ? h('div', { class: 'counters' }, h('h4', { text: t('queues.counters') }), h('ul', {}, ...counters)) : null,
        tiles.length || counters.length ? null : h('p', { class: 'muted', text: t('queues.camera.noZones') }),
      );
    }),
  );
  markAlerts(openAlerts);
}

/** Writes a text only when it changed: counts arrive every second, mostly unchanged. */
function setText(view, field, el, text) {
  if (view.shown[field] === text) return;
  view.shown[field] = text;
  el.textContent = text;
}

function applyCounts(message) {
  for (const cam of message.cameras ?? []) {
    const cameraId = cam.camera?.cameraId;
    const cv = cameraViews.get(cameraId);
    const state = cam.camera?.state ?? 'unknown';
    if (cv && cv.shown !== state) {
      cv.shown = state;
      cv.stateBadge.textContent = t('queues.camera.state', { state: t(`queues.state.${state}`) });
      cv.stateBadge.className = `badge camera-state ${state === 'streaming' ? 'ok' : state === 'stalled' || state === 'starting' ? 'warn' : 'bad'}`;
    }
    for (const zone of cam.zones ?? []) {
      const view = views.get(key(cameraId, zone.zoneId));
      if (!view) continue;
      if (view.item) {
        const occupied = zone.occupied ?? zone.count > 0;
        setText(view, 'state', view.state, t(occupied ? 'queues.counter.occupied' : 'queues.counter.free'));
        view.item.dataset.occupied = String(occupied);
        view.state.className = `badge ${occupied ? 'ok' : ''}`;
        continue;
      }
      setText(view, 'count', view.count, String(zone.count));
      if (view.zone.type === 'queue') {
        setText(view, 'wait', view.wait, zone.estimatedWaitSeconds === null || zone.estimatedWaitSeconds === undefined ? t('queues.wait.unknown') : fmtDuration(zone.estimatedWaitSeconds));
        const departures = typeof zone.serviceDepartures === 'number' ? zone.serviceDepartures : null;
        view.basis.hidden = departures === null;
        if (departures !== null) {
          setText(view, 'basis', view.basis, t(departures === 1 ? 'queues.wait.basisOne' : 'queues.wait.basis', { n: departures }));
          view.basis.dataset.departures = String(departures);
        }
      }
      const lvl = level(view.zone, zone.count, zone.estimatedWaitSeconds);
      if (view.tile.dataset.level !== lvl) view.tile.dataset.level = lvl;
      setText(view, 'level', view.levelText, t(`queues.level.${lvl}`));
    }
  }
  els.updated.textContent = t('queues.updatedAt', { time: fmtTime(message.at) });
}

/** The open alerts last listed, so tiles built after them are marked too. */
let openAlerts = [];

function markAlerts(alerts) {
  openAlerts = alerts;
  const open = new Set(alerts.map((a) => key(a.cameraId, a.zoneId)));
  for (const [k, view] of views) if (view.alertBadge) view.alertBadge.hidden = !open.has(k);
}

function setLive(connected) {
  const state = connected ? 'connected' : 'disconnected';
  if (els.state.dataset.state === state) return;
  els.state.dataset.state = state;
  els.state.textContent = t(`queues.live.${state}`);
  els.state.className = `live-state badge ${connected ? 'ok' : 'bad'}`;
}

/** The layout the live feed implies, without limits (when GET /api/queues/zones is unavailable). */
const layoutFromLive = (message) => ({
  cameras: (message.cameras ?? [])
    .map((cam) => ({ id: cam.camera?.cameraId, name: null, zones: (cam.zones ?? []).filter((z) => z.type !== 'restricted').map((z) => ({ id: z.zoneId, name: null, type: z.type })) }))
    .filter((cam) => cam.id && cam.zones.length > 0),
});

async function main() {
  let firstCounts;
  let ready = false;
  const waiting = [];
  const alerts = createAlerts(els.alerts, { names, onChange: markAlerts, onError: (err) => showError(els.error, err) });
  footfall = createFootfall(els.footfall, { cameraName: (id) => names(id, null).camera, onError: (err) => showError(els.error, err) });
  live({
    // Connected is shown on the first counts; on an error, ask who we are: api() sends an expired session to login.
    onState: (open) => {
      if (open) return;
      setLive(false);
      if (Date.now() - lastSessionCheck > 10_000) {
        lastSessionCheck = Date.now();
        api('/api/me').catch(() => undefined);
      }
    },
    onCounts: (message) => {
      lastCountsAt = Date.now();
      setLive(true);
      if (!ready) {
        firstCounts ??= message;
        waiting.push(message);
        if (waiting.length > 120) waiting.shift();
        return;
      }
      applyCounts(message);
      charts.addCounts(message);
      footfall.addCounts(message);
    },
    onEvent: (e) => alerts.onEvent(e),
  });
  setInterval(() => {
    if (Date.now() - lastCountsAt >= STALE_MS) setLive(false);
  }, 1000);

  try {
    layout = await api('/api/queues/zones');
  } catch (err) {
    if (err.status !== 503) showError(els.error, err);
    while (!firstCounts) await new Promise((r) => setTimeout(r, 200));
    layout = layoutFromLive(firstCounts);
  }
  renderLayout();

  const queueZones = layout.cameras.flatMap((cam) => cam.zones.filter((z) => z.type === 'queue').map((z) => ({ cameraId: cam.id, zoneId: z.id, title: `${cam.name ?? cam.id} / ${z.name ?? z.id}` })));
  let series = [];
  try {
    series = (await api(`/api/queues/stats?from=${startOfToday()}`)).series;
  } catch (err) {
    showError(els.error, err);
  }
  charts = createCharts(els.charts, queueZones, series);

  ready = true;
  for (const message of waiting.splice(0)) {
    applyCounts(message);
    charts.addCounts(message);
    footfall.addCounts(message);
  }
}

void main();
