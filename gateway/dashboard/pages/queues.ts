import { html } from 'hono/html';
import type { DashboardPage } from '../page';

/** The supervisor's queue board: live zone tiles, today's charts and open queue alerts (filled by queues.js). */
export const queuesPage: DashboardPage = {
  path: '/queues',
  roles: ['supervisor', 'ops'],
  title: 'queues.title',
  nav: { label: 'common.nav.queues', order: 1 },
  scripts: ['queues.js'],
  styles: ['queues.css'],
  vendor: ['uplot'],
  body: ({ t }) => html`
<p class="queues-status">
  <span id="live-state" class="live-state badge" data-state="connecting">${t('queues.live.connecting')}</span>
  <span class="muted" id="updated-at"></span>
  <span class="muted legend">${t('queues.legend')}</span>
</p>
<p class="error" role="alert" id="queues-error" hidden></p>
<section aria-labelledby="zones-heading">
  <h2 id="zones-heading">${t('queues.zones')}</h2>
  <div id="cameras" class="queue-cameras"><p class="muted">${t('common.loading')}</p></div>
</section>
<section aria-labelledby="footfall-heading">
  <h2 id="footfall-heading">${t('queues.footfall')}</h2>
  <div id="footfall" class="queue-footfall"><p class="muted">${t('common.loading')}</p></div>
</section>
<section aria-labelledby="alerts-heading">
  <h2 id="alerts-heading">${t('queues.alerts')}</h2>
  <div id="alerts" class="card"><p class="muted">${t('common.loading')}</p></div>
</section>
<section aria-labelledby="charts-heading">
  <h2 id="charts-heading">${t('queues.today')}</h2>
  <div id="charts" class="queue-charts"></div>
</section>`,
};
