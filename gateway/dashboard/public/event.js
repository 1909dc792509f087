// One event: snapshot (boxes already drawn in the JPEG), fields, timeline, track path, reviews and review actions.
import { api, fmtDateTime, fmtDuration, fmtNumber, fmtTime, h, showError, t, tOr } from './app.js';

const root = document.getElementById('event');
const id = root.dataset.id;
const errorEl = document.getElementById('event-error');
const reviewForm = document.getElementById('review-form');
const reviewError = document.getElementById('review-error');

const label = (group, value) => tOr(`events.${group}.${value}`, String(value));
/** An incident's data fields shown as their own table and timeline lines, not as raw JSON. */
const INCIDENT_FIELDS = ['incident', 'people', 'change', 'durationSeconds'];
const isIncident = (data) => data?.incident === true;
const seconds = (fromMs, toMs) => (toMs - fromMs) / 1000;

function dataValue(key, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return h('code', { text: JSON.stringify(value) });
  if (key === 'similarity' && typeof value === 'number') return fmtNumber(value, 3);
  return String(value);
}

function field(name, ...value) {
  return [h('dt', { text: name }), h('dd', {}, ...value)];
}

function renderFields(e) {
  document.getElementById('event-heading').replaceChildren(
    label('type', e.type),
    ' ',
    h('span', { class: `badge ${e.severity}`, text: label('severity', e.severity) }),
    ' ',
    h('span', { class: `badge review ${e.reviewState}`, id: 'event-review-state', dataset: { state: e.reviewState }, text: label('review', e.reviewState) }),
  );
  const end = e.endedAt ?? e.updatedAt;
  const rows = [
    field(t('events.field.camera'), e.cameraId),
    field(t('events.field.zone'), e.zoneId ?? '—'),
    field(t('events.field.track'), e.trackId ?? '—'),
    field(t('events.field.started'), fmtDateTime(e.startedAt)),
    field(t('events.field.updated'), fmtDateTime(e.updatedAt)),
    field(t('events.field.ended'), e.endedAt ? fmtDateTime(e.endedAt) : h('span', { class: 'badge warn', text: t('events.field.ongoing') })),
    field(t('events.field.duration'), fmtDuration(seconds(e.startedAt, end))),
    ...Object.entries(e.data ?? {})
      .filter(([k]) => !(isIncident(e.data) && INCIDENT_FIELDS.includes(k)))
      .map(([k, v]) => field(label('data', k), dataValue(k, v))),
    // A watchlist match's face comes from its own route, which audits each view.
    ...(e.faceCropUrl ? [field(label('data', 'faceCrop'), h('img', { class: 'face-crop', id: 'event-face-crop', alt: label('data', 'faceCrop'), src: e.faceCropUrl }))] : []),
    field(t('events.field.uid'), h('code', { text: e.uid })),
  ];
  document.getElementById('event-fields').replaceChildren(...rows.flat());
  renderPeople(e);
}

/** An incident's people: track, when they entered and left (the newest 50 the event keeps). */
function renderPeople(e) {
  const box = document.getElementById('event-people');
  const people = isIncident(e.data) && Array.isArray(e.data.people) ? e.data.people : null;
  box.hidden = people === null;
  if (!people) return;
  const stillInside = (p) => p.leftAt === null || p.leftAt === undefined;
  box.replaceChildren(
    h('h3', { text: t('events.incident.peopleHeading', { n: people.length }) }),
    h(
      'table',
      { id: 'incident-people' },
      h('thead', {}, h('tr', {}, h('th', { text: t('events.incident.track') }), h('th', { text: t('events.incident.entered') }), h('th', { text: t('events.incident.left') }))),
      h(
        'tbody',
        {},
        people.map((p) =>
          h(
            'tr',
            { dataset: { track: String(p.trackId), inside: String(stillInside(p)) } },
            h('td', { text: t('events.incident.person', { track: p.trackId }) }),
            h('td', { text: typeof p.enteredAt === 'number' ? fmtDateTime(p.enteredAt) : '—' }),
            h('td', {}, stillInside(p) ? h('span', { class: 'badge warn', text: t('events.incident.inside') }) : fmtDateTime(p.leftAt)),
          ),
        ),
      ),
    ),
  );
}

/** One timeline entry of an incident in words: who entered or left and when, or the state at start and end. */
function incidentLine(u) {
  const d = u.data;
  const parts = [];
  if (d.change && typeof d.change.trackId === 'number') {
    parts.push(t(d.change.kind === 'left' ? 'events.change.left' : 'events.change.entered', { track: d.change.trackId, time: fmtTime(d.change.at ?? u.at) }));
  }
  if (typeof d.inside === 'number') parts.push(t('events.incident.insideNow', { n: d.inside, total: d.total ?? d.inside }));
  if (u.phase === 'end' && typeof d.durationSeconds === 'number') parts.push(t('events.incident.endedAfter', { duration: fmtDuration(d.durationSeconds) }));
  return h('span', { class: 'incident-line', text: parts.join(' · ') || '—' });
}

function renderTimeline(e) {
  const tbody = document.querySelector('#event-timeline tbody');
  tbody.replaceChildren(
    ...e.timeline.map((u) =>
      h(
        'tr',
        { dataset: { phase: u.phase } },
        h('td', { text: fmtDateTime(u.at) }),
        h('td', {}, h('span', { class: `badge phase-${u.phase}`, text: label('phase', u.phase) })),
        h('td', {}, isIncident(u.data) ? incidentLine(u) : u.data && Object.keys(u.data).length ? h('code', { text: JSON.stringify(u.data) }) : '—'),
      ),
    ),
  );
}

function renderReviews(e) {
  const tbody = document.querySelector('#event-reviews tbody');
  tbody.replaceChildren(
    ...[...e.reviews].reverse().map((r) =>
      h('tr', { dataset: { action: r.action, user: r.user } }, h('td', { text: fmtDateTime(r.at) }), h('td', { text: r.user }), h('td', { text: label('history', r.action) }), h('td', { text: r.comment ?? '' })),
    ),
  );
  document.getElementById('event-reviews-none').hidden = e.reviews.length > 0;
  // Only the actions that change something are offered; a comment is always possible.
  for (const b of reviewForm.querySelectorAll('button[name=action]')) {
    const open = e.reviewState === 'open';
    b.hidden = (b.value === 'reopen' && open) || ((b.value === 'acknowledge' || b.value === 'false_positive') && !open);
  }
}

function renderSnapshot() {
  const img = document.getElementById('event-snapshot');
  img.addEventListener('error', () => {
    img.hidden = true;
    document.getElementById('event-no-snapshot').hidden = false;
  });
  img.src = `/api/events/${id}/snapshot`;
}

function renderTrack(track) {
  const box = document.getElementById('event-track');
  if (!track) {
    box.replaceChildren(h('p', { class: 'muted', id: 'track-none', text: t('events.track.none') }));
    return;
  }
  const visits = track.zones.length
    ? h(
        'table',
        { id: 'track-zones' },
        h('thead', {}, h('tr', {}, h('th', { text: t('events.track.zone') }), h('th', { text: t('events.track.enter') }), h('th', { text: t('events.track.exit') }), h('th', { text: t('events.track.stayed') }))),
        h(
          'tbody',
          {},
          track.zones.map((v) =>
            h('tr', {}, h('td', { text: v.zoneId }), h('td', { text: fmtDateTime(v.enter) }), h('td', { text: v.exit ? fmtDateTime(v.exit) : '—' }), h('td', { text: fmtDuration(seconds(v.enter, v.exit ?? track.lastSeen)) })),
          ),
        ),
      )
    : h('p', { class: 'muted', text: t('events.track.noZones') });
  const bar = trackBar(track);
  const events = track.events.filter((o) => String(o.id) !== id);
  box.replaceChildren(
    h(
      'dl',
      { class: 'fields', id: 'track-summary' },
      field(t('events.track.firstSeen'), fmtDateTime(track.firstSeen)),
      field(t('events.track.lastSeen'), fmtDateTime(track.lastSeen)),
      field(t('events.track.inView'), fmtDuration(seconds(track.firstSeen, track.lastSeen))),
      track.best ? field(t('events.track.best'), t('events.track.bestAt', { time: fmtDateTime(track.best.at), score: fmtNumber(track.best.score, 2) })) : [],
    ),
    bar,
    h('h3', { text: t('events.track.zones') }),
    visits,
    events.length ? [h('h3', { text: t('events.track.events') }), h('ul', {}, events.map((o) => h('li', {}, h('a', { href: `/events/${o.id}`, text: `${fmtDateTime(o.startedAt)} · ${label('type', o.type)}` }))))] : [],
  );
}

/** The track's time in view as a bar, zone visits as segments on it. */
function trackBar(track) {
  const span = Math.max(1, track.lastSeen - track.firstSeen);
  const pct = (ms) => `${Math.max(0, Math.min(100, ((ms - track.firstSeen) / span) * 100)).toFixed(2)}%`;
  return h(
    'div',
    { class: 'track-bar', role: 'img', 'aria-label': t('events.track.zones') },
    track.zones.map((v) => {
      const seg = h('span', { class: 'visit', title: v.zoneId, text: v.zoneId });
      seg.style.left = pct(v.enter);
      seg.style.width = `calc(${pct(v.exit ?? track.lastSeen)} - ${pct(v.enter)})`;
      return seg;
    }),
  );
}

function render(e) {
  renderFields(e);
  renderTimeline(e);
  renderReviews(e);
}

reviewForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const action = ev.submitter?.value;
  const comment = reviewForm.elements.comment.value.trim();
  if (!action) return;
  if (action === 'comment' && !comment) {
    showError(reviewError, new Error(t('events.commentNeeded')));
    return;
  }
  const buttons = reviewForm.querySelectorAll('button');
  buttons.forEach((b) => (b.disabled = true));
  try {
    const updated = await api(`/api/events/${id}/review`, { method: 'POST', body: { action, ...(comment ? { comment } : {}) } });
    reviewForm.elements.comment.value = '';
    showError(reviewError, null);
    render(updated);
  } catch (err) {
    showError(reviewError, err);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
});

try {
  const event = await api(`/api/events/${encodeURIComponent(id)}`);
  render(event);
  renderSnapshot();
  root.hidden = false;
  api(`/api/events/${encodeURIComponent(id)}/track`)
    .then((r) => renderTrack(r.track))
    .catch((err) => document.getElementById('event-track').replaceChildren(h('p', { class: 'error', text: t('common.error', { message: err.message }) })));
} catch (err) {
  showError(errorEl, err);
}
