import { cpus, totalmem } from 'node:os';
import { PerfSummarySchema, type PerfSummary } from '../../central-sync/wire';
import { DEFAULT_BENCHMARKS_DIR, latestBenchmark } from '../api/features/ops-benchmarks';

export { DEFAULT_BENCHMARKS_DIR };

/** The bench report is read again at most this often (it changes when someone runs `npm run bench`). */
const BENCH_REREAD_MS = 5 * 60_000;
const MIB = 2 ** 20;

/** What the summary reads of the inference pool (gateway/inference/pool.ts). */
export interface PerfPool {
  readonly provider: string;
  snapshot(): { completed: number; inferenceMs: { p50: number; p99: number } };
}

/** What it reads of a camera pipeline (gateway/pipeline/camera-pipeline.ts). */
export interface PerfPipeline {
  readonly camera: { id: string; detectFps: number };
  live(): { camera: { state: string }; detectedFrames: number; motionSkipped: number };
}

export interface PerfSources {
  pool: () => PerfPool | undefined;
  pipelines: () => readonly PerfPipeline[];
  /** Cameras configured (enabled or not); by default the pipelines. */
  configuredCameras?: () => number;
  /** Where `npm run bench` writes its reports; DEFAULT_BENCHMARKS_DIR by default. */
  benchmarksDir?: string;
  clock?: () => number;
}

type Bench = PerfSummary['bench'];

/**
 * The headline figures of the newest combined `npm run bench` report (read by the ops page's
 * reader). A newer date-named file of another format (not `schema: 1`) hides it: null then, rather
 * than figures from a report that is not the device's bench.
 */
export function benchHeadline(dir: string): Bench {
  const report = latestBenchmark(dir, 'report');
  const raw = report?.report;
  if (!report || typeof raw !== 'object' || raw === null || !('schema' in raw) || raw.schema !== 1) return null;
  const figure = (label: string) => report.summary.headline.filter((f) => f.label === label && typeof f.value === 'number' && Number.isFinite(f.value)).map((f) => f.value as number);
  const sustained = figure('sustainedEveryFrame')[0];
  const models = figure('modelMs');
  return {
    date: report.date?.slice(0, 64) ?? null,
    camerasSustained: sustained === undefined ? null : Math.max(0, Math.floor(sustained)),
    modelMs: models.length > 0 ? round(Math.min(...models)) : null,
  };
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;
const clamp = (v: number, max: number): number => Math.min(max, Math.max(0, Number.isFinite(v) ? v : 0));

/**
 * The heartbeat's performance summary (wire version 3): the device, and what the gateway did since
 * the previous summary. Rates are over that interval (the first one: since this sampler was made);
 * a camera whose counters went back (restarted) counts from zero.
 */
export class PerfSampler {
  private readonly clock: () => number;
  private readonly dir: string;
  private last: { at: number; cpu: NodeJS.CpuUsage; frames: Map<string, { detected: number; handled: number }> };
  private bench: { at: number; value: Bench } | undefined;

  constructor(private readonly sources: PerfSources) {
    this.clock = sources.clock ?? Date.now;
    this.dir = sources.benchmarksDir ?? DEFAULT_BENCHMARKS_DIR;
    this.last = { at: this.clock(), cpu: process.cpuUsage(), frames: new Map() };
  }

  /** Checked against the wire schema: a figure out of bounds throws (the uplink then sends no summary). */
  sample(): PerfSummary {
    const now = this.clock();
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    const cpu = process.cpuUsage();
    const cores = Math.max(1, cpus().length);
    const cpuMicros = cpu.user - this.last.cpu.user + (cpu.system - this.last.cpu.system);
    const pipelines = this.sources.pipelines();
    const frames = new Map<string, { detected: number; handled: number }>();
    let detected = 0;
    let handled = 0;
    let streaming = 0;
    let targetFps = 0;
    for (const p of pipelines) {
      const live = p.live();
      const now = { detected: live.detectedFrames, handled: live.detectedFrames + live.motionSkipped };
      const before = this.last.frames.get(p.camera.id);
      const back = !before || now.detected < before.detected || now.handled < before.handled;
      detected += back ? now.detected : now.detected - before.detected;
      handled += back ? now.handled : now.handled - before.handled;
      frames.set(p.camera.id, now);
      if (live.camera.state === 'streaming') {
        streaming += 1;
        targetFps += p.camera.detectFps;
      }
    }
    this.last = { at: now, cpu, frames };
    const pool = this.sources.pool();
    const stats = pool?.snapshot();
    const framesPerSec = round(clamp(handled / seconds, 1_000_000));
    const summary: PerfSummary = {
      device: { cores, cpuModel: (cpus()[0]?.model ?? 'unknown').trim().slice(0, 200), memoryMiB: Math.round(totalmem() / MIB), provider: (pool?.provider ?? 'none').slice(0, 64) },
      cameras: { configured: this.sources.configuredCameras?.() ?? pipelines.length, streaming },
      detectionsPerSec: round(clamp(detected / seconds, 1_000_000)),
      framesPerSec,
      targetFps: round(clamp(targetFps, 1_000_000)),
      efficiency: targetFps > 0 ? round(Math.min(1, framesPerSec / targetFps)) : null,
      inferenceMs: stats && stats.completed > 0 ? { p50: round(clamp(stats.inferenceMs.p50, 3_600_000)), p99: round(clamp(stats.inferenceMs.p99, 3_600_000)) } : null,
      cpu: round(clamp(cpuMicros / 1000 / (seconds * 1000 * cores), 1)),
      rssMiB: Math.round(process.memoryUsage.rss() / MIB),
      bench: this.benchFigures(now),
    };
    return PerfSummarySchema.parse(summary);
  }

  private benchFigures(now: number): Bench {
    if (!this.bench || now - this.bench.at >= BENCH_REREAD_MS) this.bench = { at: now, value: benchHeadline(this.dir) };
    return this.bench.value;
  }
}
