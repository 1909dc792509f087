// Footfall on the queue board: people in and out today per entrance (line zone) and for the whole
// site, from GET /api/footfall (today in the site's time zone), kept current by the live counts
// (crossings since local midnight), and a chart of people per minute (uPlot, global `uPlot`).
import { api, fmtNumber, fmtTime, h, lang, t } from './app.js';

const HEIGHT = 180;
/** Stored minutes are re-read this often (they land once a minute; a new day starts at the site's midnight). */
const RELOAD_MS = 60_000;
const clock = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

const key = (camera, zone) => `${camera}/${zone}`;

function figure(kind, value) {
  return h('span', { class: `footfall-figure footfall-${kind}` }, h('span', { class: 'footfall-label muted', text: t(`queues.footfall.${kind}`) }), h('span', { class: 'footfall-value', text: fmtNumber(value) }));
}

/**
 * `container` gets a site card, one card per entrance and the per-minute chart. Returns
 * `{ addCounts(message) }` for the live feed.
 */
export function createFootfall(container, { cameraName, onError }) {
  /** Per `camera/zone`: today's stored totals, the live totals, the elements showing them. */
  const zones = new Map();
  const site = { inEl: null, outEl: null };
  let answer = null;
  let plot = null;
  let plotTarget = null;

  /** Live counts run since local midnight; stored ones lag a minute: the larger is the better figure. */
  function shownTotals(z) {
    return { in: Math.max(z.stored.in, z.live?.in ?? 0), out: Math.max(z.stored.out, z.live?.out ?? 0) };
  }

  function paintTotals() {
    let siteIn = 0;
    let siteOut = 0;
    for (const z of zones.values()) {
      const shown = shownTotals(z);
      siteIn += shown.in;
      siteOut += shown.out;
      if (z.inEl.textContent !== fmtNumber(shown.in)) z.inEl.textContent = fmtNumber(shown.in);
      if (z.outEl.textContent !== fmtNumber(shown.out)) z.outEl.textContent = fmtNumber(shown.out);
      z.card.dataset.in = String(shown.in);
      z.card.dataset.out = String(shown.out);
    }
    if (site.card) {
      site.inEl.textContent = fmtNumber(siteIn);
      site.outEl.textContent = fmtNumber(siteOut);
      site.card.dataset.in = String(siteIn);
      site.card.dataset.out = String(siteOut);
    }
  }

  /** The site's people per minute (all entrances together), in and out, over today's counted minutes. */
  function chartData() {
    const perMinute = new Map();
    for (const z of answer?.zones ?? []) {
      for (const m of z.minutes ?? []) {
        const sum = perMinute.get(m.at) ?? { in: 0, out: 0 };
        sum.in += m.in;
        sum.out += m.out;
        perMinute.set(m.at, sum);
      }
    }
    const times = [...perMinute.keys()].sort((a, b) => a - b);
    return [times.map((at) => at / 1000), times.map((at) => perMinute.get(at).in), times.map((at) => perMinute.get(at).out)];
  }

  function drawChart() {
    if (typeof uPlot === 'undefined' || !plotTarget) return;
    const data = chartData();
    if (plot) {
      plot.setData(data);
      return;
    }
    const now = Date.now() / 1000;
    plot = new uPlot(
      {
        width: plotTarget.clientWidth || 600,
        height: HEIGHT,
        scales: {
          x: { time: true, range: (u, min, max) => [Math.min(min ?? now, now - 3600), Math.max(max ?? now, Date.now() / 1000)] },
          y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.2))] },
        },
        series: [
          { label: t('queues.chart.time'), value: (u, v) => (v === null || v === undefined ? '—' : fmtTime(v * 1000)) },
          { label: t('queues.footfall.chart.in'), stroke: '#1a7f37', width: 2, value: (u, v) => fmtNumber(v) },
          { label: t('queues.footfall.chart.out'), stroke: '#8250df', width: 2, dash: [6, 4], value: (u, v) => fmtNumber(v) },
        ],
        axes: [{ values: (u, splits) => splits.map((v) => clock.format(v * 1000)) }, {}],
      },
      data,
      plotTarget,
    );
  }

  function render() {
    const kept = new Map([...zones].map(([k, z]) => [k, z.live]));
    zones.clear();
    site.card = null;
    plot?.destroy();
    plot = null;
    if (!answer || answer.zones.length === 0) {
      container.replaceChildren(h('p', { class: 'muted', id: 'footfall-none', text: t('queues.footfall.none') }));
      return;
    }
    const siteIn = figure('in', 0);
    const siteOut = figure('out', 0);
    site.inEl = siteIn.lastChild;
    site.outEl = siteOut.lastChild;
    site.card = h('article', { class: 'card footfall-site', id: 'footfall-site' }, h('h3', { text: t('queues.footfall.site') }), h('div', { class: 'footfall-figures' }, siteIn, siteOut));
    const cards = answer.zones.map((z) => {
      const inFigure = figure('in', 0);
      const outFigure = figure('out', 0);
      const card = h(
        'article',
        { class: 'card footfall-zone', dataset: { camera: z.camera, zone: z.zone } },
        h('h3', { text: z.name ?? z.zone }),
        h('p', { class: 'muted small', text: cameraName(z.camera) }),
        h('div', { class: 'footfall-figures' }, inFigure, outFigure),
      );
      zones.set(key(z.camera, z.zone), { card, inEl: inFigure.lastChild, outEl: outFigure.lastChild, stored: z.total, live: kept.get(key(z.camera, z.zone)) });
      return card;
    });
    plotTarget = h('div', { class: 'chart-plot footfall-plot' });
    container.replaceChildren(
      h('div', { class: 'footfall-cards' }, site.card, ...cards),
      h('div', { class: 'card chart-card footfall-chart' }, h('h3', { text: t('queues.footfall.chart') }), plotTarget),
    );
    paintTotals();
    drawChart();
  }

  async function load() {
    try {
      const next = await api('/api/footfall');
      const sameZones = answer !== null && answer.zones.map((z) => key(z.camera, z.zone)).join() === next.zones.map((z) => key(z.camera, z.zone)).join();
      answer = next;
      if (!sameZones) render();
      else {
        for (const z of next.zones) zones.get(key(z.camera, z.zone)).stored = z.total;
        paintTotals();
        drawChart();
      }
    } catch (err) {
      onError(err);
    }
  }

  void load();
  setInterval(load, RELOAD_MS);
  window.addEventListener('resize', () => {
    if (plot && plotTarget.clientWidth > 0) plot.setSize({ width: plotTarget.clientWidth, height: HEIGHT });
  });

  return {
    addCounts(message) {
      let changed = false;
      for (const cam of message.cameras ?? []) {
        for (const zone of cam.zones ?? []) {
          if (zone.type !== 'line' || typeof zone.crossingsIn !== 'number') continue;
          const view = zones.get(key(cam.camera?.cameraId, zone.zoneId));
          if (!view) continue;
          if (view.live?.in === zone.crossingsIn && view.live?.out === zone.crossingsOut) continue;
          view.live = { in: zone.crossingsIn, out: zone.crossingsOut ?? 0 };
          changed = true;
        }
      }
      if (changed) paintTotals();
    },
  };
}
