import { html } from 'hono/html';
import type { DashboardPage } from '../page';

/**
 * "Add camera": find ONVIF cameras (or type an address), read a device's profiles with its
 * credentials, pick the sub-stream for detection, test a still, save (started at once), and the
 * camera list with configured and run-time cameras marked. Admin only; filled by cameras.js.
 */
export const camerasPage: DashboardPage = {
  path: '/admin/cameras',
  roles: [],
  title: 'cameras.title',
  nav: { label: 'cameras.nav', order: 7 },
  scripts: ['cameras.js'],
  styles: ['cameras.css'],
  body: ({ t }) => html`
<section class="card" id="find">
  <h2>${t('cameras.find.title')}</h2>
  <div class="filters">
    <button type="button" id="discover">${t('cameras.find.discover')}</button>
    <span id="discover-state" class="muted" role="status"></span>
  </div>
  <table id="devices" hidden>
    <thead><tr><th>${t('cameras.device.name')}</th><th>${t('cameras.device.hardware')}</th><th>${t('cameras.device.address')}</th><th></th></tr></thead>
    <tbody id="devices-body"></tbody>
  </table>
  <p class="error" role="alert" id="discover-error" hidden></p>
  <p class="muted">${t('cameras.find.manualNote')}</p>
</section>
<section class="card" id="login">
  <h2>${t('cameras.login.title')}</h2>
  <form id="login-form" class="filters" autocomplete="off">
    <label class="wide">${t('cameras.login.xaddr')} <input type="text" inputmode="url" name="xaddr" required maxlength="500" placeholder="http://192.168.1.64/onvif/device_service"></label>
    <label>${t('cameras.login.username')} <input type="text" name="username" required maxlength="64" autocomplete="off"></label>
    <label>${t('cameras.login.password')} <input type="password" name="password" maxlength="128" autocomplete="new-password"></label>
    <button type="submit">${t('cameras.login.submit')}</button>
  </form>
  <p class="error" role="alert" id="login-error" hidden></p>
  <div id="device-info" hidden>
    <p id="device-summary"></p>
    <table id="profiles">
      <thead><tr><th></th><th>${t('cameras.profile.name')}</th><th>${t('cameras.profile.encoding')}</th><th>${t('cameras.profile.resolution')}</th><th>${t('cameras.profile.fps')}</th><th>${t('cameras.profile.uri')}</th></tr></thead>
      <tbody id="profiles-body"></tbody>
    </table>
    <p class="muted">${t('cameras.profile.subNote')}</p>
  </div>
</section>
<section class="card" id="add">
  <h2>${t('cameras.add.title')}</h2>
  <form id="add-form" class="filters" autocomplete="off">
    <label class="wide">${t('cameras.add.url')} <input type="text" name="url" required maxlength="1000" placeholder="rtsp://192.168.1.64:554/Streaming/Channels/102"></label>
    <label>${t('cameras.login.username')} <input type="text" name="username" maxlength="64" autocomplete="off"></label>
    <label>${t('cameras.login.password')} <input type="password" name="password" maxlength="128" autocomplete="new-password"></label>
    <button type="button" id="test" class="secondary">${t('cameras.add.test')}</button>
  </form>
  <p id="test-state" class="muted" role="status"></p>
  <p class="error" role="alert" id="test-error" hidden></p>
  <img id="test-still" class="test-still" alt="${t('cameras.add.stillAlt')}" hidden>
  <form id="save-form" class="filters" autocomplete="off">
    <label>${t('cameras.add.id')} <input type="text" name="id" required maxlength="64"></label>
    <label>${t('cameras.add.name')} <input type="text" name="name" maxlength="120"></label>
    <label>${t('cameras.add.detectFps')} <input type="number" name="detectFps" min="0.1" max="30" step="any" placeholder="5"></label>
    <button type="submit" id="save">${t('cameras.add.save')}</button>
  </form>
  <p class="error" role="alert" id="save-error" hidden></p>
  <p class="ok" role="status" id="save-ok" hidden></p>
</section>
<section class="card">
  <h2>${t('cameras.list.title')}</h2>
  <table id="cameras-table">
    <thead><tr><th>${t('cameras.add.id')}</th><th>${t('cameras.add.name')}</th><th>${t('cameras.list.origin')}</th><th>${t('cameras.list.url')}</th><th>${t('cameras.list.added')}</th><th></th></tr></thead>
    <tbody id="cameras-body"></tbody>
  </table>
  <p class="error" role="alert" id="cameras-error" hidden></p>
</section>`,
};
