/**
 * One step of the end-to-end ramp: N simulated cameras on a fresh gateway, measured over a window
 * after warm-up. Sustained: every camera handles >= 4.75 of its 5 fps, the worst camera's p99
 * frame-to-rules latency is under 1 s, and RSS did not grow by half over the window.
 */
import type { CameraSimulator } from '../../streams';
import type { PoolLayout } from '../../gateway/inference';
import type { GatewayService } from '../../gateway/service';
import { simCameras, sleep, withGateway, type PoolOverrides } from './bench-gateway';
import { costBreakdown, type FrameCostBreakdown } from './costs';
import { threadCpuMs } from '../../gateway/util/thread-cpu';

export interface Step {
  cameras: number;
  motionGate: boolean;
  staticCameras: number;
  minDetectFps: number;
  meanDetectFps: number;
  /** Frames through the detector per second, all cameras. */
  detectionsPerSecond: number;
  /** Frame-to-rules latency (capture to events evaluated), the worst camera's p50 and p99. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  /** Gateway process (all threads) plus its ffmpeg processes; the two parts after. */
  cpuCores: number;
  nodeCores: number;
  ffmpegCores: number;
  motionSkipRatio: number;
  /** Model runs by frames per run (the pool is fresh per step). */
  batchSizes: Record<number, number>;
  /** The inference pool's thread layout. */
  layout: PoolLayout;
  /** Core-ms per detected frame by stage; null when the window saw no detected frame. */
  costs: FrameCostBreakdown | null;
  sustained: boolean;
}

export interface StepParams extends PoolOverrides {
  warmupMs: number;
  measureMs: number;
  /** Share of ffmpeg's CPU that is decoding (ffmpeg-calibration.ts), null when unknown. */
  decodeShare: number | null;
  log: (line: string) => void;
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Samples RSS every second until `ms` have passed; returns the largest. */
async function waitSamplingRss(ms: number): Promise<number> {
  let max = process.memoryUsage().rss;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await sleep(Math.min(1000, end - Date.now()));
    max = Math.max(max, process.memoryUsage().rss);
  }
  return max;
}

async function measure(gateway: GatewayService, names: string[], motionGate: boolean, staticCameras: number, p: StepParams): Promise<Step> {
  const before = gateway.pipelines.map((x) => x.live());
  const costsBefore = gateway.frameCosts();
  const rssStart = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const mainStart = threadCpuMs();
  const ffmpegStart = before.reduce((a, l) => a + l.camera.ffmpegCpuSeconds, 0);
  const t0 = performance.now();
  const rssMax = await waitSamplingRss(p.measureMs);
  const seconds = (performance.now() - t0) / 1000;
  const after = gateway.pipelines.map((x) => x.live());
  const cpu = process.cpuUsage(cpuStart);
  const mainEnd = threadCpuMs();
  const costsAfter = gateway.frameCosts();
  const ffmpegSeconds = after.reduce((a, l) => a + l.camera.ffmpegCpuSeconds, 0) - ffmpegStart;
  const nodeSeconds = (cpu.user + cpu.system) / 1e6;
  const handled = after.map((l, i) => (l.detectedFrames + l.motionSkipped - before[i]!.detectedFrames - before[i]!.motionSkipped) / seconds);
  const detected = after.map((l, i) => (l.detectedFrames - before[i]!.detectedFrames) / seconds);
  const skipped = after.reduce((a, l, i) => a + l.motionSkipped - before[i]!.motionSkipped, 0);
  const total = handled.reduce((a, b) => a + b, 0) * seconds;
  const rssEnd = process.memoryUsage().rss;
  const latencyP99Ms = Math.max(...after.map((l) => l.latencyMs.p99));
  const latencyP50Ms = Math.max(...after.map((l) => l.latencyMs.p50));
  const minDetectFps = Math.min(...(motionGate ? handled : detected));
  const detectionsPerSecond = detected.reduce((a, b) => a + b, 0);
  return {
    cameras: names.length,
    motionGate,
    staticCameras,
    minDetectFps: round(minDetectFps),
    meanDetectFps: round(detectionsPerSecond / detected.length),
    detectionsPerSecond: round(detectionsPerSecond, 1),
    latencyP50Ms,
    latencyP99Ms,
    rssStartMiB: mib(rssStart),
    rssEndMiB: mib(rssEnd),
    rssMaxMiB: mib(Math.max(rssMax, rssEnd)),
    cpuCores: round((nodeSeconds + ffmpegSeconds) / seconds),
    nodeCores: round(nodeSeconds / seconds),
    ffmpegCores: round(ffmpegSeconds / seconds),
    motionSkipRatio: total ? round(skipped / total, 3) : 0,
    batchSizes: gateway.pool.snapshot().batchSizes,
    layout: gateway.pool.snapshot().layout,
    costs: costBreakdown({ before: costsBefore, after: costsAfter, processCpuMs: nodeSeconds * 1000, mainThreadCpuMs: mainStart !== null && mainEnd !== null ? mainEnd - mainStart : null, ffmpegCpuMs: ffmpegSeconds * 1000, decodeShare: p.decodeShare }),
    sustained: minDetectFps >= 4.75 && latencyP99Ms < 1000 && rssEnd < rssStart * 1.5,
  };
}

function describe(s: Step): string {
  const batches = Object.entries(s.batchSizes).map(([size, runs]) => `${size}:${runs}`).join(' ');
  const c = s.costs;
  return (
    `  ${s.cameras} cameras (${s.staticCameras} static), motion gate ${s.motionGate ? 'on' : 'off'}: min ${s.minDetectFps} fps handled, ` +
    `detector ${s.meanDetectFps} fps/camera (${s.detectionsPerSecond}/s), p50 ${s.latencyP50Ms} ms, p99 ${s.latencyP99Ms} ms, ` +
    `${s.cpuCores} cores (node ${s.nodeCores}, ffmpeg ${s.ffmpegCores}), RSS ${s.rssStartMiB}->${s.rssEndMiB} MiB (max ${s.rssMaxMiB}), ` +
    `skips ${(s.motionSkipRatio * 100).toFixed(0)}%, batches {${batches}}${c ? `, ${c.totalMs} core-ms/frame (other ${c.perFrameMs.other})` : ''} -> ${s.sustained ? 'sustained' : 'not sustained'}`
  );
}

export async function runStep(sim: CameraSimulator, names: string[], motionGate: boolean, staticCameras: number, p: StepParams): Promise<Step> {
  const step = await withGateway(simCameras(sim, names), motionGate, p, p.warmupMs, (gateway) => measure(gateway, names, motionGate, staticCameras, p));
  p.log(describe(step));
  return step;
}
