/**
 * Runs the individual benchmarks as functions (models, streams, gateway, central, the OpenCV
 * baseline), `runs` times each, and gathers them into one BenchReport: medians across runs,
 * warm-up excluded (each bench discards its own), the seed and the exact files recorded.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { hostname } from 'node:os';
import { ensureCenternetTfjs } from '../../models/assets';
import { ensureCenternetOnnx } from '../../models/assets/centernet-onnx';
import { simulatorMedia } from '../../streams/simulator/media';
import { runOpenCvBaseline, type OpenCvBaselineResult } from '../baseline/opencv';
import { runCentralBench, type CentralBenchResult } from '../central/run';
import { latestEvalReport } from '../eval/result';
import { runEval } from '../eval/run';
import { runGatewayBench, type GatewayBenchResult } from '../gateway/run';
import { systemInfo } from '../lib/device';
import { fileSha256, type StepLog } from '../lib/results';
import { INPUT_SEED, runModelsBench } from '../models/run';
import type { ModelsBenchResult } from '../models/report';
import { runStreamsBench, type StreamsBenchResult } from '../streams/run';
import { medianMerge } from './aggregate';
import { endToEndSection } from './end-to-end';
import type { Progress } from './progress';
import { opsSummary } from './ops-summary';
import { summarise } from './summary';
import type { BenchReport, CentralSection, DecodeSection, EvalSection, ModelsSection, SectionName, TfjsWasmBaseline } from './types';

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- normalising each bench

export function modelsSection(r: ModelsBenchResult): ModelsSection {
  return {
    rows: r.models.flatMap((m) =>
      m.figures.map((f) => ({
        model: m.name,
        provider: f.provider ?? 'cpu',
        threads: f.threads,
        batch1: { p50Ms: f.batch1.medianMs, p99Ms: f.batch1.p99Ms, perSecond: f.batch1.inferencesPerSecond },
        best: { batch: f.best.batch, msPerInference: f.best.msPerInference, perSecond: f.best.inferencesPerSecond },
      })),
    ),
    stages: [...r.faceEngine, ...r.watchlist].map((s) => ({ name: s.name, p50Ms: s.stats.medianMs, p99Ms: Number.isFinite(s.stats.p99Ms) ? s.stats.p99Ms : null })),
  };
}

export function tfjsBaseline(r: ModelsBenchResult): TfjsWasmBaseline {
  const perSecond = round(1000 / r.tfjsWasmCenternet.medianMs);
  const ours = r.models[0]?.figures.filter((f) => (f.provider ?? 'cpu') === 'cpu').reduce<number | null>((a, f) => Math.max(a ?? 0, f.best.inferencesPerSecond), null) ?? null;
  return {
    model: 'centernet-512, original TF.js graph (80 classes)',
    p50Ms: r.tfjsWasmCenternet.medianMs,
    p99Ms: r.tfjsWasmCenternet.p99Ms,
    perSecond,
    oursPerSecond: ours,
    ratio: ours === null ? null : round(ours / perSecond),
  };
}

export function decodeSection(r: StreamsBenchResult): DecodeSection {
  return {
    measureSeconds: r.measureSeconds,
    rows: r.decode.map((d) => ({ resolution: d.resolution, mode: d.mode, coreSecondsPerCamera: d.coreSecondsPerSecond, deliveredFps: d.deliveredFps })),
    capacity720p: r.capacity.steps.length ? { sustained: r.capacity.sustained, steps: r.capacity.steps.length } : null,
  };
}

export { endToEndSection };

export function centralSection(r: CentralBenchResult): CentralSection {
  return {
    sizes: { recordsPerRun: r.sizes.recordsPerRun, batchSize: r.sizes.batchSize, drainRecords: r.sizes.drainRecords, drainBatchSize: r.sizes.drainBatchSize },
    backends: Object.entries(r.results).map(([backend, b]) => ({
      backend,
      ingest: b.ingest.map((i) => ({ gateways: i.gateways, recordsPerSec: i.recordsPerSec, p50Ms: i.p50Ms, p99Ms: i.p99Ms, serverCpuCores: i.serverCpuCores })),
      drain: b.drain ? { records: b.drain.records, seconds: b.drain.seconds, recordsPerSec: b.drain.recordsPerSec } : null,
    })),
    skipped: { ...r.skipped } as Record<string, string>,
  };
}

// ---------------------------------------------------------------- running everything

function sha256(path: string): string {
  return existsSync(path) ? fileSha256(path) : 'missing';
}

export interface CollectOptions {
  quick: boolean;
  runs: number;
  sections: readonly SectionName[];
  progress: Progress;
  /** The end-to-end memory soak's length (default: the gateway bench's, 10 min; 0.5 when quick). */
  soakMinutes?: number;
}

/** Estimated seconds per run of each section, for the progress bar (the end-to-end soak is added by run-all.ts). */
export const SECTION_WEIGHTS: Record<SectionName, { quick: number; full: number }> = {
  models: { quick: 40, full: 240 },
  decode: { quick: 35, full: 330 },
  endToEnd: { quick: 100, full: 780 },
  central: { quick: 20, full: 240 },
  opencv: { quick: 30, full: 240 },
  eval: { quick: 60, full: 60 },
};

export async function collect(options: CollectOptions): Promise<BenchReport> {
  const started = Date.now();
  const { quick, runs, sections, progress } = options;
  const errors: BenchReport['errors'] = [];
  const raw: { models: ModelsBenchResult[]; decode: StreamsBenchResult[]; endToEnd: GatewayBenchResult[]; central: CentralBenchResult[]; opencv: OpenCvBaselineResult[] } = {
    models: [],
    decode: [],
    endToEnd: [],
    central: [],
    opencv: [],
  };
  progress.step('device: CPU, GPU, ORT providers, ffmpeg hardware decoders');
  const device = systemInfo();
  let evalSection: EvalSection | undefined;
  const runners: Record<SectionName, (log: StepLog) => Promise<void>> = {
    models: async (log) => void raw.models.push(await runModelsBench({ quick, log })),
    decode: async (log) => void raw.decode.push(await runStreamsBench({ quick, log })),
    // The memory soak (minutes of one camera count) runs in the first run only; its figures are the first run's.
    endToEnd: async (log) => void raw.endToEnd.push(await runGatewayBench({ quick, log, ...(raw.endToEnd.length > 0 ? { soakMinutes: 0 } : options.soakMinutes !== undefined ? { soakMinutes: options.soakMinutes } : {}) })),
    central: async (log) => void raw.central.push(await runCentralBench({ quick, log })),
    opencv: async (log) => void raw.opencv.push(await runOpenCvBaseline({ quick, log })),
    eval: async (log) => {
      const { report, files } = await runEval({ log });
      evalSection = { origin: 'run', file: files!.json, report };
    },
  };
  for (let run = 1; run <= runs; run++) {
    for (const section of sections) {
      // Accuracy figures are counts from a deterministic run, not timings: once is enough.
      if (section === 'eval' && run > 1) continue;
      const label = runs > 1 && section !== 'eval' ? `${section} (run ${run}/${runs})` : section;
      progress.begin(section, label);
      try {
        await runners[section]((line) => progress.step(line.trim()));
        progress.end(section, true);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        errors.push({ section: runs > 1 ? `${section} (run ${run})` : section, message });
        progress.end(section, false, message);
      }
    }
  }

  const report: BenchReport = {
    schema: 1,
    date: new Date(started).toISOString(),
    host: hostname(),
    options: { quick, runs, sections: [...sections] },
    reproducibility: {
      inputSeed: `0x${INPUT_SEED.toString(16)}`,
      warmup: quick
        ? 'untimed warm-up before every timed series (1 call per model case; 3 s per camera step after every camera has handled a frame), excluded from all figures'
        : 'untimed warm-up before every timed series (3 calls per model case; 8 s per camera step after every camera has handled a frame), excluded from all figures',
      aggregation: runs > 1 ? `median of ${runs} runs per figure (each run's figure is itself a median of many timed calls)` : 'one run; each figure is a median of many timed calls',
      files: [],
    },
    device,
    durationSeconds: 0,
    baselines: {},
    summary: { ortVsTfjsWasm: null, detectFpsVsOpenCv: null, cameras: { ours: null, opencv: null, ratio: null }, equalAccuracy: null, goalMet: null, notes: [] },
    errors,
  };
  if (raw.models.length) {
    report.models = medianMerge(raw.models.map(modelsSection));
    report.baselines.tfjsWasm = medianMerge(raw.models.map(tfjsBaseline));
  }
  if (raw.decode.length) report.decode = medianMerge(raw.decode.map(decodeSection));
  if (raw.endToEnd.length) report.endToEnd = medianMerge(raw.endToEnd.map(endToEndSection));
  if (raw.central.length) report.central = medianMerge(raw.central.map(centralSection));
  if (raw.opencv.length) report.baselines.opencv = medianMerge(raw.opencv);
  if (!sections.includes('eval')) {
    const latest = latestEvalReport();
    if (latest) evalSection = { origin: 'latest', file: latest.file, report: latest.report };
  }
  if (evalSection) report.eval = { ...evalSection, file: relative(process.cwd(), evalSection.file) || evalSection.file };

  const files = report.reproducibility.files;
  try {
    const tfjs = ensureCenternetTfjs();
    files.push({ role: 'detector, converted (ORT and cv2.dnn)', path: await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, classIds: [0] }), sha256: '' });
    files.push({ role: 'detector, original TF.js weights', path: tfjs.weights, sha256: '' });
    files.push({ role: 'simulated camera video (720p H.264)', path: simulatorMedia('720p'), sha256: '' });
    if (report.baselines.opencv?.model) files.push({ role: 'detector as cv2.dnn reads it', path: report.baselines.opencv.model.opencvFile, sha256: '' });
    for (const f of files) f.sha256 = sha256(f.path);
  } catch (err) {
    errors.push({ section: 'reproducibility', message: (err as Error).message });
  }
  report.summary = summarise(report);
  report.durationSeconds = Math.round((Date.now() - started) / 1000);
  report.opsSummary = opsSummary(report);
  return report;
}
