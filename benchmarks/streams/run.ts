/**
 * `npm run bench:streams`: CPU cost per camera of decoding 576p/720p/1080p H.264 (15 fps, GOP 2 s)
 * into 5 fps 640x360 RGB, at full decode and keyframes-only, from the ffmpeg processes' own CPU
 * time; then the most simulated 720p cameras this machine sustains at 5 delivered fps with no drops.
 * Cameras come from the real RTSP simulator on 127.0.0.1 (its own CPU is not counted).
 * `runStreamsBench()` is the same run as a function (used by `npm run bench`).
 */
import { CameraSimulator, CameraStream, resolveFfmpeg, SIM_RESOLUTIONS, type SimResolution } from '../../streams';
import { deviceInfo, type DeviceInfo } from '../lib/device';
import { isMain, runBenchmark, writeResult, type StepLog } from '../lib/results';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DecodeFigure {
  resolution: SimResolution;
  mode: 'full decode' | 'keyframes only';
  coreSecondsPerSecond: number;
  deliveredFps: number;
}

/** Starts cameras, waits for their first frame, then measures over `ms` with a consumer that never lags. */
async function run(cams: CameraStream[], ms: number) {
  const counts = cams.map(() => 0);
  let stop = false;
  const consumers = cams.map(async (c, i) => {
    while (!stop) {
      const f = await c.next();
      if (!f) return;
      counts[i]!++;
    }
  });
  cams.forEach((c) => c.start());
  const deadline = Date.now() + 30_000;
  while (cams.some((c) => c.health().framesIn === 0) && Date.now() < deadline) await sleep(100);
  const cpu0 = cams.map((c) => c.health().ffmpegCpuSeconds);
  const in0 = cams.map((c) => c.health().framesIn);
  const drop0 = cams.map((c) => c.health().framesDropped);
  const t0 = Date.now();
  await sleep(ms);
  const seconds = (Date.now() - t0) / 1000;
  const result = cams.map((c, i) => {
    const h = c.health();
    return { cpu: (h.ffmpegCpuSeconds - cpu0[i]!) / seconds, fps: (h.framesIn - in0[i]!) / seconds, dropped: h.framesDropped - drop0[i]! };
  });
  stop = true;
  await Promise.all(cams.map((c) => c.stop()));
  await Promise.all(consumers);
  return result;
}

async function decodeCost(sim: CameraSimulator, resolution: SimResolution, MEASURE_MS: number, log: StepLog): Promise<DecodeFigure[]> {
  const figures: DecodeFigure[] = [];
  for (const keyframesOnly of [false, true]) {
    const cams = [1, 2].map((i) => new CameraStream({ id: `${resolution}-${i}`, url: sim.url(`${resolution}-${i}`), detectFps: 5, detectSize: { width: 640, height: 360 }, keyframesOnly }));
    const r = await run(cams, MEASURE_MS);
    figures.push({
      resolution,
      mode: keyframesOnly ? 'keyframes only' : 'full decode',
      coreSecondsPerSecond: Math.round((r.reduce((a, x) => a + x.cpu, 0) / r.length) * 1000) / 1000,
      deliveredFps: Math.round((r.reduce((a, x) => a + x.fps, 0) / r.length) * 100) / 100,
    });
    log(`  ${resolution} ${figures.at(-1)!.mode}: ${figures.at(-1)!.coreSecondsPerSecond} core-s/s per camera, ${figures.at(-1)!.deliveredFps} fps`);
  }
  return figures;
}

export interface CapacityStep {
  cameras: number;
  minFps: number;
  dropped: number;
  ok: boolean;
  cpuPerCamera: number;
}

async function maxCameras(sim: CameraSimulator, names: string[], counts: number[], MEASURE_MS: number, log: StepLog) {
  const steps: CapacityStep[] = [];
  for (const n of counts.filter((n) => n <= names.length)) {
    const cams = names.slice(0, n).map((name) => new CameraStream({ id: name, url: sim.url(name), detectFps: 5, detectSize: { width: 640, height: 360 } }));
    const r = await run(cams, MEASURE_MS);
    const minFps = Math.min(...r.map((x) => x.fps));
    const dropped = r.reduce((a, x) => a + x.dropped, 0);
    const ok = minFps >= 4.75 && dropped === 0;
    steps.push({ cameras: n, minFps: Math.round(minFps * 100) / 100, dropped, ok, cpuPerCamera: Math.round((r.reduce((a, x) => a + x.cpu, 0) / n) * 1000) / 1000 });
    log(`  ${n} x 720p: min ${steps.at(-1)!.minFps} fps, ${dropped} dropped, ${steps.at(-1)!.cpuPerCamera} core-s/s per camera -> ${ok ? 'sustained' : 'not sustained'}`);
    if (!ok) break;
  }
  return { sustained: Math.max(0, ...steps.filter((s) => s.ok).map((s) => s.cameras)), steps };
}

export interface StreamsBenchResult {
  date: string;
  device: DeviceInfo;
  ffmpeg: string;
  measureSeconds: number;
  decode: DecodeFigure[];
  capacity: { sustained: number; steps: CapacityStep[] };
}

export interface StreamsBenchOptions {
  /** Seconds instead of minutes: 2 s per measurement, no capacity ramp. */
  quick?: boolean;
  /** Camera counts of the 720p capacity ramp (stops at the first not sustained); [] skips it. */
  capacityCounts?: number[];
  /** Length of each measurement (default 20 s, 3 s when quick). */
  measureMs?: number;
  log?: StepLog;
}

export async function runStreamsBench(options: StreamsBenchOptions = {}): Promise<StreamsBenchResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const MEASURE_MS = options.measureMs ?? (quick ? 2000 : 20_000);
  const counts = options.capacityCounts ?? (quick ? [] : [4, 8, 16, 24, 32, 40, 48, 56, 64]);
  const resolutions = Object.keys(SIM_RESOLUTIONS) as SimResolution[];
  const loadNames = Array.from({ length: Math.max(0, ...counts) }, (_, i) => `load${i + 1}`);
  const sim = await CameraSimulator.start({
    cameras: [
      ...resolutions.flatMap((resolution) => [1, 2].map((i) => ({ name: `${resolution}-${i}`, resolution }))),
      ...loadNames.map((name) => ({ name, resolution: '720p' as const })),
    ],
  });
  try {
    log(`streams benchmark: ${resolveFfmpeg().version}`);
    const decode: DecodeFigure[] = [];
    for (const r of resolutions) decode.push(...(await decodeCost(sim, r, MEASURE_MS, log)));
    const capacity = counts.length ? await maxCameras(sim, loadNames, counts, MEASURE_MS, log) : { sustained: 0, steps: [] };
    return { date: new Date().toISOString(), device: deviceInfo(), ffmpeg: resolveFfmpeg().version, measureSeconds: MEASURE_MS / 1000, decode, capacity };
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // The CLI's quick mode keeps its former length (8 s per measurement, the whole ramp).
  const result = await runStreamsBench(quick ? { measureMs: 8000 } : {});
  const { decode, capacity } = result;
  console.log('\n| source | mode | core-s/s per camera | delivered fps |\n| --- | --- | ---: | ---: |');
  for (const d of decode) console.log(`| ${d.resolution} H.264 15 fps | ${d.mode} | ${d.coreSecondsPerSecond} | ${d.deliveredFps} |`);
  console.log(`\nsustained 720p cameras at 5 fps, no drops: ${capacity.sustained}`);
  writeResult('streams', result);
}

if (isMain(import.meta.url)) runBenchmark(main);
