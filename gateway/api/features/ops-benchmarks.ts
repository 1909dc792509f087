import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A headline number of a report; `label` is a message key under `ops.bench.`. */
export interface BenchFigure {
  label: string;
  value: number | string | boolean | null;
  unit?: 'ms' | 'fps' | 'cameras' | 'recordsPerSec' | 'cores' | 'seconds' | 'inferencesPerSec' | 'times';
  vars?: Record<string, string | number>;
}

/** A table of a report; `title` and `columns` are message keys under `ops.bench.table.` and `ops.bench.col.`. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: Array<Array<number | string | boolean | null>>;
}

export interface BenchSummary {
  headline: BenchFigure[];
  tables: BenchTable[];
}

export interface BenchmarkListing {
  file: string;
  kind: string;
  date: string | null;
}

export interface BenchmarkReport extends BenchmarkListing {
  device: Record<string, unknown> | null;
  /** The report of the same run as Markdown, where one sits beside the JSON. */
  markdown: string | null;
  summary: BenchSummary;
  report: unknown;
  /** The newest report of every kind, newest first (for switching kinds). */
  available: BenchmarkListing[];
}

const MAX_MARKDOWN_CHARS = 200_000;
const MAX_REPORT_BYTES = 2 * 2 ** 20;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const scalar = (v: unknown): number | string | boolean | null => num(v) ?? str(v) ?? bool(v);

/** The combined report of `npm run bench` (benchmarks/report/types.ts), named <date>-<host>.json. */
const COMBINED_KIND = 'report';

/** `models-2026-11-22-vm.json` -> `models` (benchmarks/lib/results.ts); `2026-11-22-vm.json` -> the combined report. */
function kindOf(file: string): string {
  const name = basename(file).replace(/\.json$/, '');
  if (/^\d{4}-\d{2}-\d{2}/.test(name)) return COMBINED_KIND;
  return /^(.+?)-\d{4}-\d{2}-\d{2}(?:-|$)/.exec(name)?.[1] ?? name;
}

function summarizeModels(r: Json): BenchSummary {
  const rows: BenchTable['rows'] = [];
  const headline: BenchFigure[] = [];
  for (const model of arr(r.models).map(obj)) {
    const name = str(model.name) ?? '?';
    let best: Json | undefined;
    let bestThreads: number | null = null;
    for (const figure of arr(model.figures).map(obj)) {
      const b = obj(figure.best);
      rows.push([name, num(figure.threads), num(b.batch), num(b.msPerInference), num(b.p99Ms), num(b.inferencesPerSecond)]);
      if (!best || (num(b.msPerInference) ?? Infinity) < (num(best.msPerInference) ?? Infinity)) {
        best = b;
        bestThreads = num(figure.threads);
      }
    }
    if (best) headline.push({ label: 'modelMs', value: num(best.msPerInference), unit: 'ms', vars: { name, threads: bestThreads ?? '?', batch: num(best.batch) ?? '?' } });
  }
  const stages: BenchTable['rows'] = [];
  const wasm = obj(r.tfjsWasmCenternet);
  if (num(wasm.medianMs) !== null) stages.push(['tfjs-wasm centernet', num(wasm.medianMs), num(wasm.p99Ms)]);
  for (const entry of [...arr(r.faceEngine), ...arr(r.watchlist)].map(obj)) {
    const stats = obj(entry.stats);
    stages.push([str(entry.name) ?? '?', num(stats.medianMs), num(stats.p99Ms)]);
  }
  const tables: BenchTable[] = [{ title: 'models', columns: ['model', 'threads', 'batch', 'msPerInference', 'p99Ms', 'inferencesPerSec'], rows }];
  if (stages.length) tables.push({ title: 'stages', columns: ['stage', 'medianMs', 'p99Ms'], rows: stages });
  return { headline, tables };
}

function summarizeGateway(r: Json): BenchSummary {
  const sustained = obj(r.sustained);
  const pool = obj(r.pool);
  const runs = [...arr(r.full), ...arr(r.gated)].map(obj);
  return {
    headline: [
      { label: 'sustainedEveryFrame', value: num(sustained.everyFrame), unit: 'cameras' },
      { label: 'sustainedMotionGate', value: num(sustained.motionGateHalfStatic), unit: 'cameras' },
      { label: 'pool', value: `${num(pool.workers) ?? '?'} × ${num(pool.threadsPerWorker) ?? '?'}` },
      { label: 'measureSeconds', value: num(r.measureSeconds), unit: 'seconds' },
    ],
    tables: [
      {
        title: 'gatewayRuns',
        columns: ['cameras', 'motionGate', 'staticCameras', 'minDetectFps', 'meanDetectFps', 'latencyP99Ms', 'cpuCores', 'rssEndMiB', 'sustained'],
        rows: runs.map((x) => [num(x.cameras), bool(x.motionGate), num(x.staticCameras), num(x.minDetectFps), num(x.meanDetectFps), num(x.latencyP99Ms), num(x.cpuCores), num(x.rssEndMiB), bool(x.sustained)]),
      },
    ],
  };
}

function summarizeStreams(r: Json): BenchSummary {
  const capacity = obj(r.capacity);
  return {
    headline: [
      { label: 'sustainedCameras', value: num(capacity.sustained), unit: 'cameras' },
      { label: 'ffmpeg', value: str(r.ffmpeg)?.replace(/ Copyright.*$/, '') ?? null },
      { label: 'measureSeconds', value: num(r.measureSeconds), unit: 'seconds' },
    ],
    tables: [
      { title: 'decode', columns: ['resolution', 'mode', 'coresPerCamera', 'deliveredFps'], rows: arr(r.decode).map(obj).map((d) => [str(d.resolution), str(d.mode), num(d.coreSecondsPerSecond), num(d.deliveredFps)]) },
      { title: 'capacity', columns: ['cameras', 'minFps', 'dropped', 'cpuPerCamera', 'ok'], rows: arr(capacity.steps).map(obj).map((s) => [num(s.cameras), num(s.minFps), num(s.dropped), num(s.cpuPerCamera), bool(s.ok)]) },
    ],
  };
}

function summarizeCentral(r: Json): BenchSummary {
  const results = obj(r.results);
  const met = obj(r.met);
  const headline: BenchFigure[] = [];
  const ingest: BenchTable['rows'] = [];
  const drain: BenchTable['rows'] = [];
  for (const [store, value] of Object.entries(results)) {
    const result = obj(value);
    const runs = arr(result.ingest).map(obj);
    const one = runs.find((x) => num(x.gateways) === 1) ?? runs[0];
    if (one) headline.push({ label: 'ingest', value: num(one.recordsPerSec), unit: 'recordsPerSec', vars: { store, gateways: num(one.gateways) ?? '?' } });
    const d = obj(result.drain);
    if (num(d.seconds) !== null) headline.push({ label: 'drain', value: num(d.seconds), unit: 'seconds', vars: { store, records: num(d.records) ?? '?' } });
    for (const x of runs) ingest.push([store, num(x.gateways), num(x.recordsPerSec), num(x.p50Ms), num(x.p99Ms), num(x.serverCpuCores)]);
    if (num(d.records) !== null) drain.push([store, num(d.records), num(d.seconds), num(d.recordsPerSec), num(d.p99Ms), num(d.serverCpuCores)]);
    if (bool(met[store]) !== null) headline.push({ label: 'targetMet', value: bool(met[store]), vars: { store } });
  }
  return {
    headline,
    tables: [
      { title: 'ingest', columns: ['store', 'gateways', 'recordsPerSec', 'p50Ms', 'p99Ms', 'serverCpuCores'], rows: ingest },
      { title: 'drain', columns: ['store', 'records', 'seconds', 'recordsPerSec', 'p99Ms', 'serverCpuCores'], rows: drain },
    ],
  };
}

const stepRow = (x: Json): BenchTable['rows'][number] => [num(x.cameras), num(x.staticCameras), num(x.minFps), num(x.latencyP50Ms), num(x.latencyP99Ms), num(x.cpuCores), num(x.rssMiB), bool(x.sustained)];
const STEP_COLUMNS = ['cameras', 'staticCameras', 'minDetectFps', 'latencyP50Ms', 'latencyP99Ms', 'cpuCores', 'rssEndMiB', 'sustained'];

/** The combined report: every section optional, its own summary against the OpenCV baseline. */
function summarizeCombined(r: Json): BenchSummary {
  const summary = obj(r.summary);
  const cameras = obj(summary.cameras);
  const models = obj(r.models);
  const decode = obj(r.decode);
  const e2e = obj(r.endToEnd);
  const central = obj(r.central);
  const headline: BenchFigure[] = [
    { label: 'sustainedEveryFrame', value: num(cameras.ours) ?? num(obj(e2e.everyFrame).sustained), unit: 'cameras' },
    { label: 'sustainedMotionGate', value: num(obj(e2e.motionGate).sustained), unit: 'cameras' },
    { label: 'opencvCameras', value: num(cameras.opencv), unit: 'cameras' },
    { label: 'vsOpenCv', value: num(cameras.ratio), unit: 'times' },
    { label: 'detectFpsVsOpenCv', value: num(summary.detectFpsVsOpenCv), unit: 'times' },
    { label: 'ortVsTfjsWasm', value: num(summary.ortVsTfjsWasm), unit: 'times' },
    { label: 'equalAccuracy', value: bool(summary.equalAccuracy) },
    { label: 'goalMet', value: bool(summary.goalMet) },
    { label: 'decode720p', value: num(obj(decode.capacity720p).sustained), unit: 'cameras' },
  ];
  const bestByModel = new Map<string, Json>();
  const modelRows = arr(models.rows).map(obj);
  for (const row of modelRows) {
    const name = str(row.model) ?? '?';
    const seen = bestByModel.get(name);
    if (!seen || (num(obj(row.best).msPerInference) ?? Infinity) < (num(obj(seen.best).msPerInference) ?? Infinity)) bestByModel.set(name, row);
  }
  for (const [name, row] of bestByModel) {
    const best = obj(row.best);
    headline.push({ label: 'modelMs', value: num(best.msPerInference), unit: 'ms', vars: { name, threads: num(row.threads) ?? '?', batch: num(best.batch) ?? '?' } });
  }
  const backends = arr(central.backends).map(obj);
  for (const b of backends) {
    const store = str(b.backend) ?? '?';
    const one = arr(b.ingest).map(obj).find((x) => num(x.gateways) === 1);
    if (one) headline.push({ label: 'ingest', value: num(one.recordsPerSec), unit: 'recordsPerSec', vars: { store, gateways: 1 } });
    const d = obj(b.drain);
    if (num(d.seconds) !== null) headline.push({ label: 'drain', value: num(d.seconds), unit: 'seconds', vars: { store, records: num(d.records) ?? '?' } });
  }
  headline.push({ label: 'duration', value: num(r.durationSeconds), unit: 'seconds' });
  return {
    headline: headline.filter((f) => f.value !== null),
    tables: [
      {
        title: 'models',
        columns: ['model', 'provider', 'threads', 'p50Ms', 'p99Ms', 'batch', 'msPerInference', 'inferencesPerSec'],
        rows: modelRows.map((x) => [str(x.model), str(x.provider), num(x.threads), num(obj(x.batch1).p50Ms), num(obj(x.batch1).p99Ms), num(obj(x.best).batch), num(obj(x.best).msPerInference), num(obj(x.best).perSecond)]),
      },
      { title: 'stages', columns: ['stage', 'medianMs', 'p99Ms'], rows: arr(models.stages).map(obj).map((x) => [str(x.name), num(x.p50Ms), num(x.p99Ms)]) },
      { title: 'decode', columns: ['resolution', 'mode', 'coresPerCamera', 'deliveredFps'], rows: arr(decode.rows).map(obj).map((x) => [str(x.resolution), str(x.mode), num(x.coreSecondsPerCamera), num(x.deliveredFps)]) },
      { title: 'everyFrameRuns', columns: STEP_COLUMNS, rows: arr(obj(e2e.everyFrame).steps).map(obj).map(stepRow) },
      { title: 'motionGateRuns', columns: STEP_COLUMNS, rows: arr(obj(e2e.motionGate).steps).map(obj).map(stepRow) },
      { title: 'ingest', columns: ['store', 'gateways', 'recordsPerSec', 'p50Ms', 'p99Ms', 'serverCpuCores'], rows: backends.flatMap((b) => arr(b.ingest).map(obj).map((x) => [str(b.backend), num(x.gateways), num(x.recordsPerSec), num(x.p50Ms), num(x.p99Ms), num(x.serverCpuCores)])) },
      { title: 'drain', columns: ['store', 'records', 'seconds', 'recordsPerSec'], rows: backends.filter((b) => num(obj(b.drain).records) !== null).map((b) => [str(b.backend), num(obj(b.drain).records), num(obj(b.drain).seconds), num(obj(b.drain).recordsPerSec)]) },
      { title: 'notes', columns: ['note'], rows: arr(summary.notes).map((n) => [str(n)]) },
      { title: 'errors', columns: ['section', 'message'], rows: arr(r.errors).map(obj).map((e) => [str(e.section), str(e.message)]) },
    ],
  };
}

/** A kind this code does not know yet: its top-level plain values. */
function summarizeOther(r: Json): BenchSummary {
  const headline = Object.entries(r)
    .filter(([k, v]) => k !== 'date' && scalar(v) !== null)
    .slice(0, 20)
    .map(([name, v]): BenchFigure => ({ label: 'field', value: scalar(v), vars: { name } }));
  return { headline, tables: [] };
}

const SUMMARIES: Record<string, (r: Json) => BenchSummary> = { models: summarizeModels, gateway: summarizeGateway, streams: summarizeStreams, central: summarizeCentral };
/** Known kinds plus the combined report (not nested under a kind name, so apart from SUMMARIES). */
const summaryOf = (kind: string): ((r: Json) => BenchSummary) | undefined => (kind === COMBINED_KIND ? summarizeCombined : SUMMARIES[kind]);

/**
 * Key figures of a report. A kind not known here gets its plain top-level values, plus the figures
 * of any known report nested under its kind's name (a combined run: { models: {...}, gateway: {...} }).
 */
function summarizeBenchmark(kind: string, report: unknown): BenchSummary {
  const r = obj(report);
  const own = summaryOf(kind);
  if (own) return own(r);
  const parts = Object.entries(SUMMARIES)
    .filter(([name]) => r[name] && typeof r[name] === 'object' && !Array.isArray(r[name]))
    .map(([name, summarize]) => summarize(obj(r[name])));
  return { headline: [...summarizeOther(r).headline, ...parts.flatMap((p) => p.headline)], tables: parts.flatMap((p) => p.tables) };
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
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
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
    summary: summarizeBenchmark(chosen.kind, chosen.report),
    report: chosen.report,
    available: [...newestPerKind.values()].map((r) => ({ file: r.file, kind: r.kind, date: r.date })),
  };
}
