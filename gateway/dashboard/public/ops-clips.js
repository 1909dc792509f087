// Ops page: disk used by evidence clips against their bound, and each camera's clip buffer. Refreshed every 10 s.
import { api, fmtNumber, h, t } from './app.js';

const box = document.getElementById('clips-usage');
const REFRESH_MS = 10_000;
const fmtBytes = (n) => (n >= 2 ** 30 ? `${fmtNumber(n / 2 ** 30, 2)} GiB` : `${fmtNumber(n / 2 ** 20, 1)} MiB`);

function render(u) {
  if (!u.enabled) return box.replaceChildren(h('p', { class: 'muted', text: t('clips.ops.disabled') }));
  const cols = ['camera', 'recording', 'codec', 'segments', 'bytes', 'span'];
  box.replaceChildren(
    h('dl', { class: 'figures' }, h('dt', { text: t('clips.ops.used') }), h('dd', { id: 'clips-used', dataset: { bytes: String(u.clips.bytes) }, text: t('clips.ops.usedOf', { used: fmtBytes(u.clips.bytes), max: fmtBytes(u.clips.maxBytes), count: fmtNumber(u.clips.count) }) })),
    h(
      'table',
      { id: 'clip-buffers' },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', text: t(`clips.ops.col.${c}`) })))),
      h(
        'tbody',
        {},
        u.cameras.map((c) =>
          h(
            'tr',
            { dataset: { camera: c.cameraId } },
            h('td', { text: c.cameraId }),
            h('td', { text: c.unsupported ? t('clips.ops.unsupported', { reason: c.unsupported }) : c.paused ? t('clips.ops.paused', { reason: c.paused }) : t(c.recording ? 'clips.ops.yes' : 'clips.ops.no') }),
            h('td', { text: c.codec ?? '—' }),
            h('td', { text: fmtNumber(c.segments) }),
            h('td', { text: fmtBytes(c.bytes) }),
            h('td', { text: c.oldestMs !== null && c.newestMs !== null ? fmtNumber((c.newestMs - c.oldestMs) / 1000) : '—' }),
          ),
        ),
      ),
    ),
  );
}

async function refresh() {
  try {
    render(await api('/api/clips/usage'));
  } catch (err) {
    box.replaceChildren(h('p', { class: 'error', text: err.message }));
  }
}

void refresh();
setInterval(refresh, REFRESH_MS);
