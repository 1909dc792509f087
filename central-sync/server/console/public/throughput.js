// The throughput page: devices ranked by headroom, a page at a time, each with a 24 h sparkline (inline SVG).
import { api, fmtClock, fmtNumber, h, showError, t } from './app.js';

const REFRESH_MS = 15_000;
const PAGE = 50;
const SVG = 'http://www.w3.org/2000/svg';
const W = 160;
const H = 36;

const form = document.getElementById('throughput-filters');
const rows = document.getElementById('throughput-rows');
const errorEl = document.getElementById('throughput-error');
const updated = document.getElementById('throughput-updated');
const prev = document.getElementById('throughput-prev');
const next = document.getElementById('throughput-next');
const range = document.getElementById('throughput-range');

let offset = 0;

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Detections/s (solid) and CPU (dashed, 0..1) over the trend window [from, to). */
function sparkline(trend, window) {
  if (!trend.at.length) return h('span', { class: 'muted small', text: t('throughput.trend.none') });
  const maxDet = Math.max(1, ...trend.detectionsPerSec);
  const x = (at) => ((at - window.from) / (window.to - window.from)) * W;
  const line = (values, max) => trend.at.map((at, i) => `${x(at).toFixed(1)},${(H - 2 - (values[i] / max) * (H - 4)).toFixed(1)}`).join(' ');
  const el = svg('svg', { class: 'spark', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  const title = svg('title', {});
  title.textContent = t('throughput.trend.title', { max: fmtNumber(maxDet, 1), cpu: fmtNumber(Math.max(0, ...trend.cpu) * 100) });
  el.append(title, svg('polyline', { class: 'det', points: line(trend.detectionsPerSec, maxDet) }), svg('polyline', { class: 'cpu', points: line(trend.cpu, 1) }));
  // The latest half hour as a dot on each line (a single point draws no line).
  for (const [cls, points] of [['det', line(trend.detectionsPerSec, maxDet)], ['cpu', line(trend.cpu, 1)]]) {
    const [cx, cy] = points.split(' ').at(-1).split(',');
    el.append(svg('circle', { class: cls, cx, cy, r: 2 }));
  }
  return el;
}

function status(d) {
  if (d.overloaded) {
    return h(
      'div',
      { class: 'overload' },
      h('span', { class: 'badge bad', text: t('throughput.status.overloaded') }),
      h('ul', { class: 'reasons' }, d.overloadReasons.map((r) => h('li', { dataset: { reason: r }, text: t(`throughput.reason.${r}`) }))),
    );
  }
  if (d.stale) return h('span', { class: 'badge warn', text: t('throughput.status.stale') });
  if (!d.perf) return h('span', { class: 'badge', text: t('throughput.status.noSummary') });
  return h('span', { class: 'badge ok', text: t('throughput.status.ok') });
}

function row(d, rank, window) {
  const p = d.perf;
  // A gateway with no camera streaming sends efficiency and inferenceMs null; a bench report may lack either figure.
  const bench = p?.bench ? t('throughput.bench', { cameras: fmtNumber(p.bench.camerasSustained), ms: fmtNumber(p.bench.modelMs, 1) }) : t('throughput.bench.none');
  const efficiency = p && p.efficiency !== null ? `${fmtNumber(p.efficiency * 100)}%` : '—';
  const inference = p?.inferenceMs ? `${fmtNumber(p.inferenceMs.p50, 1)} / ${fmtNumber(p.inferenceMs.p99, 1)} ms` : '—';
  return h(
    'tr',
    { class: [d.overloaded ? 'overloaded' : '', d.stale ? 'stale' : ''].filter(Boolean).join(' ') || undefined, dataset: { gateway: d.gatewayId, rank: rank, site: d.siteId }, 'data-overloaded': d.overloaded, 'data-stale': d.stale },
    h('td', { class: 'num', text: rank }),
    h('td', {}, h('div', { text: d.name }), h('div', { class: 'muted small', text: `${d.siteName} · ${d.siteId}` })),
    h('td', { class: `num headroom ${d.headroom !== null && d.headroom < 0 ? 'bad' : ''}`, text: d.headroom === null ? '—' : fmtNumber(d.headroom) }),
    h('td', {}, status(d)),
    h('td', { class: 'small device' }, p ? [h('div', { text: p.device.cpuModel }), h('div', { class: 'muted', text: t('throughput.device', { cores: p.device.cores, memory: fmtNumber(p.device.memoryMiB / 1024, 1), provider: p.device.provider }) })] : '—'),
    h('td', { class: 'num', text: p ? `${p.cameras.streaming} / ${p.cameras.configured}` : '—' }),
    h('td', { class: 'num', text: p ? fmtNumber(p.detectionsPerSec, 1) : '—' }),
    h('td', { class: 'num efficiency', text: efficiency }),
    h('td', { class: 'num inference', text: inference }),
    h('td', { class: 'num', text: p ? `${fmtNumber(p.cpu * 100)}% / ${fmtNumber(p.rssMiB)} MiB` : '—' }),
    h('td', { class: 'small', text: bench }),
    h('td', {}, sparkline(d.trend, window)),
  );
}

function query() {
  const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  const site = String(new FormData(form).get('site') ?? '').trim();
  if (site) q.set('site', site);
  return q;
}

async function refresh() {
  try {
    const page = await api(`/v1/throughput?${query()}`);
    for (const tile of document.querySelectorAll('#throughput-summary [data-count]')) {
      const value = page[tile.dataset.count];
      tile.querySelector('.value').textContent = fmtNumber(value);
      tile.classList.toggle('alert', tile.dataset.count !== 'total' && value > 0);
    }
    const list = page.devices.map((d, i) => row(d, page.offset + i + 1, page.trend));
    rows.replaceChildren(...(list.length ? list : [h('tr', {}, h('td', { colspan: 12, class: 'muted', text: t('throughput.empty') }))]));
    range.textContent = page.total ? t('throughput.range', { from: page.offset + 1, to: page.offset + page.devices.length, total: page.total }) : '';
    prev.hidden = page.offset === 0;
    next.hidden = page.offset + page.devices.length >= page.total;
    updated.textContent = t('throughput.updated', { time: fmtClock(Date.now()) });
    showError(errorEl, null);
  } catch (err) {
    showError(errorEl, err);
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  offset = 0;
  void refresh();
});
prev.addEventListener('click', () => {
  offset = Math.max(0, offset - PAGE);
  void refresh();
});
next.addEventListener('click', () => {
  offset += PAGE;
  void refresh();
});

void refresh();
setInterval(() => {
  if (!document.hidden) void refresh();
}, REFRESH_MS);
