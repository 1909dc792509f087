/**
 * The block the gateway's ops page shows as is: headline figures and tables of a combined report.
 * Written into every report by `npm run bench`; the ops page computes it with this same function
 * for a report of the current format written before the block existed.
 */
import type { BenchReport, EndToEndStep } from './types';

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

export interface OpsSummary {
  headline: BenchFigure[];
  tables: BenchTable[];
}

const STEP_COLUMNS = ['cameras', 'staticCameras', 'minDetectFps', 'latencyP50Ms', 'latencyP99Ms', 'cpuCores', 'rssEndMiB', 'sustained'];
const stepRow = (x: EndToEndStep): BenchTable['rows'][number] => [x.cameras, x.staticCameras, x.minFps, x.latencyP50Ms, x.latencyP99Ms, x.cpuCores, x.rssMiB, x.sustained];

/** Headline figures (never null) and tables of a combined report; every section is optional. */
export function opsSummary(report: BenchReport): OpsSummary {
  const { summary, models, decode, endToEnd, central } = report;
  const headline: BenchFigure[] = [
    { label: 'sustainedEveryFrame', value: summary.cameras.ours ?? endToEnd?.everyFrame.sustained ?? null, unit: 'cameras' },
    { label: 'sustainedMotionGate', value: endToEnd?.motionGate.sustained ?? null, unit: 'cameras' },
    { label: 'opencvCameras', value: summary.cameras.opencv, unit: 'cameras' },
    { label: 'vsOpenCv', value: summary.cameras.ratio, unit: 'times' },
    { label: 'detectFpsVsOpenCv', value: summary.detectFpsVsOpenCv, unit: 'times' },
    { label: 'ortVsTfjsWasm', value: summary.ortVsTfjsWasm, unit: 'times' },
    { label: 'equalAccuracy', value: summary.equalAccuracy },
    { label: 'goalMet', value: summary.goalMet },
    { label: 'decode720p', value: decode?.capacity720p?.sustained ?? null, unit: 'cameras' },
  ];
  const modelRows = models?.rows ?? [];
  const bestByModel = new Map<string, (typeof modelRows)[number]>();
  for (const row of modelRows) {
    const seen = bestByModel.get(row.model);
    if (!seen || row.best.msPerInference < seen.best.msPerInference) bestByModel.set(row.model, row);
  }
  for (const [name, row] of bestByModel) headline.push({ label: 'modelMs', value: row.best.msPerInference, unit: 'ms', vars: { name, threads: row.threads, batch: row.best.batch } });
  const backends = central?.backends ?? [];
  for (const b of backends) {
    const one = b.ingest.find((x) => x.gateways === 1);
    if (one) headline.push({ label: 'ingest', value: one.recordsPerSec, unit: 'recordsPerSec', vars: { store: b.backend, gateways: 1 } });
    if (b.drain) headline.push({ label: 'drain', value: b.drain.seconds, unit: 'seconds', vars: { store: b.backend, records: b.drain.records } });
  }
  headline.push({ label: 'duration', value: report.durationSeconds, unit: 'seconds' });
  return {
    headline: headline.filter((f) => f.value !== null && f.value !== undefined),
    tables: [
      {
        title: 'models',
        columns: ['model', 'provider', 'threads', 'p50Ms', 'p99Ms', 'batch', 'msPerInference', 'inferencesPerSec'],
        rows: modelRows.map((x) => [x.model, x.provider, x.threads, x.batch1.p50Ms, x.batch1.p99Ms, x.best.batch, x.best.msPerInference, x.best.perSecond]),
      },
      { title: 'stages', columns: ['stage', 'medianMs', 'p99Ms'], rows: (models?.stages ?? []).map((x) => [x.name, x.p50Ms, x.p99Ms]) },
      { title: 'decode', columns: ['resolution', 'mode', 'coresPerCamera', 'deliveredFps'], rows: (decode?.rows ?? []).map((x) => [x.resolution, x.mode, x.coreSecondsPerCamera, x.deliveredFps]) },
      { title: 'everyFrameRuns', columns: STEP_COLUMNS, rows: (endToEnd?.everyFrame.steps ?? []).map(stepRow) },
      { title: 'motionGateRuns', columns: STEP_COLUMNS, rows: (endToEnd?.motionGate.steps ?? []).map(stepRow) },
      {
        title: 'ingest',
        columns: ['store', 'gateways', 'recordsPerSec', 'p50Ms', 'p99Ms', 'serverCpuCores'],
        rows: backends.flatMap((b) => b.ingest.map((x) => [b.backend, x.gateways, x.recordsPerSec, x.p50Ms, x.p99Ms, x.serverCpuCores])),
      },
      { title: 'drain', columns: ['store', 'records', 'seconds', 'recordsPerSec'], rows: backends.flatMap((b) => (b.drain ? [[b.backend, b.drain.records, b.drain.seconds, b.drain.recordsPerSec]] : [])) },
      { title: 'notes', columns: ['note'], rows: summary.notes.map((n) => [n]) },
      { title: 'errors', columns: ['section', 'message'], rows: report.errors.map((e) => [e.section, e.message]) },
    ],
  };
}
