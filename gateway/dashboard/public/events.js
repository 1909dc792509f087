// Event review list: filters kept in the URL, cursor pages of 50, new events added at the top from the live feed.
import { api, fmtDateTime, h, live, showError, t, tOr } from './app.js';

const PAGE_SIZE = 50;
const FILTERS = ['camera', 'type', 'severity', 'review', 'from', 'to'];

const form = document.getElementById('event-filters');
const body = document.getElementById('events-body');
const more = document.getElementById('events-more');
const empty = document.getElementById('events-empty');
const count = document.getElementById('events-count');
const errorEl = document.getElementById('events-error');
const liveState = document.getElementById('live-state');

/** Ids shown now, so live refreshes and later pages never show an event twice. */
const shown = new Set();
let nextCursor = null;
/** Bumped on every filter change: answers to older requests are dropped. */
let generation = 0;

/** datetime-local value (local time) <-> epoch ms. */
const toMs = (v) => (v ? new Date(v).getTime() : undefined);
function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function currentFilters() {
  const data = new FormData(form);
  const f = {};
  for (const name of FILTERS) {
    const v = String(data.get(name) ?? '');
    if (!v) continue;
    f[name] = name === 'from' || name === 'to' ? toMs(v) : v;
  }
  return f;
}

function query(filters, extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v !== undefined && v !== '' && !Number.isNaN(v)) q.set(k, String(v));
  return q.toString();
}

/** Filters live in the URL so a reload or the back button from an event keeps them. */
function restoreFromUrl() {
  const q = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const v = q.get(name);
    if (!v || !form.elements[name]) continue;
    form.elements[name].value = name === 'from' || name === 'to' ? toLocalInput(Number(v)) : v;
  }
}

const label = (group, value) => tOr(`events.${group}.${value}`, value);

function thumbnail(id, retryLater) {
  const img = h('img', { class: 'thumb', loading: 'lazy', alt: t('events.col.snapshot'), src: `/api/events/${id}/snapshot?variant=blurred` });
  let retried = false;
  img.addEventListener('error', () => {
    // A new event's snapshot is written a moment after the event: try once more before giving up.
    if (retryLater && !retried) {
      retried = true;
      setTimeout(() => (img.src = `/api/events/${id}/snapshot?variant=blurred&retry=1`), 2000);
      return;
    }
    img.replaceWith(h('span', { class: 'thumb none muted', text: t('events.noSnapshot') }));
  });
  return img;
}

/** An incident (one event per occupancy episode of a zone): how many people so far and whether it is still open. */
function incidentBadges(e) {
  if (e.data?.incident !== true) return [];
  const total = typeof e.data.total === 'number' ? e.data.total : null;
  return [
    ' ',
    h('span', { class: 'badge incident-people', text: total === null ? t('events.incident.label') : t(total === 1 ? 'events.incident.peopleOne' : 'events.incident.people', { n: total }) }),
    ' ',
    h('span', { class: `badge incident-state ${e.endedAt ? 'ended' : 'warn'}`, text: t(e.endedAt ? 'events.incident.ended' : 'events.incident.open') }),
  ];
}

function row(e, isLive) {
  const href = `/events/${e.id}`;
  const incident = e.data?.incident === true;
  const tr = h(
    'tr',
    {
      class: isLive ? 'live' : undefined,
      dataset: { id: e.id, type: e.type, severity: e.severity, review: e.reviewState, ...(incident ? { incident: 'true', people: String(e.data.total ?? ''), open: String(!e.endedAt) } : {}) },
    },
    h('td', {}, h('a', { href, tabindex: '-1', 'aria-hidden': 'true' }, thumbnail(e.id, isLive))),
    h('td', {}, h('a', { href, class: 'event-link' }, fmtDateTime(e.startedAt)), isLive ? h('span', { class: 'badge new', text: t('events.new') }) : null),
    h('td', { text: e.cameraId }),
    h('td', { text: e.zoneId ?? '—' }),
    h('td', {}, label('type', e.type), ...incidentBadges(e)),
    h('td', {}, h('span', { class: `badge ${e.severity}`, text: label('severity', e.severity) })),
    h('td', {}, h('span', { class: `badge review ${e.reviewState}`, text: label('review', e.reviewState) })),
  );
  tr.addEventListener('click', (ev) => {
    if (!ev.target.closest('a')) location.href = href;
  });
  return tr;
}

function updateFooter() {
  empty.hidden = shown.size > 0;
  more.hidden = !nextCursor;
  count.textContent = shown.size ? t('events.shown', { n: shown.size }) : '';
}

async function loadPage(reset) {
  const gen = reset ? ++generation : generation;
  const filters = currentFilters();
  more.disabled = true;
  try {
    const page = await api(`/api/events?${query(filters, { limit: PAGE_SIZE, cursor: reset ? undefined : nextCursor })}`);
    if (gen !== generation) return;
    if (reset) {
      body.replaceChildren();
      shown.clear();
    }
    const rows = page.items.filter((e) => !shown.has(e.id));
    for (const e of rows) shown.add(e.id);
    body.append(...rows.map((e) => row(e, false)));
    nextCursor = page.nextCursor;
    showError(errorEl, null);
  } catch (err) {
    if (gen === generation) showError(errorEl, err);
  } finally {
    more.disabled = false;
    updateFooter();
  }
}

function onFiltersChanged() {
  const q = query(currentFilters());
  history.replaceState(null, '', q ? `/events?${q}` : '/events');
  void loadPage(true);
}

// --- live: an SSE `event` carries the uid, not the row id; fetch the newest rows and add the unseen ones.
const pendingUids = new Set();
let refreshTimer = null;
let refreshTries = 0;

function matches(e, f) {
  return (!f.camera || f.camera === e.cameraId) && (!f.type || f.type === e.type) && (!f.severity || f.severity === e.severity) && (!f.review || f.review === 'open') && (f.from === undefined || e.at >= f.from) && (f.to === undefined || e.at <= f.to);
}

function scheduleRefresh(delayMs) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void refreshHead();
  }, delayMs);
}

async function refreshHead() {
  const gen = generation;
  const filters = currentFilters();
  try {
    const page = await api(`/api/events?${query(filters, { limit: PAGE_SIZE })}`);
    if (gen !== generation) return;
    const fresh = page.items.filter((e) => !shown.has(e.id));
    for (const e of fresh) shown.add(e.id);
    for (const e of page.items) pendingUids.delete(e.uid);
    if (fresh.length) body.prepend(...fresh.map((e) => row(e, true)));
    updateFooter();
  } catch (err) {
    showError(errorEl, err);
  }
  // The store writes in batches: an event announced live may land a moment later.
  if (pendingUids.size && refreshTries++ < 5) scheduleRefresh(1000);
  else {
    pendingUids.clear();
    refreshTries = 0;
  }
}

async function fillCameras() {
  const select = form.elements.camera;
  const wanted = new URLSearchParams(location.search).get('camera');
  try {
    const { cameras } = await api('/api/cameras');
    const ids = cameras.map((c) => c.camera?.cameraId ?? c.cameraId ?? c.id).filter(Boolean);
    if (wanted && !ids.includes(wanted)) ids.push(wanted);
    select.append(...ids.map((id) => h('option', { value: id, text: id })));
    if (wanted) select.value = wanted;
  } catch (err) {
    showError(errorEl, err);
  }
}

form.addEventListener('change', onFiltersChanged);
form.addEventListener('submit', (e) => e.preventDefault());
form.addEventListener('reset', () => setTimeout(onFiltersChanged, 0));
more.addEventListener('click', () => loadPage(false));

restoreFromUrl();
await fillCameras();
await loadPage(true);
live({
  onState: (up) => {
    liveState.textContent = t(up ? 'common.live.connected' : 'common.live.disconnected');
    liveState.className = `live-state ${up ? 'ok' : 'warn'}`;
  },
  onEvent: (e) => {
    if (!matches(e, currentFilters())) return;
    pendingUids.add(e.uid);
    refreshTries = 0;
    scheduleRefresh(300);
  },
});
