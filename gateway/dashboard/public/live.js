// Live view camera picker: one card per camera with its state, kept current by the live feed.
import { api, fmtNumber, h, live, showError, stateClass, t } from './app.js';

const box = document.getElementById('live-cameras');
const errorEl = document.getElementById('live-error');
const cards = new Map();

function card(id) {
  let c = cards.get(id);
  if (c) return c;
  const badge = h('span', { class: 'badge' });
  const fps = h('span', { class: 'muted' });
  const el = h('a', { class: 'card live-camera', href: `/live/${encodeURIComponent(id)}`, dataset: { camera: id } }, h('h3', { text: id }), h('p', {}, badge, ' ', fps), h('span', { class: 'watch', text: t('live.watch') }));
  c = { el, badge, fps };
  cards.set(id, c);
  return c;
}

function render(list) {
  if (!Array.isArray(list)) return;
  const ids = [];
  for (const item of list) {
    const cam = item.camera ?? {};
    if (!cam.cameraId) continue;
    ids.push(cam.cameraId);
    const c = card(cam.cameraId);
    c.el.dataset.state = cam.state;
    c.badge.className = `badge ${stateClass(cam.state)}`;
    const label = t(`live.state.${cam.state}`);
    if (c.badge.textContent !== label) c.badge.textContent = label;
    const fps = cam.state === 'streaming' ? t('live.inputFps', { n: fmtNumber(cam.measuredFps, 1) }) : '';
    if (c.fps.textContent !== fps) c.fps.textContent = fps;
  }
  for (const id of [...cards.keys()]) if (!ids.includes(id)) cards.delete(id);
  const ordered = ids.sort().map((id) => cards.get(id).el);
  if (ordered.length === 0) box.replaceChildren(h('p', { class: 'muted', text: t('live.noCameras') }));
  else if (ordered.length !== box.children.length || ordered.some((el, i) => box.children[i] !== el)) box.replaceChildren(...ordered);
}

api('/api/cameras')
  .then((r) => render(r.cameras))
  .catch((err) => showError(errorEl, err));
live({ onCounts: (msg) => render(msg.cameras) });
