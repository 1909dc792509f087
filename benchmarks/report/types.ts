/**
 * The combined benchmark report (`npm run bench`): what benchmarks/results/<date>-<host>.json holds,
 * and what the Markdown/HTML renderers and compare mode read. Every section is optional: a run with
 * `--only` or a section that failed leaves it out (and says why in `errors`/`skipped`).
 */
import type { OpenCvBaselineResult } from '../baseline/opencv';
import type { EvalReport } from '../eval/result';
import type { FrameCostBreakdown } from '../gateway/costs';
import type { FfmpegCalibration } from '../gateway/ffmpeg-calibration';
import type { PoolLayout } from '../../gateway/inference';
import type { Efficiency, SoakResult } from '../gateway/result-types';
import type { E2eGoals } from '../gateway/goals';
import type { ModelOnlyResult } from '../gateway/model-only';
import type { SystemInfo } from '../lib/device';
import type { OpsSummary } from './ops-summary';

export const SECTIONS = ['models', 'decode', 'endToEnd', 'central', 'opencv', 'eval'] as const;
export type SectionName = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<SectionName, string> = {
  models: 'Models',
  decode: 'Decode',
  endToEnd: 'End to end',
  central: 'Central',
  opencv: 'OpenCV baseline',
  eval: 'Accuracy (npm run eval)',
};

export interface ModelRow {
  model: string;
  provider: string;
  threads: number;
  batch1: { p50Ms: number; p99Ms: number; perSecond: number };
  best: { batch: number; msPerInference: number; perSecond: number };
}

export interface ModelsSection {
  rows: ModelRow[];
  /** Face engine stages, preprocessing and watchlist search. */
  stages: Array<{ name: string; p50Ms: number; p99Ms: number | null }>;
}

export interface TfjsWasmBaseline {
  model: string;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  /** Ours on the same model (all 80 classes, all cores, best batch, ORT CPU). */
  oursPerSecond: number | null;
  ratio: number | null;
}

export interface DecodeSection {
  measureSeconds: number;
  rows: Array<{ resolution: string; mode: string; coreSecondsPerCamera: number; deliveredFps: number }>;
  /** Most 720p cameras decoded at 5 fps with no drops; null when the ramp was not run. */
  capacity720p: { sustained: number; steps: number } | null;
}

export interface EndToEndStep {
  cameras: number;
  staticCameras: number;
  minFps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuCores: number;
  rssMiB: number;
  skipRatio: number;
  sustained: boolean;
  // Absent in reports written before issue 14:
  /** Frames through the detector per second, all cameras. */
  detectionsPerSecond?: number;
  rssMaxMiB?: number;
  nodeCores?: number;
  ffmpegCores?: number;
  /** Model runs by frames per run, this step only. */
  batchSizes?: Record<number, number>;
  layout?: PoolLayout | null;
  /** Core-ms per detected frame by stage; null when the gateway did not report its frame costs. */
  costs?: FrameCostBreakdown | null;
}

export interface EndToEndRamp {
  /** Largest camera count sustained (0: not even the first step). */
  sustained: number;
  /** The step at that count (or the first step when none was sustained). */
  at: EndToEndStep | null;
  steps: EndToEndStep[];
}

/** The person model alone at the gateway's layout, as benchmarks/gateway/model-only.ts measured it. */
export type ModelOnlySection = ModelOnlyResult;

/** The memory soak, as benchmarks/gateway/soak.ts measured it. */
export type SoakSection = SoakResult;

export interface EndToEndSection {
  measureSeconds: number;
  everyFrame: EndToEndRamp;
  motionGate: EndToEndRamp;
  // Absent in reports written before issue 14:
  /** The inference pool's thread layout the gateway chose. */
  layout?: PoolLayout;
  /** The person model alone at that layout, same run. */
  modelOnly?: ModelOnlySection | null;
  ffmpegCalibration?: FfmpegCalibration | null;
  /** Detections/s at the most cameras sustained (every frame) / the model alone's best inferences/s. */
  efficiency?: Efficiency | null;
  /** Motion-gated sustained cameras / every-frame sustained cameras. */
  gatedVsEveryFrame?: number | null;
  soak?: SoakSection | null;
  goals?: E2eGoals;
}

export interface CentralSection {
  sizes: { recordsPerRun: number; batchSize: number; drainRecords: number; drainBatchSize: number };
  backends: Array<{
    backend: string;
    ingest: Array<{ gateways: number; recordsPerSec: number; p50Ms: number; p99Ms: number; serverCpuCores: number }>;
    drain: { records: number; seconds: number; recordsPerSec: number } | null;
  }>;
  skipped: Record<string, string>;
}

/**
 * The accuracy evaluation shown in the report: run by this bench (section `eval`, once whatever
 * --runs says: its figures are counts, not timings), or, when the section was skipped, the latest
 * benchmarks/results/eval-*.json picked up as it was (with its own date and commit).
 */
export interface EvalSection {
  origin: 'run' | 'latest';
  /** The eval's JSON file. */
  file: string;
  report: EvalReport;
}

export interface Summary {
  /** Same CenterNet, ORT vs the original on @tensorflow/tfjs-backend-wasm (throughput). */
  ortVsTfjsWasm: number | null;
  /** Detector frames/s on the same frames, ours vs the OpenCV pipeline. */
  detectFpsVsOpenCv: number | null;
  /** Sustained cameras at 5 fps, every frame detected: the gateway and the OpenCV pipeline. */
  cameras: { ours: number | null; opencv: number | null; ratio: number | null };
  equalAccuracy: boolean | null;
  /** Goal: >= 2x the OpenCV pipeline's sustained cameras at equal accuracy. */
  goalMet: boolean | null;
  notes: string[];
}

export interface BenchReport {
  schema: 1;
  date: string;
  host: string;
  options: { quick: boolean; runs: number; sections: SectionName[] };
  reproducibility: {
    inputSeed: string;
    warmup: string;
    aggregation: string;
    files: Array<{ role: string; path: string; sha256: string }>;
  };
  device: SystemInfo;
  durationSeconds: number;
  models?: ModelsSection;
  decode?: DecodeSection;
  endToEnd?: EndToEndSection;
  central?: CentralSection;
  eval?: EvalSection;
  baselines: { opencv?: OpenCvBaselineResult; tfjsWasm?: TfjsWasmBaseline };
  summary: Summary;
  errors: Array<{ section: string; message: string }>;
  /** What the gateway's ops page shows (ops-summary.ts); absent in reports written before it existed. */
  opsSummary?: OpsSummary;
}
