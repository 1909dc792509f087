// Shared by every console page: messages, the signed-in user, /v1 API calls with the session cookie, formatters.
const i18n = JSON.parse(document.getElementById('i18n')?.textContent ?? '{}');
const meEl = document.getElementById('me');
/** The signed-in user ({ name, role }) or null on /login. */
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

/** An API refusal: HTTP status, the server's message and, where it named one, the offending field. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
  }
}

/**
 * Calls the central's JSON API with the session cookie (same origin). `init`: { method, body } where
 * body is sent as JSON. Answers the parsed JSON; throws ApiError carrying the server's `error` and
 * `field`. A 401 (no session, or it ended) goes to /login?next=<this page>.
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (res.status === 401 && !location.pathname.startsWith('/login')) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new ApiError(401, 'session ended');
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' && data?.error ? data.error : String(data), data?.field);
  return data;
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
/** Date and time of an epoch-ms instant in the page's language; '—' for null. */
export const fmtTime = (ms) => (ms === null || ms === undefined ? '—' : new Date(ms).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' }));
/** Time of day only. */
export const fmtClock = (ms) => (ms === null || ms === undefined ? '—' : new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
export const fmtNumber = (n, digits = 0) => (n === null || n === undefined ? '—' : Number(n).toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** How long ago `ms` was ("3 min ago"), from `now` (default: the browser's clock); 'never' for null. */
export function fmtAge(ms, now = Date.now()) {
  if (ms === null || ms === undefined) return t('common.never');
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return t('common.ago.seconds', { n: s });
  if (s < 7200) return t('common.ago.minutes', { n: Math.round(s / 60) });
  if (s < 172_800) return t('common.ago.hours', { n: Math.round(s / 3600) });
  return t('common.ago.days', { n: Math.round(s / 86_400) });
}

/** Shows an error message in an element (role=alert) or clears it. */
export function showError(el, err) {
  if (!el) return;
  el.hidden = !err;
  el.textContent = err ? t('common.error', { message: err.message ?? String(err) }) : '';
}

document.getElementById('logout')?.addEventListener('click', async () => {
  await api('/console/logout', { method: 'POST' }).catch(() => undefined);
  location.href = '/login';
});
