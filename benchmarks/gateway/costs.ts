/**
 * Where a detected frame's CPU goes, in core-milliseconds: ffmpeg (split into decode and the
 * scale + RGB conversion by a calibrated share), each stage the gateway times itself
 * (gateway/pipeline/frame-costs.ts), and "other": the CPU the process and ffmpeg used that no stage
 * accounts for (GC, libuv, message receive, idle spinning). Pure arithmetic on two snapshots.
 */
import { FRAME_STAGES, type FrameCostTotals, type FrameStage } from '../../gateway/pipeline/frame-costs';

export const COST_PARTS = ['ffmpegDecode', 'ffmpegConvert', ...FRAME_STAGES, 'other'] as const;
export type CostPart = (typeof COST_PARTS)[number];

/** The stages the gateway runs on its main thread; the others run on an inference worker. */
const MAIN_STAGES: ReadonlySet<FrameStage> = new Set<FrameStage>(['motion', 'transfer', 'tracking', 'store']);

/** CPU per detected frame by thread group, with the part no stage of that group accounts for. */
export interface ThreadSplit {
  /** The gateway's main thread. */
  mainMs: number;
  mainUnaccountedMs: number;
  /** Everything else in the process: inference workers, ORT and libuv threads. */
  workersMs: number;
  workersUnaccountedMs: number;
}

export interface FrameCostBreakdown {
  /** Frames the detector ran on in the window, all cameras. */
  detectedFrames: number;
  /** Core-ms per detected frame; the ffmpeg split is null when its calibration failed. */
  perFrameMs: Record<CostPart, number | null>;
  /** ffmpeg's CPU per detected frame, decode and conversion together. */
  ffmpegMs: number;
  /** (process CPU + ffmpeg CPU) / detected frames. */
  totalMs: number;
  /** Share of ffmpeg's CPU that is decoding (the rest: fps filter, scale, RGB conversion). */
  decodeShare: number | null;
  /** Absent in reports before it existed; null where the main thread's CPU could not be read. */
  threads?: ThreadSplit | null;
}

export interface CostWindow {
  /** frameCosts() at the start and the end of the window. */
  before: FrameCostTotals;
  after: FrameCostTotals;
  /** CPU of this process (all threads) over the window, ms. */
  processCpuMs: number;
  /** CPU of the main thread alone over the window, ms (thread-cpu.ts); null when unknown. */
  mainThreadCpuMs: number | null;
  /** CPU of the gateway's ffmpeg processes over the window, ms. */
  ffmpegCpuMs: number;
  decodeShare: number | null;
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

/** The breakdown per detected frame; null when the window saw no detected frame. */
export function costBreakdown(w: CostWindow): FrameCostBreakdown | null {
  const frames = w.after.detectedFrames - w.before.detectedFrames;
  if (frames <= 0) return null;
  const per = (ms: number) => ms / frames;
  const ffmpegMs = per(w.ffmpegCpuMs);
  const totalMs = per(w.processCpuMs + w.ffmpegCpuMs);
  const stages = Object.fromEntries(FRAME_STAGES.map((s) => [s, per(w.after.stageMs[s] - w.before.stageMs[s])])) as Record<(typeof FRAME_STAGES)[number], number>;
  const accounted = ffmpegMs + FRAME_STAGES.reduce((a, s) => a + stages[s], 0);
  const share = w.decodeShare === null ? null : Math.min(1, Math.max(0, w.decodeShare));
  const perFrameMs: Record<CostPart, number | null> = {
    ffmpegDecode: share === null ? null : round(ffmpegMs * share),
    ffmpegConvert: share === null ? null : round(ffmpegMs * (1 - share)),
    ...(Object.fromEntries(FRAME_STAGES.map((s) => [s, round(stages[s])])) as Record<(typeof FRAME_STAGES)[number], number>),
    other: round(totalMs - accounted),
  };
  let threads: ThreadSplit | null = null;
  if (w.mainThreadCpuMs !== null) {
    const mainMs = per(w.mainThreadCpuMs);
    const workersMs = per(w.processCpuMs - w.mainThreadCpuMs);
    const mainStages = FRAME_STAGES.filter((s) => MAIN_STAGES.has(s)).reduce((a, s) => a + stages[s], 0);
    const workerStages = FRAME_STAGES.filter((s) => !MAIN_STAGES.has(s)).reduce((a, s) => a + stages[s], 0);
    threads = { mainMs: round(mainMs), mainUnaccountedMs: round(mainMs - mainStages), workersMs: round(workersMs), workersUnaccountedMs: round(workersMs - workerStages) };
  }
  return { detectedFrames: frames, perFrameMs, ffmpegMs: round(ffmpegMs), totalMs: round(totalMs), decodeShare: share === null ? null : round(share, 3), threads };
}

/** Readable names of the parts, in report order. */
export const COST_PART_LABELS: Record<CostPart, string> = {
  ffmpegDecode: 'ffmpeg: RTSP receive + H.264 decode',
  ffmpegConvert: 'ffmpeg: fps filter, scale, RGB conversion',
  motion: 'motion gate (main thread)',
  transfer: 'transfer to a worker (main thread)',
  prepare: 'resize to the model input in sharp (libvips threads; wall time)',
  inference: 'ORT run (worker thread CPU)',
  outputs: 'output decoding (worker)',
  tracking: 'tracking, zone rules, observers (main thread)',
  store: 'SQLite writes (main thread)',
  other: 'other: GC, libuv, message receive, spinning (CPU not in a stage)',
};
