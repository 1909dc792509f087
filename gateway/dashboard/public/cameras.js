// "Add camera": discovery → device login → profiles → test still → save; and the camera list.
import { api, fmtDateTime, h, showError, t } from './app.js';

const $ = (id) => document.getElementById(id);
const loginForm = $('login-form');
const addForm = $('add-form');
const saveForm = $('save-form');
const still = $('test-still');
/** The device the chosen stream came from (stored with the camera), if any. */
let chosenDevice;

function field(form, name) {
  return form.elements.namedItem(name);
}

function useDevice(device) {
  field(loginForm, 'xaddr').value = device.xaddr;
  field(loginForm, 'username').focus();
  $('login').scrollIntoView({ block: 'nearest' });
}

$('discover').addEventListener('click', async () => {
  const button = $('discover');
  button.disabled = true;
  $('discover-state').textContent = t('cameras.find.searching');
  showError($('discover-error'), null);
  try {
    const { devices } = await api('/api/admin/discovery', { method: 'POST' });
    $('devices-body').replaceChildren(
      ...devices.map((d) =>
        h(
          'tr',
          { dataset: { endpoint: d.endpoint } },
          h('td', { text: d.name ?? '—' }),
          h('td', { text: d.hardware ?? '—' }),
          h('td', { class: 'uri', text: d.xaddr }),
          h('td', {}, h('button', { type: 'button', class: 'secondary', text: t('cameras.find.use'), onclick: () => useDevice(d) })),
        ),
      ),
    );
    $('devices').hidden = devices.length === 0;
    $('discover-state').textContent = devices.length ? t('cameras.find.found', { n: devices.length }) : t('cameras.find.none');
  } catch (err) {
    $('discover-state').textContent = '';
    showError($('discover-error'), err);
  } finally {
    button.disabled = false;
  }
});

function chooseProfile(profile, login) {
  field(addForm, 'url').value = profile.uri;
  field(addForm, 'username').value = login.username;
  field(addForm, 'password').value = login.password;
  chosenDevice = login.xaddr;
  for (const tr of $('profiles-body').children) tr.classList.toggle('chosen', tr.dataset.token === profile.token);
}

function profileRow(profile, login, checked) {
  const radio = h('input', { type: 'radio', name: 'profile', value: profile.token, disabled: !profile.uri, checked, 'aria-label': profile.name });
  radio.addEventListener('change', () => chooseProfile(profile, login));
  const size = profile.width && profile.height ? `${profile.width}×${profile.height}` : '—';
  return h(
    'tr',
    { dataset: { token: profile.token } },
    h('td', {}, radio),
    h('td', { text: profile.name }),
    h('td', { text: profile.encoding ?? '—' }),
    h('td', { text: size }),
    h('td', { text: profile.fps ?? '—' }),
    h('td', { class: 'uri', text: profile.uri ?? profile.uriError ?? '—' }),
  );
}

loginForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const login = { xaddr: field(loginForm, 'xaddr').value.trim(), username: field(loginForm, 'username').value, password: field(loginForm, 'password').value };
  const submit = loginForm.querySelector('button[type=submit]');
  submit.disabled = true;
  showError($('login-error'), null);
  $('device-info').hidden = true;
  try {
    const device = await api('/api/admin/discovery/device', { method: 'POST', body: login });
    $('device-summary').textContent = t('cameras.device.summary', { manufacturer: device.manufacturer || '—', model: device.model || '—', firmware: device.firmware || '—' });
    // The smallest profile with a URI is the sub-stream: detection needs no more than 640x360.
    const usable = device.profiles.filter((p) => p.uri);
    const sub = [...usable].sort((a, b) => (a.width ?? 1e9) * (a.height ?? 1e9) - (b.width ?? 1e9) * (b.height ?? 1e9))[0];
    $('profiles-body').replaceChildren(...device.profiles.map((p) => profileRow(p, login, p === sub)));
    if (sub) chooseProfile(sub, login);
    $('device-info').hidden = false;
  } catch (err) {
    showError($('login-error'), err);
  } finally {
    submit.disabled = false;
  }
});

function streamBody() {
  const body = { url: field(addForm, 'url').value.trim() };
  const username = field(addForm, 'username').value;
  const password = field(addForm, 'password').value;
  if (username) body.username = username;
  if (username && password) body.password = password;
  return body;
}

$('test').addEventListener('click', async () => {
  if (!addForm.reportValidity()) return;
  const button = $('test');
  button.disabled = true;
  $('test-state').textContent = t('cameras.add.testing');
  showError($('test-error'), null);
  try {
    const blob = await api('/api/admin/cameras/test', { method: 'POST', body: streamBody() });
    if (still.src) URL.revokeObjectURL(still.src);
    still.src = URL.createObjectURL(blob);
    still.hidden = false;
    $('test-state').textContent = t('cameras.add.testOk');
  } catch (err) {
    still.hidden = true;
    $('test-state').textContent = '';
    showError($('test-error'), err);
  } finally {
    button.disabled = false;
  }
});

// A URL typed by hand is no longer the discovered device's.
field(addForm, 'url').addEventListener('input', () => (chosenDevice = undefined));

saveForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!addForm.reportValidity()) return;
  const body = { ...streamBody(), id: field(saveForm, 'id').value.trim() };
  const name = field(saveForm, 'name').value.trim();
  const fps = field(saveForm, 'detectFps').value;
  if (name) body.name = name;
  if (fps) body.detectFps = Number(fps);
  if (chosenDevice) body.device = chosenDevice;
  showError($('save-error'), null);
  $('save-ok').hidden = true;
  $('save').disabled = true;
  try {
    const { camera } = await api('/api/admin/cameras', { method: 'POST', body });
    const zones = h('a', { href: `/admin/zones?camera=${encodeURIComponent(camera.id)}`, id: 'draw-zones', text: t('cameras.add.drawZones') });
    $('save-ok').replaceChildren(t('cameras.add.saved', { id: camera.id }), ' ', zones);
    $('save-ok').hidden = false;
    saveForm.reset();
    await loadCameras();
  } catch (err) {
    showError($('save-error'), err);
  } finally {
    $('save').disabled = false;
  }
});

function cameraRow(camera) {
  const origin = camera.origin === 'config' ? t('cameras.list.config') : t('cameras.list.runtime');
  const added = camera.origin === 'runtime' ? t('cameras.list.addedBy', { user: camera.addedBy, at: fmtDateTime(camera.addedAt) }) : '—';
  const actions = h('td', { class: 'actions' });
  if (camera.origin === 'runtime') {
    const remove = h('button', { type: 'button', class: 'danger', text: t('cameras.list.remove') });
    remove.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'danger', text: t('cameras.list.confirmRemove', { id: camera.id }) });
      const no = h('button', { type: 'button', class: 'secondary', text: t('cameras.list.cancel') });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await api(`/api/admin/cameras/${encodeURIComponent(camera.id)}`, { method: 'DELETE' });
          await loadCameras();
        } catch (err) {
          showError($('cameras-error'), err);
          yes.disabled = false;
        }
      });
      no.addEventListener('click', () => actions.replaceChildren(remove));
      actions.replaceChildren(yes, no);
    });
    actions.append(remove);
  }
  return h(
    'tr',
    { dataset: { camera: camera.id, origin: camera.origin }, class: camera.shadowed ? 'shadowed' : undefined, title: camera.shadowed ? t('cameras.list.shadowed') : undefined },
    h('td', { text: camera.id }),
    h('td', { text: camera.name ?? '' }),
    h('td', {}, h('span', { class: `badge ${camera.origin === 'runtime' ? 'ok' : ''}`, text: origin })),
    h('td', { class: 'url', text: camera.url }),
    h('td', { text: added }),
    actions,
  );
}

async function loadCameras() {
  try {
    const { cameras } = await api('/api/admin/cameras');
    $('cameras-body').replaceChildren(...cameras.map(cameraRow));
    showError($('cameras-error'), null);
  } catch (err) {
    showError($('cameras-error'), err);
  }
}

void loadCameras();
