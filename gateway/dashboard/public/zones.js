// Admin zone editor: a camera's still frame with its zones (normalised 0..1) on a canvas: areas as
// polygons, line zones as a thick segment with an arrow pointing in their inDirection.
// Click points to add a zone (a line: its two ends), drag corner/end handles to reshape, edit fields
// on the side, save (applied live). Fields the editor does not show are sent back as loaded.
import { api, fmtTime, h, showError, t } from './app.js';

const $ = (id) => document.getElementById(id);
const picker = $('zone-camera');
const stage = $('zone-stage');
const still = $('zone-still');
const canvas = $('zone-canvas');
const ctx = canvas.getContext('2d');
const list = $('zone-list');
const form = $('zone-form');
const windowsEl = $('zone-windows');
const errorEl = $('zone-error');
const savedEl = $('zone-saved');
const hint = $('zone-hint');
const stillState = $('zone-still-state');

const TYPE_DEFAULTS = { queue: { maxLength: 8, maxWaitSeconds: 900 }, counter: {}, restricted: {}, count: {}, line: {} };
const INERTIA = ['enterAfterSeconds', 'exitAfterSeconds'];
/** The fields each type takes besides id, name, type and points (gateway/config/schema.ts; zones are strict there). */
const TYPE_FIELDS = {
  queue: ['maxLength', 'maxWaitSeconds', ...INERTIA],
  counter: [...INERTIA],
  restricted: ['schedule', 'coolDownSeconds', ...INERTIA],
  count: ['crowdingAbove', 'loiterSeconds', 'coolDownSeconds', ...INERTIA],
  line: ['inDirection', 'enterAfterSeconds'],
};
const KNOWN_FIELDS = new Set(Object.values(TYPE_FIELDS).flat());
const NUMBER_FIELDS = new Set(['maxLength', 'maxWaitSeconds', 'crowdingAbove', 'loiterSeconds', 'enterAfterSeconds', 'exitAfterSeconds', 'coolDownSeconds']);
const COLORS = { queue: '#3b8bff', counter: '#22c55e', restricted: '#ef4444', count: '#f59e0b', line: '#d946ef' };
/** On-screen unit vectors of a line's inDirection (right = +x, down = +y), as in the schema. */
const DIRECTIONS = { right: [1, 0], left: [-1, 0], up: [0, -1], down: [0, 1] };
const ARROWS = { right: '→', left: '←', up: '↑', down: '↓' };
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Pointer distance (CSS px) that grabs a corner, and that a click must move to add a new point. */
const GRAB_PX = 9;
const SAME_POINT_PX = 4;

const state = {
  cameraId: '',
  zones: [],
  selected: -1,
  /** Points of the zone being drawn, or null. */
  drawing: null,
  /** What is being drawn: 'polygon' (finished by the user) or 'line' (finished by its second point). */
  drawingKind: 'polygon',
  /** The corner being dragged: { zone, point }. */
  drag: null,
  /** Last pointer position while drawing (rubber band). */
  hover: null,
  dirty: false,
  stillUrl: '',
  stillRequest: 0,
  aspects: new Map(),
};

// ---------- geometry ----------
const clamp01 = (v) => Math.min(1, Math.max(0, v));
const round4 = (v) => Math.round(v * 10_000) / 10_000;
function pointerPoint(e) {
  const r = canvas.getBoundingClientRect();
  return [round4(clamp01((e.clientX - r.left) / r.width)), round4(clamp01((e.clientY - r.top) / r.height))];
}
const pxDistance = (a, b) => Math.hypot((a[0] - b[0]) * canvas.clientWidth, (a[1] - b[1]) * canvas.clientHeight);
function inside([x, y], points) {
  let hit = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}
/** The corner under the pointer: the selected zone's first, then the others from the top. */
function cornerAt(p) {
  const order = [state.selected, ...state.zones.map((_, i) => i).reverse().filter((i) => i !== state.selected)].filter((i) => i >= 0);
  for (const zone of order) {
    const point = state.zones[zone].points.findIndex((q) => pxDistance(p, q) <= GRAB_PX);
    if (point >= 0) return { zone, point };
  }
  return null;
}
const isLine = (zone) => zone.type === 'line';
/** Distance in CSS px from p to the segment ab. */
function pxToSegment(p, a, b) {
  const w = canvas.clientWidth;
  const hgt = canvas.clientHeight;
  const [ax, ay, bx, by, x, y] = [a[0] * w, a[1] * hgt, b[0] * w, b[1] * hgt, p[0] * w, p[1] * hgt];
  const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const k = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
  return Math.hypot(x - (ax + k * (bx - ax)), y - (ay + k * (by - ay)));
}
/** The zone under the pointer: a line within grabbing distance of its segment first (lines have no inside), then the topmost area. */
function zoneAt(p) {
  const top = state.zones.map((_, i) => i).reverse();
  const line = top.find((i) => isLine(state.zones[i]) && state.zones[i].points.length === 2 && pxToSegment(p, ...state.zones[i].points) <= GRAB_PX);
  if (line !== undefined) return line;
  return top.find((i) => !isLine(state.zones[i]) && state.zones[i].points.length >= 3 && inside(p, state.zones[i].points)) ?? -1;
}
/** A direction across the segment (never along it): right for a steep line, down for a flat one. */
const acrossDirection = ([a, b]) => (Math.abs(b[1] - a[1]) >= Math.abs(b[0] - a[0]) ? 'right' : 'down');
/** A polygon becoming a line keeps its first two points; a line becoming an area gets a band beside it. */
function pointsFor(type, points) {
  if (type === 'line') return points.slice(0, 2);
  if (points.length !== 2) return points;
  const [a, b] = points;
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = Math.hypot(dx, dy) || 1;
  const [nx, ny] = [(-dy / len) * 0.08, (dx / len) * 0.08];
  const off = ([x, y]) => [round4(clamp01(x + nx)), round4(clamp01(y + ny))];
  return [a, b, off(b), off(a)];
}

// ---------- drawing (only when something changed, never per animation frame) ----------
let drawQueued = false;
function requestDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    draw();
  });
}

function draw() {
  const w = canvas.clientWidth;
  const hgt = canvas.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hgt * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  const px = ([x, y]) => [x * w, y * hgt];
  state.zones.forEach((zone, i) => {
    const color = COLORS[zone.type] ?? '#ffffff';
    const selected = i === state.selected;
    if (isLine(zone)) drawLine(zone, px, color, selected);
    else if (zone.points.length > 0) {
      ctx.beginPath();
      zone.points.forEach((p, k) => (k === 0 ? ctx.moveTo(...px(p)) : ctx.lineTo(...px(p))));
      ctx.closePath();
      ctx.fillStyle = `${color}${selected ? '55' : '33'}`;
      ctx.fill();
      ctx.lineWidth = selected ? 3 : 2;
      ctx.strokeStyle = color;
      ctx.stroke();
      const [lx, ly] = px(zone.points.reduce((a, p) => [a[0] + p[0] / zone.points.length, a[1] + p[1] / zone.points.length], [0, 0]));
      label(zone.id || '?', lx, ly);
    }
    if (selected) for (const p of zone.points) handle(px(p), color);
  });
  if (state.drawing) {
    const points = state.hover ? [...state.drawing, state.hover] : state.drawing;
    ctx.beginPath();
    points.forEach((p, k) => (k === 0 ? ctx.moveTo(...px(p)) : ctx.lineTo(...px(p))));
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#ffd166';
    ctx.stroke();
    ctx.setLineDash([]);
    for (const p of state.drawing) handle(px(p), '#ffd166');
  }
}

function label(text, x, y) {
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(0,0,0,.7)';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = '#fff';
  ctx.fillText(text, x, y);
}

/** A line zone: a thick segment, an arrow across its middle pointing in inDirection, and its id behind the arrow's tail. */
function drawLine(zone, px, color, selected) {
  const [a, b] = zone.points.map(px);
  if (!a) return;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(...a);
  ctx.lineTo(...(b ?? a));
  ctx.lineWidth = selected ? 7 : 5;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.lineCap = 'butt';
  if (!b) return;
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const [dx, dy] = DIRECTIONS[zone.inDirection] ?? [0, 0];
  if (dx !== 0 || dy !== 0) {
    const [tx, ty] = [mx - dx * 22, my - dy * 22];
    const [hx, hy] = [mx + dx * 30, my + dy * 30];
    ctx.beginPath();
    ctx.moveTo(tx, ty);
    ctx.lineTo(hx - dx * 8, hy - dy * 8);
    ctx.lineWidth = 4;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
    // The head: a triangle whose tip is (hx, hy), 10 px wide across the direction.
    ctx.beginPath();
    ctx.moveTo(hx, hy);
    ctx.lineTo(hx - dx * 12 - dy * 8, hy - dy * 12 + dx * 8);
    ctx.lineTo(hx - dx * 12 + dy * 8, hy - dy * 12 - dx * 8);
    ctx.closePath();
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.stroke();
  }
  label(`${zone.id || '?'} ${ARROWS[zone.inDirection] ?? ''}`.trim(), mx - dx * 44 + dy * 16, my - dy * 44 - dx * 16);
}

function handle([x, y], color) {
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.fillRect(x - 5, y - 5, 10, 10);
  ctx.strokeRect(x - 5, y - 5, 10, 10);
}

new ResizeObserver(() => requestDraw()).observe(stage);

// ---------- canvas input ----------
canvas.addEventListener('pointerdown', (e) => {
  if (state.drawing || e.button !== 0) return;
  const p = pointerPoint(e);
  const corner = cornerAt(p);
  if (corner) {
    select(corner.zone);
    state.drag = corner;
    canvas.setPointerCapture(e.pointerId);
    e.preventDefault();
    return;
  }
  select(zoneAt(p));
});
canvas.addEventListener('pointermove', (e) => {
  const p = pointerPoint(e);
  if (state.drag) {
    state.zones[state.drag.zone].points[state.drag.point] = p;
    markDirty();
    requestDraw();
  } else if (state.drawing) {
    state.hover = p;
    requestDraw();
  } else {
    canvas.dataset.cursor = cornerAt(p) ? 'grab' : '';
  }
});
const endDrag = () => {
  if (!state.drag) return;
  state.drag = null;
  renderForm();
};
canvas.addEventListener('pointerup', endDrag);
canvas.addEventListener('pointercancel', endDrag);
canvas.addEventListener('pointerleave', () => {
  if (state.drawing) {
    state.hover = null;
    requestDraw();
  }
});
canvas.addEventListener('click', (e) => {
  if (!state.drawing) return;
  const p = pointerPoint(e);
  const last = state.drawing[state.drawing.length - 1];
  // The clicks of a double-click land on the same spot: one point, not two.
  if (last && pxDistance(p, last) < SAME_POINT_PX) return;
  state.drawing.push(p);
  if (state.drawingKind === 'line' && state.drawing.length === 2) finishDrawing();
  else drawingChanged();
});
canvas.addEventListener('dblclick', (e) => {
  if (!state.drawing) return;
  e.preventDefault();
  if (state.drawingKind !== 'line') finishDrawing();
});
// While drawing, keys act on the drawing wherever focus is (the canvas itself takes no focus).
window.addEventListener('keydown', (e) => {
  if (!state.drawing || e.target.closest?.('input, select, textarea')) return;
  if (e.key === 'Escape') stopDrawing();
  else if (e.key === 'Enter' && state.drawingKind !== 'line') finishDrawing();
  else if (e.key === 'Backspace') {
    state.drawing.pop();
    drawingChanged();
  } else return;
  e.preventDefault();
});

function startDrawing(kind) {
  state.drawing = [];
  state.drawingKind = kind;
  state.hover = null;
  select(-1);
  canvas.dataset.mode = 'drawing';
  drawingChanged();
}
function drawingChanged() {
  const n = state.drawing?.length ?? 0;
  const line = state.drawingKind === 'line';
  $('zone-add').hidden = state.drawing !== null;
  $('zone-add-line').hidden = state.drawing !== null;
  $('zone-close').hidden = state.drawing === null || line;
  $('zone-cancel').hidden = state.drawing === null;
  $('zone-close').disabled = n === 0;
  hint.textContent = !state.drawing ? t('admin.zones.hintIdle') : line ? t('admin.zones.hintDrawingLine') : t('admin.zones.hintDrawing', { n });
  requestDraw();
}
function stopDrawing() {
  state.drawing = null;
  state.hover = null;
  delete canvas.dataset.mode;
  drawingChanged();
}
/**
 * Turns what is being drawn into a new zone and opens it in the form: a polygon becomes a queue, two
 * points a line whose inDirection runs across it (a line is only finished by its second point).
 */
function finishDrawing() {
  const points = state.drawing ?? [];
  const line = state.drawingKind === 'line';
  if (line && points.length < 2) return;
  stopDrawing();
  if (points.length === 0) return;
  let n = state.zones.length + 1;
  const prefix = line ? 'line' : 'zone';
  while (state.zones.some((z) => z.id === `${prefix}${n}`)) n++;
  state.zones.push(
    line
      ? { id: `${prefix}${n}`, type: 'line', points, inDirection: acrossDirection(points) }
      : { id: `${prefix}${n}`, type: 'queue', points, ...TYPE_DEFAULTS.queue },
  );
  markDirty();
  select(state.zones.length - 1);
  form.elements.namedItem('id').select();
}
$('zone-add').addEventListener('click', () => startDrawing('polygon'));
$('zone-add-line').addEventListener('click', () => startDrawing('line'));
$('zone-close').addEventListener('click', finishDrawing);
$('zone-cancel').addEventListener('click', stopDrawing);

// ---------- list and form ----------
const current = () => state.zones[state.selected];

function select(index) {
  state.selected = index;
  renderList();
  renderForm();
  requestDraw();
}

function renderList() {
  list.replaceChildren(
    ...state.zones.map((zone, i) => {
      const item = h(
        'li',
        { class: i === state.selected ? 'selected' : '', dataset: { zone: zone.id, index: String(i) } },
        h('span', { class: 'swatch', dataset: { type: zone.type } }),
        h('strong', { text: zone.id || '?' }),
        h('span', { class: 'badge', text: t(`admin.zones.type.${zone.type}`) }),
        isLine(zone)
          ? h('span', { class: 'muted direction', dataset: { direction: zone.inDirection ?? '' }, text: t('admin.zones.lineIn', { direction: t(`admin.zones.direction.${zone.inDirection}`) }) })
          : h('span', { class: 'muted', text: t('admin.zones.pointCount', { n: zone.points.length }) }),
      );
      item.addEventListener('click', () => select(i));
      return item;
    }),
  );
  $('zone-empty').hidden = state.zones.length > 0;
}

function renderForm() {
  const zone = current();
  form.hidden = !zone;
  if (!zone) return;
  const f = form.elements;
  f.namedItem('id').value = zone.id;
  f.namedItem('name').value = zone.name ?? '';
  f.namedItem('type').value = zone.type;
  for (const name of NUMBER_FIELDS) f.namedItem(name).value = zone[name] ?? '';
  f.namedItem('inDirection').value = zone.inDirection ?? '';
  for (const part of form.querySelectorAll('[data-for]')) part.hidden = !part.dataset.for.split(' ').includes(zone.type);
  $('zone-points').textContent = isLine(zone) ? t('admin.zones.pointsHelpLine') : t('admin.zones.pointsHelp', { n: zone.points.length });
  renderWindows();
}

form.addEventListener('input', (e) => {
  const zone = current();
  const el = e.target;
  if (!zone || el.closest('#zone-windows')) return;
  el.classList.remove('invalid');
  el.removeAttribute('aria-invalid');
  const value = el.value.trim();
  if (el.name === 'id') zone.id = value;
  else if (el.name === 'name') {
    if (value) zone.name = value;
    else delete zone.name;
  } else if (el.name === 'type') {
    changeType(zone, value);
    renderForm();
  } else if (el.name === 'inDirection') {
    zone.inDirection = value;
  } else if (NUMBER_FIELDS.has(el.name)) {
    if (value === '') delete zone[el.name];
    else zone[el.name] = Number(value);
  } else if (el.name === 'scheduled') {
    if (el.checked) zone.schedule = { windows: [newWindow()] };
    else delete zone.schedule;
    renderWindows();
  } else return;
  markDirty();
  renderList();
  requestDraw();
});
form.addEventListener('submit', (e) => e.preventDefault());

/**
 * A new type drops only the known fields it does not take (the schema would refuse them); everything
 * else (inertia, unknown fields) stays as loaded. Its defaults fill what is missing.
 */
function changeType(zone, type) {
  for (const field of Object.keys(zone)) if (KNOWN_FIELDS.has(field) && !TYPE_FIELDS[type]?.includes(field)) delete zone[field];
  zone.points = pointsFor(type, zone.points);
  zone.type = type;
  for (const [field, value] of Object.entries(TYPE_DEFAULTS[type] ?? {})) zone[field] ??= value;
  if (type === 'line' && zone.points.length === 2) zone.inDirection = acrossDirection(zone.points);
}

const newWindow = () => ({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '07:00' });

/** The restricted zone's weekly schedule: no schedule means armed all the time. */
function renderWindows() {
  const zone = current();
  const windows = zone?.type === 'restricted' ? zone.schedule?.windows : undefined;
  form.elements.namedItem('scheduled').checked = Boolean(windows);
  $('zone-always').hidden = Boolean(windows);
  $('zone-window-add').hidden = !windows;
  windowsEl.replaceChildren(...(windows ?? []).map((w, i) => windowRow(zone, w, i)));
}

function windowRow(zone, w, i) {
  const days = DAYS.map((day) => {
    const box = h('input', { type: 'checkbox', checked: w.days.includes(day) });
    box.addEventListener('change', () => {
      w.days = DAYS.filter((d) => (d === day ? box.checked : w.days.includes(d)));
      markDirty();
    });
    return h('label', { class: 'day' }, box, t(`admin.zones.day.${day}`));
  });
  const time = (key) => {
    const input = h('input', { type: 'time', value: w[key], required: true });
    input.addEventListener('input', () => {
      w[key] = input.value;
      markDirty();
    });
    return h('label', {}, t(`admin.zones.window.${key}`), input);
  };
  const remove = h('button', { type: 'button', class: 'secondary', text: t('admin.zones.removeWindow') });
  remove.addEventListener('click', () => {
    zone.schedule.windows.splice(i, 1);
    if (zone.schedule.windows.length === 0) delete zone.schedule;
    markDirty();
    renderWindows();
  });
  return h('fieldset', { class: 'window', dataset: { window: String(i) } }, h('div', { class: 'days' }, days), h('div', { class: 'times' }, time('start'), time('end'), remove));
}
$('zone-window-add').addEventListener('click', () => {
  current()?.schedule?.windows.push(newWindow());
  markDirty();
  renderWindows();
});

$('zone-delete').addEventListener('click', () => {
  if (state.selected < 0) return;
  state.zones.splice(state.selected, 1);
  markDirty();
  select(-1);
});

// ---------- load and save ----------
function markDirty() {
  state.dirty = true;
  savedEl.hidden = true;
}

function clearFieldErrors() {
  showError(errorEl, null);
  for (const el of document.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Shows the server's message (it names the field, e.g. zones[2].points) and points at that zone and input. */
function showSaveError(err) {
  errorEl.hidden = false;
  errorEl.textContent = t('admin.zones.notSaved', { message: String(err.message).replace(/^body /, '') });
  const m = /^zones\[(\d+)\](?:\.(\w+))?/.exec(err.field ?? '');
  if (!m || !state.zones[Number(m[1])]) return;
  select(Number(m[1]));
  const input = m[2] ? form.elements.namedItem(m[2]) : null;
  if (input instanceof HTMLElement) {
    input.classList.add('invalid');
    input.setAttribute('aria-invalid', 'true');
  } else list.querySelector(`li[data-index="${m[1]}"]`)?.classList.add('invalid');
}

function showSource(data) {
  $('zone-source')?.remove();
  const text = data.source === 'saved' ? t('admin.zones.sourceSaved', { user: data.updatedBy, time: fmtTime(data.updatedAt) }) : t('admin.zones.sourceConfig');
  list.before(h('p', { class: 'muted', id: 'zone-source', text }));
}

async function openCamera(id) {
  state.cameraId = id;
  history.replaceState(null, '', `?camera=${encodeURIComponent(id)}`);
  stopDrawing();
  clearFieldErrors();
  savedEl.hidden = true;
  stage.style.aspectRatio = String(state.aspects.get(id) ?? 16 / 9);
  try {
    const data = await api(`/api/cameras/${encodeURIComponent(id)}/zones`);
    state.zones = structuredClone(data.zones);
    state.dirty = false;
    showSource(data);
  } catch (err) {
    state.zones = [];
    showError(errorEl, err);
  }
  select(-1);
}

async function loadStill(id) {
  const request = ++state.stillRequest;
  stillState.classList.remove('error');
  stillState.textContent = t('admin.zones.stillLoading');
  try {
    const url = URL.createObjectURL(await api(`/api/cameras/${encodeURIComponent(id)}/still`));
    if (request !== state.stillRequest) return URL.revokeObjectURL(url);
    still.src = url;
    await still.decode();
    if (state.stillUrl) URL.revokeObjectURL(state.stillUrl);
    state.stillUrl = url;
    state.aspects.set(id, still.naturalWidth / still.naturalHeight);
    stage.style.aspectRatio = `${still.naturalWidth} / ${still.naturalHeight}`;
    still.hidden = false;
    stillState.textContent = t('admin.zones.stillAt', { time: fmtTime(Date.now()), width: still.naturalWidth, height: still.naturalHeight });
  } catch (err) {
    if (request !== state.stillRequest) return;
    still.hidden = true;
    stillState.classList.add('error');
    stillState.textContent = t('admin.zones.stillFailed', { message: err.message });
  }
}

$('zone-save').addEventListener('click', async (e) => {
  if (state.drawing) finishDrawing();
  const button = e.currentTarget;
  button.disabled = true;
  clearFieldErrors();
  try {
    const data = await api(`/api/cameras/${encodeURIComponent(state.cameraId)}/zones`, { method: 'PUT', body: { zones: state.zones } });
    const keep = state.selected;
    state.zones = structuredClone(data.zones);
    state.dirty = false;
    showSource(data);
    select(keep < state.zones.length ? keep : -1);
    savedEl.textContent = t('admin.zones.saved', { time: fmtTime(data.updatedAt) });
    savedEl.hidden = false;
  } catch (err) {
    showSaveError(err);
  } finally {
    button.disabled = false;
  }
});
$('zone-revert').addEventListener('click', () => openCamera(state.cameraId));
$('zone-still-reload').addEventListener('click', () => loadStill(state.cameraId));

picker.addEventListener('change', () => {
  if (state.dirty && !window.confirm(t('admin.zones.discard'))) {
    picker.value = state.cameraId;
    return;
  }
  still.hidden = true;
  openCamera(picker.value);
  loadStill(picker.value);
});
window.addEventListener('beforeunload', (e) => {
  if (state.dirty) e.preventDefault();
});

async function start() {
  try {
    const { cameras } = await api('/api/cameras');
    const ids = [];
    for (const c of cameras) {
      const health = c.camera ?? c;
      if (!health.cameraId) continue;
      ids.push(health.cameraId);
      if (health.width && health.height) state.aspects.set(health.cameraId, health.width / health.height);
    }
    picker.replaceChildren(...ids.map((id) => h('option', { value: id, text: id })));
    if (ids.length === 0) {
      stillState.textContent = t('admin.zones.noCameras');
      return;
    }
    const wanted = new URLSearchParams(location.search).get('camera');
    picker.value = ids.includes(wanted) ? wanted : ids[0];
    await openCamera(picker.value);
    loadStill(picker.value);
  } catch (err) {
    showError(errorEl, err);
  }
}
start();
