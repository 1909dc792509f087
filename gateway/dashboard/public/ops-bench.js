// The newest benchmark report (GET /api/benchmarks/latest): run, machine, key figures, tables, Markdown.
import { api, fmtDateTime, fmtNumber, h, t, tOr } from './app.js';

const digitsFor = (n) => (Number.isInteger(n) || Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3);

function value(v) {
  if (v === null || v === undefined) return h('span', { class: 'muted', text: '—' });
  if (typeof v === 'boolean') return h('span', { class: `badge ${v ? 'ok' : 'bad'}`, text: t(v ? 'ops.bench.yes' : 'ops.bench.no') });
  if (typeof v === 'number') return fmtNumber(v, digitsFor(v));
  return String(v);
}

function machine(device) {
  if (!device) return '—';
  const parts = [device.host, device.cpuModel, device.cores !== undefined ? t('ops.bench.coresN', { n: device.cores }) : null, device.memoryGiB !== undefined ? `${device.memoryGiB} GiB` : null, device.node, device.ortVersion ? `onnxruntime ${device.ortVersion}` : null, Array.isArray(device.gpus) && device.gpus.length ? device.gpus.map((g) => g.name).join(', ') : null, device.gitCommit ? `git ${device.gitCommit}` : null];
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join(' · ');
}

function figure(f) {
  const unit = f.unit ? ` ${t(`ops.unit.${f.unit}`)}` : '';
  return h('div', { class: 'bench-figure', dataset: { label: f.label } }, h('span', { class: 'bench-value' }, value(f.value), typeof f.value === 'number' ? unit : ''), h('span', { class: 'bench-label', text: tOr(`ops.bench.${f.label}`, f.label, f.vars) }));
}

function table(tb) {
  return h(
    'div',
    { class: 'bench-table', dataset: { table: tb.title } },
    h('h3', { text: tOr(`ops.bench.table.${tb.title}`, tb.title) }),
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, tb.columns.map((c) => h('th', { text: tOr(`ops.bench.col.${c}`, c) })))), h('tbody', {}, tb.rows.map((row) => h('tr', {}, row.map((v) => h('td', {}, value(v))))))),
    ),
  );
}

function kindPicker(box, r) {
  if (!r.available || r.available.length < 2) return null;
  const select = h(
    'select',
    { id: 'bench-kind', onchange: (e) => load(box, e.target.value) },
    r.available.map((a) => h('option', { value: a.kind, selected: a.kind === r.kind, text: `${tOr(`ops.bench.kind.${a.kind}`, a.kind)}${a.date ? ` (${fmtDateTime(Date.parse(a.date))})` : ''}` })),
  );
  return h('label', { class: 'bench-kind' }, t('ops.bench.kindLabel'), ' ', select);
}

function draw(box, r) {
  const meta = h(
    'dl',
    { class: 'figures wide' },
    h('dt', { text: t('ops.bench.file') }),
    h('dd', { id: 'bench-file' }, h('code', { text: r.file })),
    h('dt', { text: t('ops.bench.date') }),
    h('dd', { id: 'bench-date', text: r.date ? fmtDateTime(Date.parse(r.date)) : '—' }),
    h('dt', { text: t('ops.bench.machine') }),
    h('dd', { id: 'bench-machine', text: machine(r.device) }),
  );
  const s = r.summary ?? { headline: [], tables: [] };
  box.replaceChildren(
    ...[
      kindPicker(box, r),
      h('h3', { id: 'bench-title', dataset: { kind: r.kind }, text: tOr(`ops.bench.kind.${r.kind}`, r.kind) }),
      meta,
      s.headline.length ? h('div', { class: 'bench-figures', id: 'bench-figures' }, s.headline.map(figure)) : null,
      ...s.tables.filter((tb) => tb.rows.length > 0).map(table),
      r.markdown ? h('details', { class: 'bench-markdown' }, h('summary', { text: t('ops.bench.markdown') }), h('pre', { text: r.markdown })) : null,
      h('details', { class: 'bench-raw' }, h('summary', { text: t('ops.bench.raw') }), h('pre', { text: JSON.stringify(r.report, null, 2) })),
    ].filter(Boolean),
  );
}

async function load(box, kind) {
  try {
    draw(box, await api(`/api/benchmarks/latest${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`));
  } catch (err) {
    box.replaceChildren(err.status === 404 ? h('p', { class: 'muted', id: 'bench-none', text: t('ops.bench.none') }) : h('p', { class: 'error', role: 'alert', text: t('common.error', { message: err.message }) }));
  }
}

export function renderBenchmark(box) {
  void load(box);
}
