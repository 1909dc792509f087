// The events page: filters kept in the URL, newest first a page at a time, and live arrivals
// (GET /v1/events?since=<liveCursor> every 5 s, paused while the tab is hidden) prepended as new.
import { api, fmtTime, h, showError, t, tOr } from './app.js';

const PAGE = 50;
const POLL_MS = 5000;
const FILTERS = ['site', 'camera', 'type', 'severity'];

const rows = document.getElementById('event-rows');
const more = document.getElementById('events-more');
const errorEl = document.getElementById('events-error');
const liveStatus = document.getElementById('live-status');
const liveLabel = document.getElementById('live-label');
const liveCount = document.getElementById('live-count');

const shown = new Set();
let nextCursor = null;
let liveCursor = null;
let arrivals = 0;
let polling = false;

/** The API query from the page's URL (the form submits to it); datetime-local values are local times. */
function apiQuery() {
  const url = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const name of FILTERS) {
    const v = (url.get(name) ?? '').trim();
    if (v) q.set(name, v);
  }
  for (const name of ['from', 'to']) {
    const v = url.get(name);
    if (!v) continue;
    const ms = new Date(v).getTime();
    if (!Number.isFinite(ms) || ms < 0) throw new Error(t('events.filter.badTime'));
    q.set(name, String(ms));
  }
  if (q.has('from') && q.has('to') && Number(q.get('from')) >= Number(q.get('to'))) throw new Error(t('events.filter.badTime'));
  return q;
}

const sevClass = (s) => (s === 'high' ? 'bad' : s === 'medium' ? 'warn' : 'ok');

function row(e, isNew) {
  return h(
    'tr',
    { class: isNew ? 'new' : undefined, dataset: { id: String(e.id), uid: e.uid, site: e.siteId, severity: e.severity, ...(isNew ? { new: '' } : {}) } },
    h('td', {}, h('a', { href: `/events/${e.id}`, text: fmtTime(e.startedAt) }), isNew ? h('span', { class: 'badge new-badge', text: t('events.badge.new') }) : null),
    h('td', {}, h('div', { text: e.siteName ?? e.siteId }), e.siteName ? h('div', { class: 'muted small', text: e.siteId }) : null),
    h('td', {}, h('span', { text: e.cameraId }), e.zoneId ? h('span', { class: 'muted small', text: ` / ${e.zoneId}` }) : null),
    h('td', {}, h('span', { text: e.type }), e.hasFaceCrop ? h('span', { class: 'badge high crop-badge', text: t('events.badge.faceCrop') }) : null),
    h('td', {}, h('span', { class: `badge ${sevClass(e.severity)}`, text: tOr(`events.severity.${e.severity}`, e.severity) })),
    h('td', { class: 'state', text: e.endedAt === null ? t('events.state.ongoing') : t('events.state.ended', { time: fmtTime(e.endedAt) }) }),
  );
}

function clearPlaceholder() {
  for (const p of rows.querySelectorAll('tr.placeholder')) p.remove();
}

function showEmpty() {
  if (shown.size === 0) rows.replaceChildren(h('tr', { class: 'placeholder' }, h('td', { colspan: '6', class: 'muted', text: t('events.empty') })));
}

async function loadPage(cursor) {
  const q = apiQuery();
  q.set('limit', String(PAGE));
  if (cursor) q.set('cursor', cursor);
  const page = await api(`/v1/events?${q}`);
  if (!cursor) {
    rows.replaceChildren();
    liveCursor = page.liveCursor;
  }
  clearPlaceholder();
  for (const e of page.events) {
    if (shown.has(e.id)) continue;
    shown.add(e.id);
    rows.append(row(e, false));
  }
  nextCursor = page.nextCursor;
  more.hidden = !nextCursor;
  showEmpty();
}

/** New rows go on top, newest first; an event already shown (it arrived while the page loaded) is skipped. */
async function poll() {
  if (polling || document.hidden || !liveCursor) return;
  polling = true;
  try {
    for (;;) {
      const q = apiQuery();
      q.set('since', liveCursor);
      q.set('limit', '100');
      const answer = await api(`/v1/events?${q}`);
      liveCursor = answer.liveCursor;
      const fresh = answer.events.filter((e) => !shown.has(e.id));
      if (fresh.length) {
        clearPlaceholder();
        for (const e of fresh) {
          shown.add(e.id);
          rows.prepend(row(e, true));
        }
        arrivals += fresh.length;
        liveCount.textContent = String(arrivals);
      }
      if (!answer.more) break;
    }
    showError(errorEl, null);
  } catch (err) {
    showError(errorEl, err);
  } finally {
    polling = false;
  }
}

function setLive() {
  const paused = document.hidden;
  liveStatus.dataset.live = paused ? 'paused' : 'on';
  liveLabel.textContent = t(paused ? 'events.live.paused' : 'events.live.on');
  if (!paused) void poll();
}

more.addEventListener('click', () => {
  more.disabled = true;
  loadPage(nextCursor)
    .catch((err) => showError(errorEl, err))
    .finally(() => (more.disabled = false));
});
document.addEventListener('visibilitychange', setLive);

loadPage(null)
  .then(() => {
    setLive();
    setInterval(() => void poll(), POLL_MS);
  })
  .catch((err) => {
    rows.replaceChildren();
    showError(errorEl, err);
  });
