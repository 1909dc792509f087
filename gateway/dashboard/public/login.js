import { api, t } from './app.js';

/**
 * `next` when it is a path on this origin, else '/': a single leading '/', no backslash or control
 * character (browsers drop tabs and newlines and read a backslash as '/', so '/\evil.example' would leave),
 * and still this origin once resolved, with a resolved path not starting with '//' ('/..//evil.example'
 * resolves to '//evil.example'). The server's /ui/lang applies the same rule (dashboard/safe-path.ts).
 */
function sameOriginPath(next) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const url = new URL(next, location.origin);
  return url.origin === location.origin && !url.pathname.startsWith('//') ? url.pathname + url.search + url.hash : '/';
}

const form = document.getElementById('login-form');
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
    await api('/api/login', { method: 'POST', body });
    const next = new URLSearchParams(location.search).get('next');
    location.href = sameOriginPath(next);
  } catch (err) {
    error.hidden = false;
    error.textContent = t('login.failed', { message: err.message });
  }
});
