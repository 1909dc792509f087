import { html } from 'hono/html';
import type { DashboardPage } from '../page';

/** Security's camera picker for the live view (filled by live.js from GET /api/cameras and the live feed). */
export const livePickerPage: DashboardPage = {
  path: '/live',
  roles: ['security'],
  title: 'live.title',
  nav: { label: 'common.nav.live', order: 4 },
  scripts: ['live.js'],
  styles: ['live.css'],
  body: ({ t }) => html`
<p class="error" role="alert" id="live-error" hidden></p>
<div id="live-cameras" class="grid live-cameras"><p class="muted">${t('common.loading')}</p></div>
<p class="muted">${t('live.pickerHint')}</p>`,
};

/**
 * One camera played live: MPEG-1 over the gateway's websocket /ws/live/<camera>, decoded by jsmpeg
 * onto the canvas (live-player.js). The relay runs while someone watches and stops when the last leaves.
 */
export const liveCameraPage: DashboardPage = {
  path: '/live/:camera',
  roles: ['security'],
  title: 'live.cameraTitle',
  scripts: ['live-player.js'],
  styles: ['live.css'],
  vendor: ['jsmpeg'],
  body: ({ t, params }) => html`
<div class="live-head" id="live-view" data-camera="${params.camera ?? ''}">
  <a href="/live" class="back">← ${t('live.back')}</a>
  <h2 id="live-camera-name">${params.camera ?? ''}</h2>
  <span id="camera-state" class="badge" data-state="">${t('common.loading')}</span>
  <span id="player-state" class="badge" data-state="connecting">${t('live.player.connecting')}</span>
  <span id="player-fps" class="muted"></span>
</div>
<p class="error" role="alert" id="live-error" hidden></p>
<div class="live-stage">
  <canvas id="live-canvas" width="640" height="360" aria-label="${t('live.canvasLabel', { camera: params.camera ?? '' })}"></canvas>
  <div id="live-overlay" class="live-overlay" hidden>
    <p id="live-message"></p>
    <button type="button" id="live-retry" class="secondary" hidden>${t('live.retry')}</button>
  </div>
</div>
<p class="muted">${t('live.privacy')}</p>`,
};
