import { api, fmtTime, h, showError, t } from './app.js';

// The admin page: enrolment tokens, gateways, API tokens, console users and the recent audit trail.
// Secrets (new tokens) are shown once, in #shown-once, never stored by the page.

const error = document.getElementById('admin-error');
const $ = (id) => document.getElementById(id);
const roleText = (role) => t(`common.role.${role}`);

/** Runs an action, reporting its failure in the page's alert (and clearing an earlier one on success). */
async function attempt(fn) {
  try {
    await fn();
    showError(error, null);
  } catch (err) {
    showError(error, err);
  }
}

function showOnce(title, secret) {
  $('shown-once-title').textContent = title;
  $('shown-once-value').textContent = secret;
  $('shown-once').hidden = false;
  $('shown-once-copy').textContent = t('admin.copy');
}
$('shown-once-copy').addEventListener('click', async () => {
  await navigator.clipboard?.writeText($('shown-once-value').textContent).catch(() => undefined);
  $('shown-once-copy').textContent = t('admin.copied');
});
$('shown-once-close').addEventListener('click', () => {
  $('shown-once-value').textContent = '';
  $('shown-once').hidden = true;
});

/** A table body's rows, or one row saying there are none. */
function fill(tbody, rows) {
  const columns = tbody.closest('table')?.querySelectorAll('thead th').length ?? 1;
  tbody.replaceChildren(...(rows.length ? rows : [h('tr', { class: 'empty' }, h('td', { colspan: columns, class: 'muted', text: t('common.none') }))]));
}

const formJson = (form) => Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== '').map(([k, v]) => [k, String(v).trim()]));

// ---- enrolment tokens
async function loadEnrolments() {
  const { enrolments } = await api('/v1/admin/enrolments?limit=100');
  fill(
    $('enrolment-rows'),
    enrolments.map((e) =>
      h(
        'tr',
        { dataset: { site: e.siteId, state: e.state } },
        h('td', {}, h('strong', { text: e.siteId }), ' ', h('span', { class: 'muted', text: e.siteName })),
        h('td', { text: fmtTime(e.createdAt) }),
        h('td', { text: fmtTime(e.expiresAt) }),
        h(
          'td',
          {},
          h('span', {
            class: `badge ${e.state === 'used' ? 'ok' : e.state === 'expired' ? 'bad' : 'warn'}`,
            text: e.state === 'used' ? t('admin.enrolments.used', { gateway: e.gatewayName ?? e.gatewayId ?? '?', at: fmtTime(e.usedAt) }) : t(`admin.enrolments.${e.state}`),
          }),
        ),
      ),
    ),
  );
}
$('enrolment-form').addEventListener('submit', (e) => {
  e.preventDefault();
  attempt(async () => {
    const body = formJson(e.target);
    if (body.ttlHours) body.ttlHours = Number(body.ttlHours);
    const created = await api('/v1/admin/enrolments', { method: 'POST', body });
    showOnce(t('admin.enrolments.created', { site: created.siteId }), created.token);
    e.target.reset();
    await Promise.all([loadEnrolments(), loadAudit()]);
  });
});

/**
 * The state badge and the Revoke button of a gateway or API token row (messages admin.<ns>.active,
 * .revoked, .revoke); the button confirms, posts to `path`, then reloads the table and the audit.
 */
function revocableCells(ns, revokedAt, confirmText, path, reload) {
  const revoked = revokedAt !== null;
  return [
    h('td', {}, h('span', { class: `badge ${revoked ? 'bad' : 'ok'}`, text: revoked ? t(`admin.${ns}.revoked`, { at: fmtTime(revokedAt) }) : t(`admin.${ns}.active`) })),
    h(
      'td',
      { class: 'actions' },
      revoked
        ? ''
        : h('button', {
            type: 'button',
            class: 'danger revoke',
            'data-action': 'revoke',
            text: t(`admin.${ns}.revoke`),
            onclick: () => {
              if (!confirm(confirmText)) return;
              attempt(async () => {
                await api(path, { method: 'POST' });
                await Promise.all([reload(), loadAudit()]);
              });
            },
          }),
    ),
  ];
}

// ---- gateways (a province has about a thousand: the filter narrows the table as you type)
const gatewayFilter = $('gateway-filter');
function applyGatewayFilter() {
  const needle = gatewayFilter.value.trim().toLowerCase();
  const rows = [...$('gateway-rows').querySelectorAll('tr[data-gateway]')];
  let shown = 0;
  for (const row of rows) {
    row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
    if (!row.hidden) shown += 1;
  }
  $('gateway-count').textContent = rows.length ? t('admin.gateways.count', { shown, total: rows.length }) : '';
}
gatewayFilter.addEventListener('input', applyGatewayFilter);

async function loadGateways() {
  const { gateways } = await api('/v1/admin/gateways');
  fill(
    $('gateway-rows'),
    gateways.map((g) => {
      const revoked = g.revokedAt !== null;
      return h(
        'tr',
        { dataset: { gateway: g.id, state: revoked ? 'revoked' : 'active' } },
        h('td', {}, h('code', { text: g.id })),
        h('td', { text: g.name }),
        h('td', {}, h('strong', { text: g.siteId }), ' ', h('span', { class: 'muted', text: g.siteName })),
        h('td', { text: fmtTime(g.createdAt) }),
        ...revocableCells('gateways', g.revokedAt, t('admin.gateways.confirmRevoke', { id: g.id }), `/v1/admin/gateways/${encodeURIComponent(g.id)}/revoke`, loadGateways),
      );
    }),
  );
  applyGatewayFilter();
}

// ---- API tokens
async function loadTokens() {
  const { tokens } = await api('/v1/admin/tokens');
  fill(
    $('token-rows'),
    tokens.map((tk) => {
      const revoked = tk.revokedAt !== null;
      return h(
        'tr',
        { dataset: { token: String(tk.id), name: tk.name, state: revoked ? 'revoked' : 'active' } },
        h('td', { text: tk.name }),
        h('td', { text: roleText(tk.role) }),
        h('td', { text: fmtTime(tk.createdAt) }),
        ...revocableCells('tokens', tk.revokedAt, t('admin.tokens.confirmRevoke', { name: tk.name }), `/v1/admin/tokens/${tk.id}/revoke`, loadTokens),
      );
    }),
  );
}
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  attempt(async () => {
    const created = await api('/v1/admin/tokens', { method: 'POST', body: formJson(e.target) });
    showOnce(t('admin.tokens.created', { name: created.name }), created.token);
    e.target.reset();
    await Promise.all([loadTokens(), loadAudit()]);
  });
});

// ---- console users
const userPath = (name, action) => `/v1/admin/users/${encodeURIComponent(name)}/${action}`;

function userRow(u) {
  const disabled = u.disabledAt !== null;
  const role = h('select', { class: 'role', 'aria-label': t('admin.role') }, ...['security', 'ops', 'admin'].map((r) => h('option', { value: r, text: roleText(r), selected: r === u.role })));
  role.addEventListener('change', () => {
    if (!confirm(t('admin.users.confirmRole', { name: u.name, role: roleText(role.value) }))) {
      role.value = u.role;
      return;
    }
    attempt(async () => {
      try {
        await api(userPath(u.name, 'role'), { method: 'POST', body: { role: role.value } });
      } finally {
        // Refused or not, the selector shows the role as stored.
        await Promise.all([loadUsers(), loadAudit()]);
      }
    });
  });
  const newPassword = h('input', { type: 'password', class: 'new-password', minlength: 10, maxlength: 256, autocomplete: 'new-password', hidden: true, 'aria-label': t('admin.users.password') });
  const save = h('button', {
    type: 'button',
    class: 'save-password',
    hidden: true,
    text: t('admin.users.resetPassword'),
    onclick: () =>
      attempt(async () => {
        await api(userPath(u.name, 'password'), { method: 'POST', body: { password: newPassword.value } });
        newPassword.value = '';
        await Promise.all([loadUsers(), loadAudit()]);
        $('admin-status').hidden = false;
        $('admin-status').textContent = t('admin.users.passwordReset', { name: u.name });
      }),
  });
  return h(
    'tr',
    { dataset: { user: u.name, role: u.role, state: disabled ? 'disabled' : 'active' } },
    h('td', { text: u.name }),
    h('td', {}, role),
    h('td', { text: fmtTime(u.createdAt) }),
    h('td', {}, h('span', { class: `badge ${disabled ? 'bad' : 'ok'}`, text: disabled ? t('admin.users.disabled') : t('admin.users.active') })),
    h(
      'td',
      { class: 'actions' },
      disabled
        ? h('button', { type: 'button', class: 'secondary enable', 'data-action': 'enable', text: t('admin.users.enable'), onclick: () => attempt(async () => { await api(userPath(u.name, 'enable'), { method: 'POST' }); await Promise.all([loadUsers(), loadAudit()]); }) })
        : h('button', {
            type: 'button',
            class: 'danger disable',
            'data-action': 'disable',
            text: t('admin.users.disable'),
            onclick: () => {
              if (!confirm(t('admin.users.confirmDisable', { name: u.name }))) return;
              attempt(async () => {
                await api(userPath(u.name, 'disable'), { method: 'POST' });
                await Promise.all([loadUsers(), loadAudit()]);
              });
            },
          }),
      h('button', {
        type: 'button',
        class: 'secondary reset-password',
        text: t('admin.users.resetPassword'),
        onclick: () => {
          newPassword.hidden = save.hidden = false;
          newPassword.focus();
        },
      }),
      newPassword,
      save,
    ),
  );
}
async function loadUsers() {
  const { users } = await api('/v1/admin/users');
  fill($('user-rows'), users.map(userRow));
}
$('user-form').addEventListener('submit', (e) => {
  e.preventDefault();
  attempt(async () => {
    const body = Object.fromEntries(new FormData(e.target));
    await api('/v1/admin/users', { method: 'POST', body: { name: String(body.name).trim(), role: body.role, password: String(body.password) } });
    e.target.reset();
    await Promise.all([loadUsers(), loadAudit()]);
  });
});

// ---- audit trail, newest first
let auditCursor = null;
const auditRow = (a) =>
  h(
    'tr',
    { dataset: { action: a.action } },
    h('td', { text: fmtTime(a.at) }),
    h('td', { text: a.actor }),
    h('td', {}, h('code', { text: a.action })),
    h('td', { text: a.target ?? '' }),
  );
async function loadAudit(more = false) {
  const page = await api(`/v1/admin/audit?limit=25${more && auditCursor ? `&cursor=${encodeURIComponent(auditCursor)}` : ''}`);
  const rows = page.entries.map(auditRow);
  if (more) $('audit-rows').append(...rows);
  else fill($('audit-rows'), rows);
  auditCursor = page.nextCursor;
  $('audit-more').hidden = !auditCursor;
}
$('audit-more').addEventListener('click', () => attempt(() => loadAudit(true)));

attempt(() => Promise.all([loadEnrolments(), loadGateways(), loadTokens(), loadUsers(), loadAudit()]));
