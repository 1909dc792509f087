// Open queue alerts (queue_long, crowding): loaded from GET /api/queues/alerts, refreshed on live events
// and every so often (ended alerts come with no live message).
import { api, fmtDuration, fmtTime, h, me, t } from './app.js';

const ALERT_TYPES = new Set(['queue_long', 'crowding']);
const REFRESH_MS = 15_000;
/** A new event is written in a batch and its snapshot a moment later: look again after these delays. */
const AFTER_EVENT_MS = [1000, 4000];
/** A live alert not yet in the store stays on the list this long. */
const PENDING_MS = 10_000;

/**
 * Keeps the alert list in `container` current. `names(cameraId, zoneId)` gives display names;
 * `onChange(alerts)` is told the open alerts after every refresh (tiles mark their zone).
 */
export function createAlerts(container, { names, onChange, onError }) {
  let stored = [];
  /** Live events not yet seen in the store, by uid. */
  const pending = new Map();
  let inFlight = false;

  const current = () => {
    const now = Date.now();
    for (const [uid, e] of pending) if (now - e.receivedAt > PENDING_MS || stored.some((s) => s.uid === uid)) pending.delete(uid);
    return [...pending.values(), ...stored].sort((a, b) => b.startedAt - a.startedAt);
  };

  let shown = '';
  const render = () => {
    const alerts = current();
    // Rebuilding the rows reloads the snapshots (not cacheable): only when something changed.
    const signature = JSON.stringify(alerts.map((a) => [a.uid, a.id, a.hasSnapshot, a.data]));
    if (signature === shown) return;
    shown = signature;
    onChange(alerts);
    if (alerts.length === 0) {
      container.replaceChildren(h('p', { class: 'muted', id: 'alerts-empty', text: t('queues.alerts.none') }));
      return;
    }
    const head = h('tr', {}, ...['snapshot', 'what', 'where', 'when', 'detail'].map((k) => h('th', { text: t(`queues.alerts.${k}`) })));
    container.replaceChildren(h('table', { class: 'alerts-table' }, h('thead', {}, head), h('tbody', {}, ...alerts.map((a) => row(a, names)))));
  };

  const refresh = async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      stored = (await api('/api/queues/alerts?limit=50')).items;
      onError(null);
      render();
    } catch (err) {
      onError(err);
    } finally {
      inFlight = false;
    }
  };

  setInterval(refresh, REFRESH_MS);
  void refresh();

  return {
    /** A live `event` message. */
    onEvent(e) {
      if (!ALERT_TYPES.has(e.type)) return;
      pending.set(e.uid, { uid: e.uid, cameraId: e.cameraId, zoneId: e.zoneId ?? null, type: e.type, severity: e.severity, startedAt: e.at, data: {}, hasSnapshot: false, receivedAt: Date.now() });
      render();
      for (const delay of AFTER_EVENT_MS) setTimeout(refresh, delay);
    },
  };
}

function row(a, names) {
  const where = names(a.cameraId, a.zoneId);
  const details = [];
  // A crowding incident carries who is inside now (and in all) instead of a count.
  const count = typeof a.data?.count === 'number' ? a.data.count : a.data?.incident === true && typeof a.data.inside === 'number' ? a.data.inside : null;
  if (count !== null) details.push(t('queues.alerts.count', { n: count }));
  if (typeof a.data?.estimatedWaitSeconds === 'number') details.push(t('queues.alerts.waitDetail', { wait: fmtDuration(a.data.estimatedWaitSeconds) }));
  return h(
    'tr',
    { class: 'alert-row', dataset: { uid: a.uid, type: a.type } },
    h('td', {}, thumbnail(a, where)),
    h('td', {}, h('span', { class: 'badge medium', text: t(`queues.type.${a.type}`) })),
    h('td', { text: `${where.camera} / ${where.zone}` }),
    h('td', { text: fmtTime(a.startedAt) }),
    h('td', { text: details.join(' · ') || '—' }),
  );
}

/** The face-blurred snapshot, for supervisors only: the board never asks for an original image. */
function thumbnail(a, where) {
  if (!a.hasSnapshot || a.id === undefined || me?.role !== 'supervisor') return h('span', { class: 'muted', text: a.hasSnapshot ? '' : t('queues.alerts.noSnapshot') });
  const img = h('img', { class: 'thumb', loading: 'lazy', src: `/api/events/${a.id}/snapshot`, alt: t('queues.alerts.snapshotAlt', where) });
  img.addEventListener('error', () => img.replaceWith(h('span', { class: 'muted', text: t('queues.alerts.noSnapshot') })), { once: true });
  return img;
}
