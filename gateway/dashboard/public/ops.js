// The ops engineer's page: camera health (live counts over SSE), process and host load with a small
// history chart, the inference pool, live relays, central sync and the newest benchmark report.
import { api, fmtDateTime, fmtDuration, fmtNumber, h, live, showError, stateClass, t } from './app.js';
import { renderBenchmark } from './ops-bench.js';
import { SystemChart } from './ops-chart.js';

const SYSTEM_EVERY_MS = 3000;
const SYNC_EVERY_MS = 5000;
/** Detect fps is the rate of detected frames over this window of live samples. */
const DETECT_WINDOW_MS = 5000;
const STALE_FRAME_MS = 3000;

const errorEl = document.getElementById('ops-error');
const errors = new Map();
function reportError(source, err) {
  if (err) errors.set(source, err);
  else errors.delete(source);
  showError(errorEl, errors.values().next().value);
}

const setText = (el, text) => {
  if (el.textContent !== text) el.textContent = text;
};
const fmtBytes = (n) => (n === null || n === undefined ? '—' : n >= 2 ** 30 ? `${fmtNumber(n / 2 ** 30, 2)} GiB` : `${fmtNumber(n / 2 ** 20, 0)} MiB`);
const fmtPercent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${fmtNumber(ratio * 100, 0)} %`);
/** 3 d 4 h 5 min; uptimes run to days, where fmtDuration would count minutes. */
function fmtUptime(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const d = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? t('ops.uptimeDays', { d, h: hours, m }) : t('ops.uptimeHours', { h: hours, m });
}

/** Runs `fn` now and every `ms` while the page is visible, never two at once. */
function every(ms, fn) {
  let timer;
  let busy = false;
  const tick = async () => {
    clearTimeout(timer);
    if (busy) return;
    busy = true;
    try {
      if (!document.hidden) await fn();
    } finally {
      busy = false;
      timer = setTimeout(tick, ms);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void tick();
  });
  void tick();
}

// ---- camera health -------------------------------------------------------------------------

const COLUMNS = ['camera', 'state', 'reason', 'inputFps', 'detectFps', 'dropped', 'reconnects', 'lastFrame', 'motionSkips', 'latency'];
const tbody = document.querySelector('#camera-health tbody');
const rows = new Map();

function cameraRow(id) {
  let row = rows.get(id);
  if (row) return row;
  const cells = Object.fromEntries(COLUMNS.map((c) => [c, h('td', { dataset: { col: c } })]));
  cells.camera.textContent = id;
  const badge = h('span', { class: 'badge' });
  cells.state.append(badge);
  row = { tr: h('tr', { dataset: { camera: id } }, COLUMNS.map((c) => cells[c])), cells, badge, samples: [] };
  rows.set(id, row);
  return row;
}

function detectFps(row, at, frames) {
  row.samples.push({ at, frames });
  while (row.samples.length > 2 && at - row.samples[0].at > DETECT_WINDOW_MS) row.samples.shift();
  const first = row.samples[0];
  const span = (at - first.at) / 1000;
  return span >= 0.9 ? Math.max(0, frames - first.frames) / span : null;
}

function setNumber(cell, value, digits = 0) {
  const key = value === null || value === undefined ? '' : String(value);
  if (cell.dataset.value === key) return;
  cell.dataset.value = key;
  cell.textContent = fmtNumber(value, digits);
}

function renderCameras(list, at) {
  if (!Array.isArray(list)) return;
  const seen = new Set();
  for (const item of list) {
    const cam = item.camera ?? {};
    const id = cam.cameraId;
    if (!id) continue;
    seen.add(id);
    const row = cameraRow(id);
    const { cells } = row;
    row.tr.dataset.state = cam.state;
    setText(row.badge, t(`ops.state.${cam.state}`));
    row.badge.className = `badge ${stateClass(cam.state)}`;
    setText(cells.reason, cam.reason ? t(`ops.reason.${cam.reason}`) : '');
    if ((cells.reason.title ?? '') !== (cam.detail ?? '')) cells.reason.title = cam.detail ?? '';
    setNumber(cells.inputFps, cam.measuredFps, 1);
    const fps = detectFps(row, at, item.detectedFrames ?? 0);
    setNumber(cells.detectFps, fps === null ? null : Math.round(fps * 10) / 10, 1);
    setNumber(cells.dropped, cam.framesDropped);
    setNumber(cells.reconnects, cam.reconnects);
    setNumber(cells.motionSkips, item.motionSkipped);
    const age = cam.lastFrameAgeMs;
    setText(cells.lastFrame, age === null || age === undefined ? '—' : t('ops.secondsShort', { n: fmtNumber(age / 1000, 1) }));
    cells.lastFrame.classList.toggle('warn', age !== null && age !== undefined && age > STALE_FRAME_MS);
    const lat = item.latencyMs;
    setText(cells.latency, lat ? `${fmtNumber(lat.p50)} / ${fmtNumber(lat.p99)} ms` : '—');
  }
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.tr.remove();
      rows.delete(id);
    }
  }
  const ordered = [...rows.keys()].sort().map((id) => rows.get(id).tr);
  if (ordered.length === 0) tbody.replaceChildren(h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted', text: t('ops.noCameras') })));
  else if (ordered.some((tr, i) => tbody.children[i] !== tr) || tbody.children.length !== ordered.length) tbody.replaceChildren(...ordered);
  setText(document.getElementById('updated-at'), t('ops.updatedAt', { time: fmtDateTime(at) }));
}

// ---- system: CPU, memory, inference, relays -----------------------------------------------

function figures(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([key, value, attrs]) => [h('dt', { text: t(`ops.fig.${key}`) }), h('dd', { dataset: { fig: key }, ...(attrs ?? {}) }, value)]));
}

const chart = new SystemChart(document.getElementById('system-chart'));

function renderSystem(s) {
  const p = s.process;
  const host = s.host;
  figures(document.querySelector('#system-cpu dl'), [
    ['processCores', t('ops.coresOf', { n: fmtNumber(p.cpuCores, 2), of: host.cores })],
    ['ffmpegCores', p.ffmpegCpuCores === null ? '—' : t('ops.cores', { n: fmtNumber(p.ffmpegCpuCores, 2) })],
    ['hostBusy', fmtPercent(host.busyRatio)],
    ['loadAverage', host.loadAverage.map((l) => fmtNumber(l, 2)).join(' · ')],
  ]);
  figures(document.querySelector('#system-memory dl'), [
    ['rss', fmtBytes(p.rssBytes)],
    ['heap', `${fmtBytes(p.heapUsedBytes)} / ${fmtBytes(p.heapTotalBytes)}`],
    ['hostMemory', t('ops.freeOf', { free: fmtBytes(host.freeMemoryBytes), total: fmtBytes(host.totalMemoryBytes) })],
    ['uptime', fmtUptime(p.uptimeSeconds)],
    ['hostUptime', fmtUptime(host.uptimeSeconds)],
  ]);
  renderInference(s.inference);
  renderRelays(s.liveRelays);
  chart.add(s.at, p.cpuCores, p.ffmpegCpuCores, p.rssBytes / 2 ** 20);
}

function renderInference(pool) {
  const card = document.getElementById('system-inference');
  const dl = card.querySelector('dl');
  const batches = card.querySelector('.batches');
  if (!pool) {
    dl.replaceChildren(h('dd', { class: 'muted', text: t('ops.notAvailable') }));
    batches.replaceChildren();
    return;
  }
  figures(dl, [
    ['workers', t('ops.busyOf', { busy: pool.busyWorkers, of: pool.workers })],
    ['queueDepth', fmtNumber(pool.queueDepth)],
    ['inferenceMs', `${fmtNumber(pool.inferenceMs?.p50, 1)} / ${fmtNumber(pool.inferenceMs?.p99, 1)} ms`],
    ['completed', `${fmtNumber(pool.completed)} / ${fmtNumber(pool.submitted)}`],
    ['droppedFrames', t('ops.droppedDetail', { replaced: fmtNumber(pool.droppedReplaced), stale: fmtNumber(pool.droppedStale) })],
  ]);
  const entries = Object.entries(pool.batchSizes ?? {}).sort((a, b) => Number(a[0]) - Number(b[0]));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  batches.replaceChildren(
    entries.length === 0
      ? h('p', { class: 'muted', text: t('ops.noBatches') })
      : h(
          'table',
          { class: 'compact', id: 'batch-sizes' },
          h('thead', {}, h('tr', {}, h('th', { text: t('ops.col.batchSize') }), h('th', { text: t('ops.col.runs') }), h('th', { text: t('ops.col.share') }))),
          h('tbody', {}, entries.map(([size, n]) => h('tr', {}, h('td', { text: size }), h('td', { text: fmtNumber(n) }), h('td', { text: fmtPercent(total ? n / total : 0) })))),
        ),
  );
}

function renderRelays(relays) {
  const box = document.querySelector('#system-relays .relays');
  if (relays === null || relays === undefined) {
    box.replaceChildren(h('p', { class: 'muted', text: t('ops.notAvailable') }));
    return;
  }
  if (relays.length === 0) {
    box.replaceChildren(h('p', { class: 'muted', id: 'relays-none', text: t('ops.noRelays') }));
    return;
  }
  box.replaceChildren(
    h(
      'table',
      { class: 'compact', id: 'relay-table' },
      h('thead', {}, h('tr', {}, ['camera', 'viewers', 'sent', 'restarts'].map((c) => h('th', { text: t(`ops.col.${c}`) })))),
      h('tbody', {}, relays.map((r) => h('tr', { dataset: { camera: r.cameraId } }, h('td', { text: r.cameraId }), h('td', { text: fmtNumber(r.viewers) }), h('td', { text: fmtBytes(r.bytesSent) }), h('td', { text: fmtNumber(r.restarts) })))),
    ),
  );
}

// ---- central sync ----------------------------------------------------------------------------

function renderSync(s) {
  const box = document.getElementById('sync');
  const stateBadge = !s.enabled
    ? h('span', { class: 'badge', id: 'sync-state', dataset: { state: 'disabled' }, text: t('ops.syncDisabled') })
    : h('span', { class: `badge ${s.connected ? 'ok' : 'bad'}`, id: 'sync-state', dataset: { state: s.connected ? 'connected' : 'disconnected' }, text: t(s.connected ? 'ops.syncConnected' : 'ops.syncDisconnected') });
  const dropped = Object.entries(s.dropped ?? {}).filter(([, n]) => n > 0);
  const dl = h('dl', { class: 'figures wide' });
  figures(dl, [
    ['syncState', t(`ops.uplink.${s.state}`)],
    ['gatewayId', s.gatewayId ?? '—'],
    ['backlog', fmtNumber(s.backlog), { class: s.enabled && s.backlog > 0 && !s.connected ? 'warn' : '' }],
    ['oldestUnsent', s.oldestUnsentAgeSeconds === null ? '—' : fmtDuration(s.oldestUnsentAgeSeconds)],
    ['sent', fmtNumber(s.sent)],
    ['dropped', dropped.length ? dropped.map(([k, n]) => `${k}: ${fmtNumber(n)}`).join(', ') : t('common.none'), { class: dropped.length ? 'warn' : '' }],
    ['deadLettered', fmtNumber(s.deadLettered)],
    ['lastSuccess', s.lastSuccessAt ? fmtDateTime(s.lastSuccessAt) : '—'],
    ['lastError', s.lastError ? `${s.lastError}${s.lastErrorAt ? ` (${fmtDateTime(s.lastErrorAt)})` : ''}` : t('common.none'), { class: s.lastError ? 'error' : '' }],
    ['clockOffset', `${fmtNumber(s.clockOffsetMs)} ms`],
  ]);
  box.replaceChildren(h('p', {}, stateBadge), dl);
}

// ---- wiring ------------------------------------------------------------------------------------

const liveState = document.getElementById('live-state');
live({
  onCounts: (msg) => renderCameras(msg.cameras, msg.at),
  onState: (up) => {
    liveState.dataset.state = up ? 'open' : 'closed';
    liveState.className = `live-state badge ${up ? 'ok' : 'bad'}`;
    liveState.textContent = t(up ? 'common.live.connected' : 'common.live.disconnected');
  },
});

api('/api/cameras')
  .then((r) => renderCameras(r.cameras, Date.now()))
  .then(() => reportError('cameras'))
  .catch((err) => reportError('cameras', err));

every(SYSTEM_EVERY_MS, () =>
  api('/api/system')
    .then(renderSystem)
    .then(() => reportError('system'))
    .catch((err) => reportError('system', err)),
);
every(SYNC_EVERY_MS, () =>
  api('/api/sync')
    .then(renderSync)
    .then(() => reportError('sync'))
    .catch((err) => reportError('sync', err)),
);

renderBenchmark(document.getElementById('benchmark'));
