import { html } from 'hono/html';
import type { DashboardPage } from '../page';

const CAMERA_COLUMNS = ['camera', 'state', 'reason', 'inputFps', 'detectFps', 'dropped', 'reconnects', 'lastFrame', 'motionSkips', 'latency'] as const;

/** The ops engineer's page: camera health (live), process/host load, inference pool, sync and the latest benchmark (filled by ops.js). */
export const opsPage: DashboardPage = {
  path: '/ops',
  roles: ['ops'],
  title: 'ops.title',
  nav: { label: 'common.nav.ops', order: 5 },
  scripts: ['ops.js', 'ops-clips.js'],
  styles: ['ops.css', 'clips.css'],
  vendor: ['uplot'],
  body: ({ t }) => html`
<p class="ops-status">
  <span id="live-state" class="live-state badge" data-state="connecting">${t('ops.live.connecting')}</span>
  <span class="muted" id="updated-at"></span>
</p>
<p class="error" role="alert" id="ops-error" hidden></p>
<section aria-labelledby="cameras-heading">
  <h2 id="cameras-heading">${t('ops.cameras')}</h2>
  <div class="card table-wrap">
    <table id="camera-health">
      <thead><tr>${CAMERA_COLUMNS.map((c) => html`<th scope="col">${t(`ops.col.${c}`)}</th>`)}</tr></thead>
      <tbody><tr><td colspan="${CAMERA_COLUMNS.length}" class="muted">${t('common.loading')}</td></tr></tbody>
    </table>
  </div>
</section>
<section aria-labelledby="system-heading">
  <h2 id="system-heading">${t('ops.system')}</h2>
  <div class="grid ops-grid">
    <div class="card" id="system-cpu"><h3>${t('ops.cpu')}</h3><dl class="figures"></dl></div>
    <div class="card" id="system-memory"><h3>${t('ops.memory')}</h3><dl class="figures"></dl></div>
    <div class="card" id="system-inference"><h3>${t('ops.inference')}</h3><dl class="figures"></dl><div class="batches"></div></div>
    <div class="card" id="system-relays"><h3>${t('ops.relays')}</h3><div class="relays"></div></div>
  </div>
  <div class="card"><div id="system-chart" class="ops-chart" aria-label="${t('ops.chart.label')}"><p class="muted">${t('common.loading')}</p></div></div>
</section>
<section aria-labelledby="sync-heading">
  <h2 id="sync-heading">${t('ops.sync')}</h2>
  <div class="card" id="sync"><p class="muted">${t('common.loading')}</p></div>
</section>
<section aria-labelledby="clips-heading">
  <h2 id="clips-heading">${t('clips.ops.heading')}</h2>
  <div class="card" id="clips-usage"><p class="muted">${t('common.loading')}</p></div>
</section>
<section aria-labelledby="bench-heading">
  <h2 id="bench-heading">${t('ops.bench.heading')}</h2>
  <div class="card" id="benchmark"><p class="muted">${t('common.loading')}</p></div>
</section>`,
};
