import type { OpsSummary } from '../report/ops-summary';
import type { ScaleReport } from './scale-report';

/**
 * The block the gateway's ops page shows of a scale report (every committed report carries one):
 * how many console answers met the target, the event list's and the fleet page's p95, and each answer's
 * timing with the index its query read.
 */
export function scaleOpsSummary(r: ScaleReport): OpsSummary {
  const p95Of = (name: string) => r.results.find((x) => x.name === name)?.p95Ms ?? null;
  const headline: OpsSummary['headline'] = [
    { label: 'scaleUnderTarget', value: r.results.filter((x) => x.underTarget).length, vars: { total: r.results.length, targetMs: r.targetMs, events: r.sizes.events, gateways: r.sizes.gateways } },
    { label: 'scaleEventsP95', value: p95Of('events: first page'), unit: 'ms' },
    // The fleet page's own answer where the report has it (issue 16), else the unpaged fleet.
    { label: 'scaleFleetP95', value: p95Of('fleet: first page (50)') ?? r.results.find((x) => x.page === 'fleet')?.p95Ms ?? null, unit: 'ms' },
    { label: 'duration', value: r.totalSeconds, unit: 'seconds' },
  ];
  const index = (x: ScaleReport['results'][number]) => [...new Set(x.plans.flatMap((p) => (p.indexes.length ? p.indexes : p.bigSeqScans.length ? ['seq scan'] : [])))].join(', ') || null;
  return {
    headline: headline.filter((f) => f.value !== null),
    tables: [
      {
        title: 'scaleAnswers',
        columns: ['answer', 'p50Ms', 'p95Ms', 'rowsRead', 'index', 'underTarget'],
        rows: r.results.map((x) => [x.name, x.p50Ms, x.p95Ms, x.plans.reduce((n, p) => n + (p.rowsRead ?? 0), 0), index(x), x.underTarget]),
      },
    ],
  };
}
