// Shared by every page: messages, the signed-in user, JSON API calls, live feed, small formatters.
const i18n = JSON.parse(document.getElementById('i18n')?.textContent ?? '{}');
const meEl = document.getElementById('me');
export const me = meEl ? JSON.parse(meEl.textContent) : null;
export const lang = document.documentElement.lang || 'vi';

/** Message by key (`namespace.key`), with {name} placeholders filled from vars. */
export function t(key, vars) {
  const text = i18n[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name) => (vars[name] !== undefined ? String(vars[name]) : whole)) : text;
}

/** A message, or `fallback` where the key has none (values from the server not known here). */
export function tOr(key, fallback, vars) {
  const text = t(key, vars);
  return text === key ? fallback : text;
}

/** Badge class for a camera stream state (ok / warn / bad). */
export const stateClass = (state) => ({ streaming: 'ok', starting: 'warn', stalled: 'warn', reconnecting: 'warn', failed: 'bad' })[state] ?? '';

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Calls the gateway API with the session cookie; JSON in and out (an image comes back as a Blob); throws ApiError with the server's message. */
export async function api(path, { method = 'GET', body, form } = {}) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (form) init.body = form;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (res.status === 401 && !location.pathname.startsWith('/login')) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new ApiError(401, 'session expired');
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : type.startsWith('image/') ? await res.blob() : await res.text();
  if (!res.ok) throw new ApiError(res.status, data?.error ?? String(data), data?.field);
  return data;
}

/** The live feed (SSE): `counts` every second and `event` per new event the role may see. Reconnects by itself. */
export function live({ onCounts, onEvent, onState } = {}) {
  const source = new EventSource('/api/live');
  source.addEventListener('open', () => onState?.(true));
  source.addEventListener('error', () => onState?.(false));
  if (onCounts) source.addEventListener('counts', (e) => onCounts(JSON.parse(e.data)));
  if (onEvent) source.addEventListener('event', (e) => onEvent(JSON.parse(e.data)));
  return () => source.close();
}

/** Element helper: h('td', { class: 'x', text: 'y' }, child...). Text is always set as text, never as HTML. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
export const fmtTime = (ms) => new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const fmtDateTime = (ms) => new Date(ms).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' });
export const fmtNumber = (n, digits = 0) => (n === null || n === undefined ? '—' : Number(n).toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  return seconds >= 60 ? t('common.minutes', { n: Math.round(seconds / 60) }) : t('common.seconds', { n: Math.round(seconds) });
}

/** Shows an error message in an element (role=alert) or clears it. */
export function showError(el, err) {
  if (!el) return;
  el.hidden = !err;
  el.textContent = err ? t('common.error', { message: err.message ?? String(err) }) : '';
}

document.getElementById('logout')?.addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST' }).catch(() => undefined);
  location.href = '/login';
});
