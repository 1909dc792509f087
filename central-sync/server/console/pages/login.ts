import { html } from 'hono/html';
import type { Translate } from '../i18n';

/**
 * The login form: an API token (or the bootstrap admin token), or a console user's name and password.
 * login.js posts it as JSON. Should it ever be submitted natively (script not loaded yet, or not at
 * all), method=post keeps the secrets out of the URL; the button is disabled until login.js runs.
 */
export const loginBody = (t: Translate) => html`
<form id="login-form" class="card narrow" method="post" action="/console/login" autocomplete="on">
  <fieldset class="tabs">
    <label><input type="radio" name="mode" value="password" checked> ${t('login.byPassword')}</label>
    <label><input type="radio" name="mode" value="token"> ${t('login.byToken')}</label>
  </fieldset>
  <div data-mode="password">
    <label>${t('login.name')} <input type="text" name="name" autocomplete="username"></label>
    <label>${t('login.password')} <input type="password" name="password" autocomplete="current-password"></label>
  </div>
  <div data-mode="token" hidden>
    <label>${t('login.token')} <input type="password" name="token" autocomplete="off"></label>
  </div>
  <button type="submit" disabled>${t('login.submit')}</button>
  <p class="error" role="alert" id="login-error" hidden></p>
</form>`;
