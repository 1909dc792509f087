import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInfo } from '../lib/device';
import type { PlanSummary, Timing } from './scale-plan';
import type { SeedSizes } from './scale-seed';
import { scaleOpsSummary } from './scale-summary';

export interface CaseResult extends Timing {
  name: string;
  page: string;
  /** Run 0's request. */
  path: string;
  bytes: number;
  rows: number;
  /** p95 under the target. */
  underTarget: boolean;
  plans: Array<PlanSummary & { query: string }>;
}

export interface ScaleReport {
  date: string;
  device: DeviceInfo;
  postgres: string;
  sizes: SeedSizes;
  runs: number;
  targetMs: number;
  seed: { seconds: number; steps: Record<string, number>; rows: Record<string, number>; tableMiB: Array<{ table: string; mib: number }> };
  eventByIdRoute: boolean;
  results: CaseResult[];
  proposals: Array<{ name: string; table: string; sql: string; why: string; buildSeconds: number; results: CaseResult[] }>;
  /** Footfall across sites from a quarter-hour rollup (SQL straight through pg, not over HTTP). */
  rollup?: { name: string; setup: string[]; query: string; buildSeconds: number; currentSql: Timing & { rows: number }; rollupSql: Timing & { rows: number }; plan: PlanSummary };
  totalSeconds: number;
}

/** Repeated scans once, counted ("50 × Bitmap Index Scan using gateway_perf_pkey"): a BitmapOr of 50 ranges is one line. */
export function scanList(scans: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of scans) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => (n > 1 ? `${n} × ${s}` : s)).join(' + ');
}

function rows(results: readonly CaseResult[]): string[] {
  const out = ['| answer | p50 ms | p95 ms | max ms | rows | KiB | < target | scans (index) | rows read | filtered out | exec ms |', '|---|---:|---:|---:|---:|---:|:-:|---|---:|---:|---:|'];
  for (const r of results) {
    const plans = r.plans;
    out.push(
      `| ${r.name} | ${r.p50Ms} | ${r.p95Ms} | ${r.maxMs} | ${r.rows} | ${Math.round(r.bytes / 1024)} | ${r.underTarget ? 'yes' : '**no**'} | ${plans.map((p) => scanList(p.scans)).join('; ')}${plans.some((p) => p.bigSeqScans.length) ? ' **(seq scan of a big table)**' : ''} | ${plans.map((p) => p.rowsRead).join(' + ')} | ${plans.map((p) => p.rowsRemovedByFilter).join(' + ')} | ${plans.map((p) => p.executionMs).join(' + ')} |`,
    );
  }
  return out;
}

export function scaleMarkdown(r: ScaleReport): string {
  const d = r.device;
  const lines = [
    `# Central read API at province scale — ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${d.host}, ${d.cpuModel}, ${d.cores} cores, ${d.memoryGiB} GiB, Node ${d.node}, PostgreSQL ${r.postgres} (fsync and synchronous_commit on, shared_buffers 256MB), commit ${d.gitCommit}. ` +
      `Measured ${r.date}. \`npx tsx benchmarks/central/scale.ts\`.`,
    '',
    `Data: ${r.sizes.gateways} gateways (${r.sizes.gatewaysPerSite} per site), ${r.sizes.gateways * r.sizes.camerasPerGateway} cameras (states by signed heartbeats over HTTP), ` +
      `${r.seed.rows.events} events over ${r.sizes.days} days, ${r.seed.rows.records} records, ${r.seed.rows.queue_stats} queue_stats rows (${r.sizes.queueDays} day, every ${r.sizes.queueEvery}th gateway: a queue zone and an entrance line zone). ` +
      `Table sizes with indexes: ${r.seed.tableMiB.map((t) => `${t.table} ${t.mib} MiB`).join(', ')}.`,
    '',
    `Seeding took ${r.seed.seconds} s (${Object.entries(r.seed.steps).map(([k, v]) => `${k} ${v} s`).join(', ')}); the whole run ${r.totalSeconds} s.`,
    '',
    `Each answer: GET over HTTP on 127.0.0.1 with an API token, ${r.runs} runs after 2 warm-ups (runs vary the site, camera, window or cursor). Target: p95 under ${r.targetMs} ms. ` +
      `Plans: EXPLAIN (ANALYZE, BUFFERS) of the query behind the answer, run 0's parameters. GET /v1/events/:id ${r.eventByIdRoute ? 'exists and is timed' : 'does not exist on this central (not timed)'}.`,
    '',
    '## Baseline (the schema as migrated)',
    '',
    ...rows(r.results),
    '',
  ];
  if (r.proposals.length > 0) {
    lines.push('## PROPOSAL: indexes not in the migrations (created in this benchmark cluster only)', '');
    for (const p of r.proposals) {
      lines.push(`### ${p.name}`, '', `\`${p.sql}\` — built in ${p.buildSeconds} s over ${r.seed.rows[p.table] ?? '?'} ${p.table} rows. Why: ${p.why}.`, '', ...rows(p.results), '');
    }
  }
  if (r.rollup) {
    const x = r.rollup;
    lines.push(
      `### ${x.name}: footfall across sites from a quarter-hour rollup (SQL only)`,
      '',
      'Footfall across sites is aggregation-bound, so no index fixes it. A rollup with one row per line zone and quarter hour (the footfall query\'s own grouping), built here from queue_stats:',
      '',
      '```sql',
      ...x.setup.map((q) => `${q.replace(/\s+/g, ' ')};`),
      `${x.query.replace(/\s+/g, ' ')};`,
      '```',
      '',
      `All sites, 7 days, ${r.runs} runs through pg on the same connection (no HTTP): the central's footfall SQL p50 ${x.currentSql.p50Ms} ms, p95 ${x.currentSql.p95Ms} ms (${x.currentSql.rows} rows); ` +
        `the rollup's p50 ${x.rollupSql.p50Ms} ms, p95 ${x.rollupSql.p95Ms} ms (${x.rollupSql.rows} rows; ${x.plan.scans.join(' + ')}, ${x.plan.rowsRead} rows read). Built in ${x.buildSeconds} s.`,
      '',
    );
  }
  const missed = r.results.filter((x) => !x.underTarget).map((x) => x.name);
  const seq = r.results.filter((x) => x.plans.some((p) => p.bigSeqScans.length)).map((x) => x.name);
  lines.push(
    '## Findings',
    '',
    `- Over target (baseline): ${missed.length ? missed.join(', ') : 'none'}.`,
    `- Sequential scans of a big table (events, records, queue_stats): ${seq.length ? seq.join(', ') : 'none'}.`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** benchmarks/results/central-scale[-<tag>]-<date>-<host>.{json,md}: kind first, as per-section reports are named (a name starting with a date is the combined `npm run bench` report the ops page and the heartbeat read). */
export function writeScaleReport(r: ScaleReport, log: (line: string) => void, tag?: string): void {
  const base = join(import.meta.dirname, '..', 'results', `central-scale${tag ? `-${tag.replace(/[^a-z0-9-]/gi, '')}` : ''}-${r.date.slice(0, 10)}-${r.device.host}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...r, opsSummary: scaleOpsSummary(r) }, null, 2)}\n`);
  writeFileSync(`${base}.md`, scaleMarkdown(r));
  log(`wrote ${base}.json and .md`);
}
