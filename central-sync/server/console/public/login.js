import { api, t } from './app.js';

/**
 * `next` when it is a path on this origin, else '/': a single leading '/', no backslash or control
 * character, still this origin once resolved, and no resolved path starting with '//' (the server's
 * safe-path.ts applies the same rule).
 */
function sameOriginPath(next) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const url = new URL(next, location.origin);
  // '/..//evil.example' resolves to the path '//evil.example' (another host to a browser): judge the resolved path.
  if (url.origin !== location.origin || url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return '/';
  return url.pathname + url.search + url.hash;
}

const form = document.getElementById('login-form');
// The button stays disabled until this script runs: the form is never submitted natively.
form.querySelector('button[type=submit]').disabled = false;
const error = document.getElementById('login-error');
const modeOf = () => form.querySelector('input[name=mode]:checked').value;
form.addEventListener('change', () => {
  for (const el of form.querySelectorAll('[data-mode]')) el.hidden = el.dataset.mode !== modeOf();
});
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const body = modeOf() === 'token' ? { token: String(data.get('token')).trim() } : { name: String(data.get('name')).trim(), password: String(data.get('password')) };
  try {
    await api('/console/login', { method: 'POST', body });
    location.href = sameOriginPath(new URLSearchParams(location.search).get('next'));
  } catch (err) {
    error.hidden = false;
    error.textContent = err.status === 429 ? t('login.throttled') : t('login.failed', { message: err.message });
  }
});
