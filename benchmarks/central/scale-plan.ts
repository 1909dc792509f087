import { percentile } from '../../gateway/util/percentile';

/** Pure helpers of the scale benchmark (scale.ts): timing summaries and reading EXPLAIN plans. */

export interface Timing {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export function summarize(ms: readonly number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { runs: sorted.length, p50Ms: round1(percentile(sorted, 50)), p95Ms: round1(percentile(sorted, 95)), maxMs: round1(sorted[sorted.length - 1] ?? 0) };
}

/** One node of `EXPLAIN (FORMAT JSON)` output, as far as this benchmark reads it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** Every scan in the plan: "Index Scan Backward on events using events_site_started". */
  scans: string[];
  indexes: string[];
  /** Sequential scans of tables listed as big (a finding). */
  bigSeqScans: string[];
  /** Rows the scans handed up plus rows their filters threw away: the work, not the answer. */
  rowsRead: number;
  rowsRemovedByFilter: number;
  sharedBlocks: number;
  executionMs: number;
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/** `plan` is the parsed output of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON): `[{ Plan, "Execution Time" }]`. */
export function summarizePlan(plan: unknown, bigTables: readonly string[]): PlanSummary {
  const top = (Array.isArray(plan) ? plan[0] : plan) as { Plan: PlanNode; 'Execution Time'?: number };
  const scans: string[] = [];
  const indexes = new Set<string>();
  const bigSeqScans: string[] = [];
  let rowsRead = 0;
  let removed = 0;
  walk(top.Plan, (n) => {
    const type = n['Node Type'];
    const index = n['Index Name'];
    if (type === 'Bitmap Index Scan' && index) {
      // Its rows are index entries; the Bitmap Heap Scan above counts the rows read.
      indexes.add(index);
      scans.push(`${type} using ${index}`);
      return;
    }
    if (!type.includes('Scan') || n['Relation Name'] === undefined) return;
    const loops = n['Actual Loops'] ?? 1;
    const rows = (n['Actual Rows'] ?? 0) * loops;
    const gone = (n['Rows Removed by Filter'] ?? 0) * loops;
    rowsRead += rows + gone;
    removed += gone;
    if (index) indexes.add(index);
    scans.push(`${type} on ${n['Relation Name']}${index ? ` using ${index}` : ''}`);
    if (type === 'Seq Scan' && bigTables.includes(n['Relation Name'])) bigSeqScans.push(n['Relation Name']);
  });
  return {
    scans,
    indexes: [...indexes],
    bigSeqScans,
    rowsRead,
    rowsRemovedByFilter: removed,
    sharedBlocks: (top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0),
    executionMs: round1(top['Execution Time'] ?? 0),
  };
}

/** Weighted pick by a uniform number in [0, 1): the SQL CASE the seed uses, for the report. */
export function caseSql(column: string, weights: ReadonlyArray<readonly [string, number]>): string {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let edge = 0;
  const arms = weights.slice(0, -1).map(([value, w]) => {
    edge += w / total;
    return `WHEN ${column} < ${edge.toFixed(6)} THEN '${value.replace(/'/g, "''")}'`;
  });
  return `CASE ${arms.join(' ')} ELSE '${weights[weights.length - 1]![0].replace(/'/g, "''")}' END`;
}
