// Queues today across sites (GET /v1/queues/today), sorted by wait; a site opens its zones and a
// chart of the day in quarter hours (uPlot from /console/vendor). Refreshed every minute.
import { api, fmtAge, fmtNumber, h, lang, showError, t } from './app.js';

const REFRESH_MS = 60_000;
const rows = document.getElementById('queue-rows');
const errorEl = document.getElementById('queues-error');
const detail = document.getElementById('site-detail');
const chartEl = document.getElementById('site-chart');
const tz = new URLSearchParams(location.search).get('tz');
let openSite = null;
let chart = null;
/** The time zone of the day shown (the answer's): clock times and the chart's axis use it, not the browser's. */
let dayZone = tz ?? 'Asia/Ho_Chi_Minh';
const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
const clock = (ms) => (ms === null || ms === undefined ? '—' : new Date(ms).toLocaleTimeString(locale, { timeZone: dayZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }));
const failed = (err) => showError(errorEl, err);

const query = (extra = {}) => {
  const q = new URLSearchParams();
  if (tz) q.set('tz', tz);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

function fmtWait(s) {
  if (s === null || s === undefined) return '—';
  const whole = Math.round(s);
  return whole < 60 ? t('queues.waitSeconds', { seconds: whole }) : t('queues.wait', { minutes: Math.floor(whole / 60), seconds: whole % 60 });
}

const zoneName = (z) => (z ? `${z.cameraId} / ${z.zoneId}` : '—');

function siteRow(s, serverNow) {
  const open = h('button', { type: 'button', class: 'secondary open-site', text: t('queues.open') });
  const tr = h(
    'tr',
    {
      class: s.siteId === openSite ? 'open' : undefined,
      dataset: { site: s.siteId, avgWait: String(s.avgWaitS ?? ''), maxWait: String(s.maxWaitS ?? ''), peak: String(s.peakQueue) },
    },
    h('td', {}, h('div', { text: s.siteName ?? s.siteId }), h('div', { class: 'muted small', text: s.siteId })),
    h('td', { class: 'num footfall-in', text: fmtNumber(s.footfall?.in) }),
    h('td', { class: 'num footfall-out', text: fmtNumber(s.footfall?.out) }),
    h('td', { class: 'num avg-wait', text: fmtWait(s.avgWaitS) }),
    h('td', { class: 'num max-wait', text: fmtWait(s.maxWaitS) }),
    h('td', { class: 'num peak', text: fmtNumber(s.peakQueue) }),
    h('td', {}, h('div', { text: s.zoneCount === 1 ? t('queues.oneZone') : t('queues.zones', { n: s.zoneCount }) }), s.peakZone ? h('div', { class: 'muted small', text: t('queues.peakAt', { zone: zoneName(s.peakZone) }) }) : null),
    h('td', { class: 'updated', text: fmtAge(s.lastReceivedAt, serverNow) }),
    h('td', {}, open),
  );
  tr.addEventListener('click', () => showSite(s.siteId).catch(failed));
  return tr;
}

function zoneRow(z) {
  return h(
    'tr',
    { dataset: { camera: z.cameraId, zone: z.zoneId } },
    h('td', { text: z.cameraId }),
    h('td', { text: z.zoneId }),
    h('td', { class: 'num', text: fmtNumber(z.footfall?.in) }),
    h('td', { class: 'num', text: fmtNumber(z.footfall?.out) }),
    h('td', { class: 'num', text: fmtWait(z.avgWaitS) }),
    h('td', { class: 'num', text: fmtWait(z.maxWaitS) }),
    h('td', { class: 'num', text: fmtNumber(z.peakQueue) }),
    h('td', { class: 'num', text: fmtNumber(z.avgQueue, 1) }),
    h('td', { class: 'last-minute', text: clock(z.lastMinute) }),
  );
}

function drawChart(series, day) {
  chart?.destroy();
  chart = null;
  chartEl.replaceChildren();
  if (!series.length) {
    chartEl.append(h('p', { class: 'muted', text: t('queues.chart.none') }));
    return;
  }
  if (typeof uPlot !== 'function') return;
  const data = [series.map((s) => s.at / 1000), series.map((s) => s.avgWaitS), series.map((s) => s.maxWaitS), series.map((s) => s.peakQueue), series.map((s) => s.in)];
  chart = new uPlot(
    {
      width: Math.max(320, chartEl.clientWidth || 800),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), dayZone),
      height: 260,
      // The whole local day, however few quarter hours have data yet.
      scales: { x: { time: true, range: () => [day.from / 1000, day.to / 1000] } },
      series: [
        {},
        { label: t('queues.chart.avgWait'), stroke: '#c0392b', scale: 's', width: 2 },
        { label: t('queues.chart.maxWait'), stroke: '#e67e22', scale: 's', dash: [4, 4] },
        { label: t('queues.chart.peak'), stroke: '#2c6fbb', scale: 'n' },
        { label: t('queues.chart.in'), stroke: '#27ae60', scale: 'n' },
      ],
      axes: [{}, { scale: 's' }, { scale: 'n', side: 1, grid: { show: false } }],
    },
    data,
    chartEl,
  );
}

async function showSite(siteId) {
  openSite = siteId;
  for (const tr of rows.querySelectorAll('tr[data-site]')) tr.classList.toggle('open', tr.dataset.site === siteId);
  const answer = await api(`/v1/queues/today${query({ site: siteId })}`);
  const site = answer.sites[0];
  document.getElementById('site-heading').textContent = t('queues.site.heading', { site: site?.siteName ?? siteId });
  document.getElementById('zone-rows').replaceChildren(...answer.zones.map(zoneRow));
  detail.hidden = false;
  detail.dataset.site = siteId;
  drawChart(answer.series, answer);
}

async function load() {
  const answer = await api(`/v1/queues/today${query()}`);
  dayZone = answer.timeZone;
  const now = Date.now();
  document.getElementById('queues-day').textContent = t('queues.day', { date: answer.date, timeZone: answer.timeZone });
  document.getElementById('queues-updated').textContent = t('queues.updated', { time: clock(now) });
  rows.replaceChildren(...answer.sites.map((s) => siteRow(s, now)));
  if (!answer.sites.length) rows.append(h('tr', { class: 'placeholder' }, h('td', { colspan: '9', class: 'muted', text: t('queues.empty') })));
  showError(errorEl, null);
  if (openSite) await showSite(openSite);
}

const refresh = () => load().catch(failed);
void refresh();
setInterval(() => {
  if (!document.hidden) void refresh();
}, REFRESH_MS);
