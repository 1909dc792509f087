import { api, t } from './app.js';

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
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  } catch (err) {
    error.hidden = false;
    error.textContent = t('login.failed', { message: err.message });
  }
});
