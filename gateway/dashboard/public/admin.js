// Admin: users and tokens created at run time. The token of a new user is shown once, here.
import { api, fmtDateTime, h, showError, t } from './app.js';

const form = document.getElementById('user-form');
const formError = document.getElementById('user-error');
const listError = document.getElementById('users-error');
const body = document.getElementById('users-body');
const empty = document.getElementById('users-empty');
const tokenBox = document.getElementById('token-box');
const tokenValue = document.getElementById('token-value');
const tokenCopied = document.getElementById('token-copied');

function row(user) {
  const remove = h('button', { type: 'button', class: 'danger', text: t('admin.users.remove') });
  const actions = h('td', { class: 'actions' }, remove);
  remove.addEventListener('click', () => {
    // Inline confirmation: the row asks once more before the user and their sessions go.
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': user.name, text: t('admin.users.confirmRemove', { name: user.name }) });
    const no = h('button', { type: 'button', class: 'secondary', text: t('admin.cancel') });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api(`/api/users/${encodeURIComponent(user.name)}`, { method: 'DELETE' });
        showError(listError, null);
        await load();
      } catch (err) {
        showError(listError, err);
        yes.disabled = false;
      }
    });
    no.addEventListener('click', () => actions.replaceChildren(remove));
    actions.replaceChildren(yes, no);
  });
  const login = user.hasPassword ? t('admin.users.loginPassword') : t('admin.users.loginToken');
  return h(
    'tr',
    { dataset: { user: user.name } },
    h('td', { text: user.name }),
    h('td', {}, h('span', { class: 'badge', text: t(`common.role.${user.role}`) })),
    h('td', { text: fmtDateTime(user.createdAt) }),
    h('td', { text: user.disabled ? t('admin.users.disabled') : login }),
    actions,
  );
}

async function load() {
  try {
    const { users } = await api('/api/users');
    body.replaceChildren(...users.map(row));
    empty.hidden = users.length > 0;
    showError(listError, null);
  } catch (err) {
    showError(listError, err);
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const password = String(data.get('password') ?? '');
  const request = { name: String(data.get('name')).trim(), role: String(data.get('role')), ...(password ? { password } : {}) };
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const created = await api('/api/users', { method: 'POST', body: request });
    showError(formError, null);
    form.reset();
    document.getElementById('token-for').textContent = t('admin.token.for', { name: created.name, role: t(`common.role.${created.role}`) });
    tokenValue.value = created.token;
    tokenCopied.hidden = true;
    tokenBox.hidden = false;
    tokenValue.select();
    await load();
  } catch (err) {
    showError(formError, err);
  } finally {
    submit.disabled = false;
  }
});

document.getElementById('token-copy').addEventListener('click', async () => {
  tokenValue.select();
  try {
    // The Clipboard API needs a secure context; a gateway on plain http over the LAN falls back to execCommand.
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(tokenValue.value);
    else if (!document.execCommand('copy')) throw new Error('copy refused');
    tokenCopied.textContent = t('admin.token.copied');
  } catch {
    tokenCopied.textContent = t('admin.token.copyManually');
  }
  tokenCopied.hidden = false;
});

document.getElementById('token-done').addEventListener('click', () => {
  // Forget the token in the page as well: it is not shown again.
  tokenValue.value = '';
  tokenBox.hidden = true;
});

load();
