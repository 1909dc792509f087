/**
 * `npm run bench:gateway`: how many simulated 720p cameras at detect 5 fps the gateway sustains on
 * this machine (every camera >= 95% of 5 detected fps, p99 frame-to-rules latency under 1 s, memory
 * not growing), first with every sampled frame detected (motion gate off), then with the motion gate
 * on and half of the cameras watching a static scene. Reports CPU, RSS, skip ratio and batch sizes.
 * `runGatewayBench()` is the same run as a function (used by `npm run bench`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CameraSimulator } from '../../streams';
import { parseConfig } from '../../gateway/config';
import { GatewayService } from '../../gateway/service';
import { deviceInfo, type DeviceInfo } from '../lib/device';
import { isMain, runBenchmark, writeResult, type StepLog } from '../lib/results';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Step {
  cameras: number;
  motionGate: boolean;
  staticCameras: number;
  minDetectFps: number;
  meanDetectFps: number;
  /** Frame-to-rules latency (capture to events evaluated), the worst camera's p50 and p99. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  rssStartMiB: number;
  rssEndMiB: number;
  cpuCores: number;
  motionSkipRatio: number;
  batchSizes: Record<number, number>;
  sustained: boolean;
}

interface RunParams {
  workers: number | undefined;
  threads: number | undefined;
  warmupMs: number;
  measureMs: number;
  log: StepLog;
}

async function step(sim: CameraSimulator, names: string[], motionGate: boolean, staticCameras: number, { workers, threads, warmupMs: WARMUP_MS, measureMs: MEASURE_MS, log }: RunParams): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gw-'));
  const config = parseConfig({
    site: { id: 'bench', name: 'bench' },
    cameras: names.map((name) => ({ id: name, url: sim.url(name), motionGate, detectFps: 5, detectSize: { width: 640, height: 360 } })),
    storage: { dataDir: dir },
    models: { ...(workers ? { inferenceWorkers: workers } : {}), ...(threads !== undefined ? { threadsPerWorker: threads } : {}) },
    api: { host: '127.0.0.1', port: 0 },
  });
  const gateway = await GatewayService.start(config, pino({ level: 'error' }));
  try {
    // Warm-up starts once every camera has handled a frame (RTSP connect and ffmpeg start excluded).
    const deadline = Date.now() + 30_000;
    const idle = (l: { detectedFrames: number; motionSkipped: number }) => l.detectedFrames + l.motionSkipped === 0;
    while (gateway.pipelines.some((p) => idle(p.live())) && Date.now() < deadline) await sleep(100);
    await sleep(WARMUP_MS);
    const before = gateway.pipelines.map((p) => p.live());
    const rssStart = process.memoryUsage().rss;
    const cpuStart = process.cpuUsage();
    const ffmpegStart = before.reduce((a, l) => a + l.camera.ffmpegCpuSeconds, 0);
    const t0 = Date.now();
    await sleep(MEASURE_MS);
    const seconds = (Date.now() - t0) / 1000;
    const after = gateway.pipelines.map((p) => p.live());
    const cpu = process.cpuUsage(cpuStart);
    const ffmpegEnd = after.reduce((a, l) => a + l.camera.ffmpegCpuSeconds, 0);
    // Frames that went through the detector plus those the gate skipped: all of them were handled.
    const handled = after.map((l, i) => (l.detectedFrames + l.motionSkipped - before[i]!.detectedFrames - before[i]!.motionSkipped) / seconds);
    const detected = after.map((l, i) => (l.detectedFrames - before[i]!.detectedFrames) / seconds);
    const skipped = after.reduce((a, l, i) => a + l.motionSkipped - before[i]!.motionSkipped, 0);
    const total = after.reduce((a, l, i) => a + l.detectedFrames + l.motionSkipped - before[i]!.detectedFrames - before[i]!.motionSkipped, 0);
    const rssEnd = process.memoryUsage().rss;
    const latencyP99Ms = Math.max(...after.map((l) => l.latencyMs.p99));
    const latencyP50Ms = Math.max(...after.map((l) => l.latencyMs.p50));
    const minDetectFps = Math.min(...(motionGate ? handled : detected));
    const result: Step = {
      cameras: names.length,
      motionGate,
      staticCameras,
      minDetectFps: Math.round(minDetectFps * 100) / 100,
      meanDetectFps: Math.round((detected.reduce((a, b) => a + b, 0) / detected.length) * 100) / 100,
      latencyP50Ms,
      latencyP99Ms,
      rssStartMiB: Math.round(rssStart / 2 ** 20),
      rssEndMiB: Math.round(rssEnd / 2 ** 20),
      cpuCores: Math.round(((cpu.user + cpu.system) / 1e6 / seconds + (ffmpegEnd - ffmpegStart) / seconds) * 100) / 100,
      motionSkipRatio: total ? Math.round((skipped / total) * 1000) / 1000 : 0,
      batchSizes: gateway.pool.snapshot().batchSizes,
      sustained: minDetectFps >= 4.75 && latencyP99Ms < 1000 && rssEnd < rssStart * 1.5,
    };
    log(
      `  ${names.length} cameras (${staticCameras} static), motion gate ${motionGate ? 'on' : 'off'}: min ${result.minDetectFps} fps handled, ` +
        `detector ${result.meanDetectFps} fps/camera, p50 ${latencyP50Ms} ms, p99 ${latencyP99Ms} ms, ${result.cpuCores} cores, RSS ${result.rssStartMiB}->${result.rssEndMiB} MiB, ` +
        `skips ${(result.motionSkipRatio * 100).toFixed(0)}% -> ${result.sustained ? 'sustained' : 'not sustained'}`,
    );
    return result;
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ramp(sim: CameraSimulator, motionGate: boolean, pick: (n: number) => string[], staticOf: (n: number) => number, counts: number[], params: RunParams): Promise<Step[]> {
  const steps: Step[] = [];
  for (const n of counts) {
    const s = await step(sim, pick(n), motionGate, staticOf(n), params);
    steps.push(s);
    if (!s.sustained) break;
  }
  return steps;
}

export interface GatewayBenchResult {
  date: string;
  device: DeviceInfo;
  measureSeconds: number;
  pool: { workers: number; threadsPerWorker: number };
  full: Step[];
  gated: Step[];
  sustained: { everyFrame: number; motionGateHalfStatic: number };
}

export interface GatewayBenchOptions {
  /** Seconds instead of minutes: 3 s warm-up, 8 s per step, one step per ramp (2 cameras). */
  quick?: boolean;
  /** Inference pool overrides (default: the gateway's configuration defaults). */
  workers?: number;
  threads?: number;
  /** Camera counts of the ramps (each stops at the first step not sustained). */
  counts?: number[];
  gatedCounts?: number[];
  only?: 'full' | 'gated';
  /** Per-step warm-up and measurement (default 8 s and 40 s; 3 s and 5 s when quick). */
  warmupMs?: number;
  measureMs?: number;
  log?: StepLog;
}

export async function runGatewayBench(options: GatewayBenchOptions = {}): Promise<GatewayBenchResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const params: RunParams = { workers: options.workers, threads: options.threads, warmupMs: options.warmupMs ?? (quick ? 3000 : 8000), measureMs: options.measureMs ?? (quick ? 8000 : 40_000), log };
  const fullCounts = options.counts ?? (quick ? [2] : [2, 4, 5, 6, 7, 8, 10]);
  const gatedCounts = options.gatedCounts ?? options.counts ?? (quick ? [2] : [4, 6, 8, 10, 12, 14, 16]);
  const street = Array.from({ length: 16 }, (_, i) => `street${i + 1}`);
  const still = Array.from({ length: 8 }, (_, i) => `still${i + 1}`);
  const sim = await CameraSimulator.start({
    cameras: [...street.map((name) => ({ name })), ...still.map((name) => ({ name, source: 'still' as const }))],
  });
  try {
    log('gateway benchmark: every frame detected (motion gate off), street scenes');
    const full = options.only === 'gated' ? [] : await ramp(sim, false, (n) => street.slice(0, n), () => 0, fullCounts, params);
    log('gateway benchmark: motion gate on, half the cameras on a static scene');
    const gated = options.only === 'full' ? [] : await ramp(sim, true, (n) => [...street.slice(0, Math.ceil(n / 2)), ...still.slice(0, Math.floor(n / 2))], (n) => Math.floor(n / 2), gatedCounts, params);
    const best = (steps: Step[]) => Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.cameras));
    return {
      date: new Date().toISOString(),
      device: deviceInfo(),
      measureSeconds: params.measureMs / 1000,
      pool: { workers: options.workers ?? 1, threadsPerWorker: options.threads ?? 0 },
      full,
      gated,
      sustained: { everyFrame: best(full), motionGateHalfStatic: best(gated) },
    };
  } finally {
    await sim.stop();
  }
}

/** `--workers N --threads N` override the inference pool; `--counts 5,6` and `--only full|gated` narrow the ramp. */
async function main(): Promise<void> {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const counts = flag('counts')?.split(',').map(Number);
  const only = flag('only');
  const result = await runGatewayBench({
    // The CLI's --quick keeps its former meaning: 15 s per step, the whole ramp.
    ...(flag('workers') ? { workers: Number(flag('workers')) } : {}),
    ...(flag('threads') ? { threads: Number(flag('threads')) } : {}),
    ...(counts ? { counts } : {}),
    ...(only === 'full' || only === 'gated' ? { only } : {}),
    ...(process.argv.includes('--quick') ? { measureMs: 15_000 } : {}),
  });
  console.log(`\nsustained cameras at 5 fps: every frame detected ${result.sustained.everyFrame}; motion gate with half static ${result.sustained.motionGateHalfStatic}`);
  writeResult('gateway', result);
}

if (isMain(import.meta.url)) runBenchmark(main);
