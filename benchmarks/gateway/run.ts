/**
 * `npm run bench:gateway`: how many simulated 720p cameras at detect 5 fps the gateway sustains on
 * this machine (every camera >= 95% of 5 detected fps, p99 frame-to-rules latency under 1 s, memory
 * not growing), first with every sampled frame detected (motion gate off), then with the motion gate
 * on and half of the cameras watching a static scene; and, in the same run and at the same thread
 * layout, what the person model alone does (model-only.ts), so that the pipeline's efficiency
 * (end-to-end detections/s at the most cameras sustained / the model's best inferences/s) and the
 * CPU per detected frame, stage by stage, are measured side by side. Ends with a memory soak.
 * `runGatewayBench()` is the same run as a function (used by `npm run bench`).
 */
import pino from 'pino';
import { CameraSimulator } from '../../streams';
import { personDetectorConfig, type PoolLayout } from '../../gateway/inference';
import { deviceInfo, type DeviceInfo } from '../lib/device';
import { isMain, runBenchmark, writeResult, type StepLog } from '../lib/results';
import { endToEndLines, endToEndSection } from '../report/end-to-end';
import { benchConfig, simCameras, withGateway } from './bench-gateway';
import { calibrateFfmpeg, type FfmpegCalibration } from './ffmpeg-calibration';
import { E2E_GOALS as GOALS } from './goals';
import { runModelOnly, type ModelOnlyResult } from './model-only';
import { nextCount, startEstimate, type RampPlan } from './ramp-plan';
import { runSoakInChild, type SoakResult } from './soak';
import { runStep, type Step, type StepParams } from './step';
import type { Efficiency } from './result-types';
export type { Efficiency } from './result-types';

export type { Step } from './step';

export interface GatewayBenchResult {
  date: string;
  device: DeviceInfo;
  measureSeconds: number;
  /** The inference pool's layout as the gateway chose it on this machine. */
  pool: PoolLayout;
  modelOnly: ModelOnlyResult | null;
  ffmpegCalibration: FfmpegCalibration | null;
  full: Step[];
  gated: Step[];
  sustained: { everyFrame: number; motionGateHalfStatic: number };
  /** End-to-end detections/s at the most cameras sustained (every frame) / model-only best inf/s. */
  efficiency: Efficiency | null;
  /** Motion-gated sustained cameras / every-frame sustained cameras. */
  gatedVsEveryFrame: number | null;
  soak: SoakResult | null;
}


export interface GatewayBenchOptions {
  /** Seconds instead of minutes: 3 s warm-up, 8 s per step, at most 2 every-frame steps and 1 gated, 0.5 min soak. */
  quick?: boolean;
  /** Inference pool overrides (default: the gateway's configuration defaults). */
  workers?: number;
  threads?: number;
  /** Fixed camera counts instead of the adaptive ramp (each list stops at the first step not sustained). */
  counts?: number[];
  gatedCounts?: number[];
  only?: 'full' | 'gated';
  /** Per-step warm-up and measurement (default 8 s and 40 s; 3 s and 8 s when quick). */
  warmupMs?: number;
  measureMs?: number;
  /** Memory soak length (default 10; 0.5 when quick; 0 skips it) and camera count (default 8). */
  soakMinutes?: number;
  soakCameras?: number;
  /** Skip the model-only measurement (the ramp then starts from 2 cameras). */
  skipModelOnly?: boolean;
  log?: StepLog;
}

const STREET = 24;
const STILL = 16;
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

/** Runs the fixed counts (stopping at the first failure) or the adaptive plan; every step recorded, none repeated. */
async function ramp(run: (n: number) => Promise<Step>, counts: number[] | undefined, plan: RampPlan): Promise<Step[]> {
  const steps: Step[] = [];
  if (counts) {
    for (const n of counts) {
      const s = await run(n);
      steps.push(s);
      if (!s.sustained) break;
    }
    return steps;
  }
  for (let n = nextCount(steps, plan); n !== null; n = nextCount(steps, plan)) steps.push(await run(n));
  return steps.sort((a, b) => a.cameras - b.cameras);
}

const bestSustained = (steps: Step[]) => Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.cameras));

export async function runGatewayBench(options: GatewayBenchOptions = {}): Promise<GatewayBenchResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const pool = { workers: options.workers, threads: options.threads };
  const warmupMs = options.warmupMs ?? (quick ? 3000 : 8000);
  const measureMs = options.measureMs ?? (quick ? 8000 : 40_000);
  const soakMinutes = options.soakMinutes ?? (quick ? 0.5 : 10);
  const soakCameras = options.soakCameras ?? GOALS.soakCameras;
  const street = Array.from({ length: STREET }, (_, i) => `street${i + 1}`);
  const still = Array.from({ length: STILL }, (_, i) => `still${i + 1}`);
  const sim = await CameraSimulator.start({
    cameras: [...street.map((name) => ({ name })), ...still.map((name) => ({ name, source: 'still' as const }))],
  });
  try {
    // The layout the gateway picks here (from the core count or the overrides), read off a running one.
    const layout = await withGateway(simCameras(sim, street.slice(0, 1)), false, pool, 0, async (g) => g.pool.snapshot().layout);
    log(`gateway benchmark: inference pool ${layout.workers} worker(s) x ${layout.threadsPerWorker} ORT thread(s), batches up to ${layout.maxBatch}`);

    let calibration: FfmpegCalibration | null = null;
    try {
      calibration = await calibrateFfmpeg({ id: 'calibration', url: sim.url(street[street.length - 1]!), detectFps: 5, detectSize: { width: 640, height: 360 } }, quick ? 5 : 15);
      log(`  ffmpeg calibration: decode only ${calibration.decodeOnlyCores} cores, gateway arguments ${calibration.gatewayArgsCores} cores -> decode share ${calibration.decodeShare}`);
    } catch (err) {
      log(`  ffmpeg calibration failed: ${(err as Error).message}`);
    }

    let modelOnly: ModelOnlyResult | null = null;
    if (!options.skipModelOnly) {
      const models = benchConfig(simCameras(sim, street.slice(0, 1)), false, pool, '/nonexistent').models;
      modelOnly = await runModelOnly(
        { workers: layout.workers, threadsPerWorker: layout.threadsPerWorker, detector: personDetectorConfig(models), warmupMs: quick ? 1000 : 2000, measureMs: quick ? 3000 : 10_000 },
        log,
      );
    }

    const params: StepParams = { ...pool, warmupMs, measureMs, decodeShare: calibration?.decodeShare ?? null, log };
    const estimate = modelOnly ? startEstimate(modelOnly.best.inferencesPerSecond, { min: 2, max: STREET }) : 2;
    if (options.only !== 'gated') log(`gateway benchmark: every frame detected (motion gate off), street scenes${options.counts ? '' : `; ramp from ${estimate} cameras`}`);
    const full = options.only === 'gated' ? [] : await ramp((n) => runStep(sim, street.slice(0, n), false, 0, params), options.counts, { start: estimate, min: 1, max: STREET, ...(quick ? { maxSteps: 2 } : {}) });
    const everyFrame = bestSustained(full);
    const gatedStart = everyFrame > 0 ? Math.round(everyFrame * GOALS.gatedVsEveryFrame) : estimate * 2;
    const gatedMax = Math.min(2 * STILL, 2 * STREET);
    if (options.only !== 'full') log(`gateway benchmark: motion gate on, half the cameras on a static scene${options.gatedCounts ?? options.counts ? '' : `; ramp from ${gatedStart} cameras`}`);
    const gated =
      options.only === 'full'
        ? []
        : await ramp((n) => runStep(sim, [...street.slice(0, Math.ceil(n / 2)), ...still.slice(0, Math.floor(n / 2))], true, Math.floor(n / 2), params), options.gatedCounts ?? options.counts, {
            start: gatedStart,
            min: 2,
            max: gatedMax,
            ...(quick ? { maxSteps: 1 } : {}),
          });
    const motionGateHalfStatic = bestSustained(gated);

    const atLimit = full.find((s) => s.sustained && s.cameras === everyFrame);
    const peak = full.reduce<Step | undefined>((a, s) => (!a || s.detectionsPerSecond > a.detectionsPerSecond ? s : a), undefined);
    const model = modelOnly?.best.inferencesPerSecond;
    const efficiency: Efficiency | null =
      atLimit && model
        ? {
            ratio: round(atLimit.detectionsPerSecond / model),
            detectionsPerSecond: atLimit.detectionsPerSecond,
            modelOnlyPerSecond: model,
            cameras: atLimit.cameras,
            ...(peak ? { peak: { cameras: peak.cameras, detectionsPerSecond: peak.detectionsPerSecond, ratio: round(peak.detectionsPerSecond / model) } } : {}),
          }
        : null;
    const gatedVsEveryFrame = everyFrame > 0 && gated.length ? round(motionGateHalfStatic / everyFrame) : null;

    let soak: SoakResult | null = null;
    if (soakMinutes > 0) {
      log(`gateway benchmark: memory soak, ${soakCameras} cameras, every frame detected, ${soakMinutes} min`);
      soak = await runSoakInChild(simCameras(sim, street.slice(0, soakCameras)), soakMinutes, { ...pool, warmupMs });
      log(`  RSS ${soak.rssStartMiB} -> ${soak.rssEndMiB} MiB (max ${soak.rssMaxMiB}), slope ${soak.slopeMiBPerMinute ?? '—'} MiB/min, slowest camera ${soak.minDetectFps} fps`);
    }
    return {
      date: new Date().toISOString(),
      device: deviceInfo(),
      measureSeconds: measureMs / 1000,
      pool: layout,
      modelOnly,
      ffmpegCalibration: calibration,
      full,
      gated,
      sustained: { everyFrame, motionGateHalfStatic },
      efficiency,
      gatedVsEveryFrame,
      soak,
    };
  } finally {
    await sim.stop();
  }
}

/**
 * `--workers N --threads N` override the inference pool; `--counts 5,6` (and `--gated-counts`) replace the
 * adaptive ramp; `--only full|gated`; `--soak-minutes M` (0 skips the soak); `--quick` for a smoke run.
 */
async function main(): Promise<void> {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const list = (name: string) => flag(name)?.split(',').map(Number);
  const counts = list('counts');
  const gatedCounts = list('gated-counts');
  const only = flag('only');
  const result = await runGatewayBench({
    log: (line) => console.log(line),
    quick: process.argv.includes('--quick'),
    ...(flag('workers') ? { workers: Number(flag('workers')) } : {}),
    ...(flag('threads') ? { threads: Number(flag('threads')) } : {}),
    ...(counts ? { counts } : {}),
    ...(gatedCounts ? { gatedCounts } : {}),
    ...(only === 'full' || only === 'gated' ? { only } : {}),
    ...(flag('soak-minutes') !== undefined ? { soakMinutes: Number(flag('soak-minutes')) } : {}),
  });
  const e2e = endToEndSection(result);
  console.log(`\nsustained cameras at 5 fps: every frame detected ${e2e.everyFrame.sustained}; motion gate with half static ${e2e.motionGate.sustained}`);
  for (const line of endToEndLines(e2e)) console.log(line);
  writeResult('gateway', result);
}

if (isMain(import.meta.url)) runBenchmark(main);
