import { html } from 'hono/html';
import type { Translate } from '../i18n';

export const loginBody = (t: Translate) => html`
<form id="login-form" class="card narrow" autocomplete="on">
  <fieldset class="tabs">
    <label><input type="radio" name="mode" value="token" checked> ${t('login.byToken')}</label>
    <label><input type="radio" name="mode" value="password"> ${t('login.byPassword')}</label>
  </fieldset>
  <div data-mode="token">
    <label>${t('login.token')} <input type="password" name="token" autocomplete="current-password"></label>
  </div>
  <div data-mode="password" hidden>
    <label>${t('login.name')} <input type="text" name="name" autocomplete="username"></label>
    <label>${t('login.password')} <input type="password" name="password" autocomplete="current-password"></label>
  </div>
  <button type="submit">${t('login.submit')}</button>
  <p class="error" role="alert" id="login-error" hidden></p>
</form>`;
