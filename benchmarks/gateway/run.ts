/**
 * `npm run bench:gateway`: how many simulated 720p cameras at detect 5 fps the gateway sustains on
 * this machine (every camera >= 95% of 5 detected fps, p99 frame-to-rules latency under 1 s, memory
 * not growing), first with every sampled frame detected (motion gate off), then with the motion gate
 * on and half of the cameras watching a static scene. Reports CPU, RSS, skip ratio and batch sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CameraSimulator } from '../../streams';
import { parseConfig } from '../../gateway/config';
import { GatewayService } from '../../gateway/service';
import { deviceInfo } from '../lib/device';
import { runBenchmark, writeResult } from '../lib/results';

const quick = process.argv.includes('--quick');
/** `--workers N --threads N` override the inference pool; `--counts 5,6` and `--only full|gated` narrow the ramp. */
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const workers = flag('workers') ? Number(flag('workers')) : undefined;
const threads = flag('threads') ? Number(flag('threads')) : undefined;
const counts = flag('counts')?.split(',').map(Number);
const only = flag('only');
const WARMUP_MS = 8000;
const MEASURE_MS = quick ? 15_000 : 40_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Step {
  cameras: number;
  motionGate: boolean;
  staticCameras: number;
  minDetectFps: number;
  meanDetectFps: number;
  latencyP99Ms: number;
  rssStartMiB: number;
  rssEndMiB: number;
  cpuCores: number;
  motionSkipRatio: number;
  batchSizes: Record<number, number>;
  sustained: boolean;
}

async function step(sim: CameraSimulator, names: string[], motionGate: boolean, staticCameras: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gw-'));
  const config = parseConfig({
    site: { id: 'bench', name: 'bench' },
    cameras: names.map((name) => ({ id: name, url: sim.url(name), role: 'street', motionGate, detectFps: 5, detectSize: { width: 640, height: 360 } })),
    storage: { dataDir: dir },
    models: { ...(workers ? { inferenceWorkers: workers } : {}), ...(threads !== undefined ? { threadsPerWorker: threads } : {}) },
    api: { host: '127.0.0.1', port: 0 },
  });
  const gateway = await GatewayService.start(config, pino({ level: 'error' }));
  try {
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
    const minDetectFps = Math.min(...(motionGate ? handled : detected));
    const result: Step = {
      cameras: names.length,
      motionGate,
      staticCameras,
      minDetectFps: Math.round(minDetectFps * 100) / 100,
      meanDetectFps: Math.round((detected.reduce((a, b) => a + b, 0) / detected.length) * 100) / 100,
      latencyP99Ms,
      rssStartMiB: Math.round(rssStart / 2 ** 20),
      rssEndMiB: Math.round(rssEnd / 2 ** 20),
      cpuCores: Math.round(((cpu.user + cpu.system) / 1e6 / seconds + (ffmpegEnd - ffmpegStart) / seconds) * 100) / 100,
      motionSkipRatio: total ? Math.round((skipped / total) * 1000) / 1000 : 0,
      batchSizes: gateway.pool.snapshot().batchSizes,
      sustained: minDetectFps >= 4.75 && latencyP99Ms < 1000 && rssEnd < rssStart * 1.5,
    };
    console.log(
      `  ${names.length} cameras (${staticCameras} static), motion gate ${motionGate ? 'on' : 'off'}: min ${result.minDetectFps} fps handled, ` +
        `detector ${result.meanDetectFps} fps/camera, p99 ${latencyP99Ms} ms, ${result.cpuCores} cores, RSS ${result.rssStartMiB}->${result.rssEndMiB} MiB, ` +
        `skips ${(result.motionSkipRatio * 100).toFixed(0)}% -> ${result.sustained ? 'sustained' : 'not sustained'}`,
    );
    return result;
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ramp(sim: CameraSimulator, motionGate: boolean, pick: (n: number) => string[], staticOf: (n: number) => number, counts: number[]): Promise<Step[]> {
  const steps: Step[] = [];
  for (const n of counts) {
    const s = await step(sim, pick(n), motionGate, staticOf(n));
    steps.push(s);
    if (!s.sustained) break;
  }
  return steps;
}

async function main(): Promise<void> {
  const street = Array.from({ length: 16 }, (_, i) => `street${i + 1}`);
  const still = Array.from({ length: 8 }, (_, i) => `still${i + 1}`);
  const sim = await CameraSimulator.start({
    cameras: [...street.map((name) => ({ name })), ...still.map((name) => ({ name, source: 'still' as const }))],
  });
  try {
    console.log('gateway benchmark: every frame detected (motion gate off), street scenes');
    const full = only === 'gated' ? [] : await ramp(sim, false, (n) => street.slice(0, n), () => 0, counts ?? [2, 4, 5, 6, 7, 8, 10]);
    console.log('gateway benchmark: motion gate on, half the cameras on a static scene');
    const gated = only === 'full' ? [] : await ramp(sim, true, (n) => [...street.slice(0, Math.ceil(n / 2)), ...still.slice(0, Math.floor(n / 2))], (n) => Math.floor(n / 2), counts ?? [4, 6, 8, 10, 12, 14, 16]);
    const best = (steps: Step[]) => Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.cameras));
    const result = { date: new Date().toISOString(), device: deviceInfo(), measureSeconds: MEASURE_MS / 1000, pool: { workers: workers ?? 1, threadsPerWorker: threads ?? 0 }, full, gated, sustained: { everyFrame: best(full), motionGateHalfStatic: best(gated) } };
    console.log(`\nsustained cameras at 5 fps: every frame detected ${result.sustained.everyFrame}; motion gate with half static ${result.sustained.motionGateHalfStatic}`);
    writeResult('gateway', result);
  } finally {
    await sim.stop();
  }
}

runBenchmark(main);
