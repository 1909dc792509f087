import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { opsSummary, type BenchFigure, type OpsSummary } from '../../../benchmarks/report/ops-summary';
import type { BenchReport } from '../../../benchmarks/report/types';

/** benchmarks/results in the repository: where `npm run bench` writes, read by the ops page and the heartbeat's bench headline. */
export const DEFAULT_BENCHMARKS_DIR = join(import.meta.dirname, '..', '..', '..', 'benchmarks', 'results');

export interface BenchmarkListing {
  file: string;
  kind: string;
  date: string | null;
}

export interface BenchmarkReport extends BenchmarkListing {
  device: Record<string, unknown> | null;
  /** The report of the same run as Markdown, where one sits beside the JSON. */
  markdown: string | null;
  /** The report's own opsSummary block, shown as is. */
  summary: OpsSummary;
  report: unknown;
  /** The newest report of every kind, newest first (for switching kinds). */
  available: BenchmarkListing[];
}

const MAX_MARKDOWN_CHARS = 200_000;
const MAX_REPORT_BYTES = 2 * 2 ** 20;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const scalar = (v: unknown): number | string | boolean | null => num(v) ?? str(v) ?? bool(v);

/** The combined report of `npm run bench` (benchmarks/report/types.ts), named <date>-<host>.json. */
const COMBINED_KIND = 'report';

/**
 * Accuracy results of `npm run eval` (eval-<date>-<host>.json) share the folder but are no throughput
 * report: the combined report of `npm run bench` carries their figures in its accuracy section.
 */
export const isAccuracyResult = (file: string): boolean => basename(file).startsWith('eval-');

/** `models-2026-11-22-vm.json` -> `models` (benchmarks/lib/results.ts); `2026-11-22-vm.json` -> the combined report. */
function kindOf(file: string): string {
  const name = basename(file).replace(/\.json$/, '');
  if (/^\d{4}-\d{2}-\d{2}/.test(name)) return COMBINED_KIND;
  return /^(.+?)-\d{4}-\d{2}-\d{2}(?:-|$)/.exec(name)?.[1] ?? name;
}

const Figure = z.object({
  label: z.string(),
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  unit: z.enum(['ms', 'fps', 'cameras', 'recordsPerSec', 'cores', 'seconds', 'inferencesPerSec', 'times']).optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
const Table = z.object({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))) });
const OpsSummaryBlock = z.object({ headline: z.array(Figure), tables: z.array(Table) });

/** A report without the block and not of the current format: its top-level plain values. */
function plainValues(r: Json): OpsSummary {
  const headline = Object.entries(r)
    .filter(([k, v]) => k !== 'date' && scalar(v) !== null)
    .slice(0, 20)
    .map(([name, v]): BenchFigure => ({ label: 'field', value: scalar(v), vars: { name } }));
  return { headline, tables: [] };
}

/**
 * What the ops page shows of a report: its opsSummary block as written by `npm run bench`; for a
 * report of the current format written before the block existed, the block computed by the same
 * function; otherwise its plain top-level values.
 */
function summaryOf(r: Json): OpsSummary {
  const block = OpsSummaryBlock.safeParse(r.opsSummary);
  if (block.success) return block.data;
  if (r.schema === 1) {
    try {
      return opsSummary(r as unknown as BenchReport);
    } catch {
      // Not the current format after all.
    }
  }
  return plainValues(r);
}

interface Loaded extends BenchmarkListing {
  path: string;
  report: Json;
  sortKey: number;
}

const cache = new Map<string, { stamp: string; loaded: Loaded | null }>();

function load(dir: string, file: string): Loaded | null {
  const path = join(dir, file);
  let stamp: string;
  let mtimeMs: number;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_REPORT_BYTES) return null;
    stamp = `${st.mtimeMs}:${st.size}`;
    mtimeMs = st.mtimeMs;
  } catch {
    return null;
  }
  const hit = cache.get(path);
  if (hit?.stamp === stamp) return hit.loaded;
  let loaded: Loaded | null = null;
  try {
    const report = obj(JSON.parse(readFileSync(path, 'utf8')));
    const date = str(report.date);
    const parsed = date ? Date.parse(date) : NaN;
    loaded = { path, file, kind: kindOf(file), date, report, sortKey: Number.isFinite(parsed) ? parsed : mtimeMs };
  } catch {
    loaded = null; // not JSON: not a report
  }
  cache.set(path, { stamp, loaded });
  return loaded;
}

/**
 * The newest benchmark report in `dir` (by the run date inside it, else the file time), or the
 * newest of one kind; undefined when there is none.
 */
export function latestBenchmark(dir: string, kind?: string): BenchmarkReport | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && !isAccuracyResult(f));
  } catch {
    return undefined;
  }
  const reports = files.map((f) => load(dir, f)).filter((r): r is Loaded => r !== null).sort((a, b) => b.sortKey - a.sortKey || b.file.localeCompare(a.file));
  const newestPerKind = new Map<string, Loaded>();
  for (const r of reports) if (!newestPerKind.has(r.kind)) newestPerKind.set(r.kind, r);
  const chosen = kind === undefined ? reports[0] : newestPerKind.get(kind);
  if (!chosen) return undefined;
  const mdPath = chosen.path.replace(/\.json$/, '.md');
  const markdown = existsSync(mdPath) ? readFileSync(mdPath, 'utf8').slice(0, MAX_MARKDOWN_CHARS) : null;
  const device = chosen.report.device && typeof chosen.report.device === 'object' ? obj(chosen.report.device) : null;
  return {
    file: chosen.file,
    kind: chosen.kind,
    date: chosen.date,
    device,
    markdown,
    summary: summaryOf(chosen.report),
    report: chosen.report,
    available: [...newestPerKind.values()].map((r) => ({ file: r.file, kind: r.kind, date: r.date })),
  };
}
