// Today's queue length and estimated wait per queue zone (uPlot, global `uPlot` from /ui/vendor/uplot.js),
// from the per-minute statistics and extended by the live counts.
import { fmtNumber, fmtTime, h, lang, t } from './app.js';

const HEIGHT = 220;
/** Axis ticks as 24-hour clock times in the page's language (uPlot's own are US-style). */
const clock = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
/** Live points change every second; the chart is redrawn at most this often (and when a minute starts). */
const REDRAW_MS = 5000;

/** Start of today in the browser's time zone (ms). */
export function startOfToday(now = Date.now()) {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** One chart per queue zone; `add(minute, count, waitSeconds)` folds a live sample into that minute. */
class ZoneChart {
  constructor(container, title) {
    this.minutes = [];
    this.lengths = [];
    this.waits = [];
    this.live = { minute: -1, sum: 0, n: 0 };
    this.dirtySince = 0;
    this.day = startOfToday();
    const target = h('div', { class: 'chart-plot' });
    this.card = h('div', { class: 'card chart-card' }, h('h3', { text: title }), target);
    container.append(this.card);
    this.plot = new uPlot(this.options(target.clientWidth || 600), this.data(), target);
    this.target = target;
  }

  options(width) {
    return {
      width,
      height: HEIGHT,
      scales: { x: { time: true, range: () => this.timeRange() }, n: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.2))] }, w: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.2))] } },
      series: [
        { label: t('queues.chart.time'), value: (u, v) => (v === null || v === undefined ? '—' : fmtTime(v * 1000)) },
        { label: t('queues.chart.length'), scale: 'n', stroke: '#0b62c4', width: 2, value: (u, v) => fmtNumber(v, 1) },
        { label: t('queues.chart.wait'), scale: 'w', stroke: '#b7791f', width: 2, dash: [6, 4], value: (u, v) => fmtNumber(v, 1) },
      ],
      axes: [{ values: (u, splits) => splits.map((v) => clock.format(v * 1000)) }, { scale: 'n' }, { scale: 'w', side: 1, grid: { show: false } }],
    };
  }

  /** The data's minutes, widened to at least the last hour up to now (uPlot alone makes one point span years). */
  timeRange() {
    const now = Date.now() / 1000;
    const first = this.minutes[0];
    const last = this.minutes.at(-1);
    return [Math.min(first === undefined ? now : first * 60, now - 3600), Math.max(last === undefined ? now : last * 60 + 60, now)];
  }

  data() {
    return [this.minutes.map((m) => m * 60), this.lengths, this.waits];
  }

  /** Sets a minute's point, adding empty minutes before it so gaps show as gaps. */
  put(minute, length, waitSeconds) {
    const last = this.minutes.at(-1);
    const wait = waitSeconds === null || waitSeconds === undefined ? null : Math.round((waitSeconds / 60) * 10) / 10;
    if (last === minute) {
      this.lengths[this.lengths.length - 1] = length;
      this.waits[this.waits.length - 1] = wait;
      return;
    }
    if (last !== undefined && minute < last) return;
    if (last !== undefined) for (let m = last + 1; m < minute; m++) this.push(m, null, null);
    this.push(minute, length, wait);
  }

  push(minute, length, wait) {
    this.minutes.push(minute);
    this.lengths.push(length);
    this.waits.push(wait);
  }

  add(minute, count, waitSeconds, now) {
    // "Today" ends at midnight: a page left open starts the new day's chart empty.
    const day = startOfToday(now);
    if (day !== this.day) {
      this.day = day;
      this.minutes = [];
      this.lengths = [];
      this.waits = [];
    }
    const startsMinute = this.live.minute !== minute;
    if (startsMinute) this.live = { minute, sum: 0, n: 0 };
    this.live.sum += count;
    this.live.n += 1;
    this.put(minute, Math.round((this.live.sum / this.live.n) * 100) / 100, waitSeconds);
    if (startsMinute || now - this.dirtySince >= REDRAW_MS) this.redraw(now);
  }

  redraw(now = Date.now()) {
    this.dirtySince = now;
    this.plot.setData(this.data());
  }

  resize() {
    const width = this.target.clientWidth;
    if (width > 0) this.plot.setSize({ width, height: HEIGHT });
  }
}

/**
 * Charts for the queue zones `zones` ([{cameraId, zoneId, title}]) from `series` (GET /api/queues/stats rows).
 * Returns `{ addCounts(message) }` for the live feed.
 */
export function createCharts(container, zones, series) {
  container.replaceChildren();
  if (zones.length === 0) {
    container.append(h('p', { class: 'muted', text: t('queues.chart.empty') }));
    return { addCounts() {} };
  }
  if (typeof uPlot === 'undefined') {
    container.append(h('p', { class: 'error', text: t('queues.chart.unavailable') }));
    return { addCounts() {} };
  }
  const charts = new Map();
  for (const z of zones) charts.set(`${z.cameraId}/${z.zoneId}`, new ZoneChart(container, z.title));
  for (const row of series) charts.get(`${row.camera}/${row.zone}`)?.put(row.minute, row.avgCount, row.estWaitSeconds);
  for (const chart of charts.values()) chart.redraw();

  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((c) => c.resize()), 200);
  });

  return {
    addCounts(message) {
      const minute = Math.floor(message.at / 60_000);
      for (const cam of message.cameras ?? []) {
        for (const zone of cam.zones ?? []) {
          if (zone.type !== 'queue') continue;
          charts.get(`${cam.camera?.cameraId}/${zone.zoneId}`)?.add(minute, zone.count, zone.estimatedWaitSeconds, message.at);
        }
      }
    },
  };
}
