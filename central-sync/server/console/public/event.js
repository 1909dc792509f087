// One event: its fields and data (never the face crop), its timeline, and the audited face crop on request.
import { api, fmtTime, h, me, showError, t, tOr } from './app.js';

const section = document.getElementById('event');
const errorEl = document.getElementById('event-error');
const id = section.dataset.eventId;

function field(list, key, value) {
  list.append(h('dt', { text: t(`events.field.${key}`) }), h('dd', { dataset: { field: key }, text: value ?? '—' }));
}

/** Data values as text: strings as they are, the rest as JSON. */
function dataList(list, data) {
  const entries = Object.entries(data);
  if (!entries.length) list.append(h('dd', { class: 'muted', text: t('events.detail.noData') }));
  for (const [k, v] of entries) list.append(h('dt', { text: k }), h('dd', { dataset: { key: k }, text: typeof v === 'string' ? v : JSON.stringify(v) }));
}

function timelineEntry(u) {
  const data = h('dl', { class: 'fields small' });
  dataList(data, u.data);
  return h(
    'li',
    { dataset: { phase: u.phase, seq: String(u.seq) }, class: `phase-${u.phase}` },
    h('strong', { text: t(`events.phase.${u.phase}`) }),
    ' ',
    h('span', { text: fmtTime(u.at) }),
    ' ',
    h('span', { class: 'muted small', text: t('events.timeline.received', { time: fmtTime(u.receivedAt) }) }),
    u.hasFaceCrop ? h('span', { class: 'badge high', text: t('events.timeline.faceCrop') }) : null,
    data,
  );
}

async function load() {
  if (!id) throw new Error(t('events.detail.badId'));
  const { event: e, updates, faceCropsAccepted } = await api(`/v1/events/${id}`);
  document.getElementById('event-heading').textContent = t('events.detail.heading', { type: e.type, site: e.siteName ?? e.siteId });
  const fields = document.getElementById('event-fields');
  field(fields, 'id', String(e.id));
  field(fields, 'uid', e.uid);
  field(fields, 'site', e.siteName ? `${e.siteName} (${e.siteId})` : e.siteId);
  field(fields, 'gateway', e.gatewayName ? `${e.gatewayName} (${e.gatewayId})` : e.gatewayId);
  field(fields, 'camera', e.cameraId);
  field(fields, 'zone', e.zoneId);
  field(fields, 'type', e.type);
  field(fields, 'severity', tOr(`events.severity.${e.severity}`, e.severity));
  field(fields, 'started', fmtTime(e.startedAt));
  field(fields, 'updated', fmtTime(e.updatedAt));
  field(fields, 'ended', e.endedAt === null ? t('events.state.ongoing') : fmtTime(e.endedAt));
  dataList(document.getElementById('event-data'), e.data);
  document.getElementById('event-timeline').replaceChildren(...updates.map(timelineEntry));
  // Security and admin only, and only where the central keeps crops and this event has one.
  if (e.hasFaceCrop && faceCropsAccepted && (me?.role === 'security' || me?.role === 'admin')) {
    document.getElementById('face-crop-section').hidden = false;
  }
}

document.getElementById('show-face-crop').addEventListener('click', (ev) => {
  const img = document.getElementById('face-crop');
  img.addEventListener('error', () => showError(errorEl, new Error(t('events.crop.title'))), { once: true });
  img.src = `/v1/events/${id}/face-crop`;
  img.hidden = false;
  ev.currentTarget.hidden = true;
});

load().catch((err) => showError(errorEl, err));
