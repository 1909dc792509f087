/**
 * Memory soak: N cameras, every frame detected, for a number of minutes after warm-up; RSS sampled
 * every 5 s and its least-squares slope in MiB per minute (flat memory: a slope near 0).
 */
import type { CameraSimulator } from '../../streams';
import { sleep, withGateway, type PoolOverrides } from './bench-gateway';
import { leastSquaresSlope } from './slope';

export interface SoakResult {
  cameras: number;
  minutes: number;
  sampleSeconds: number;
  /** [seconds since the start of the window, RSS MiB]. */
  samples: Array<[number, number]>;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  slopeMiBPerMinute: number | null;
  /** The slowest camera's detected fps over the whole window. */
  minDetectFps: number;
}

export async function runSoak(sim: CameraSimulator, names: string[], minutes: number, pool: PoolOverrides & { warmupMs: number; sampleMs?: number }): Promise<SoakResult> {
  const sampleMs = pool.sampleMs ?? 5000;
  return withGateway(sim, names, false, pool, pool.warmupMs, async (gateway) => {
    const before = gateway.pipelines.map((p) => p.live().detectedFrames);
    const t0 = performance.now();
    const samples: Array<[number, number]> = [];
    const sample = () => samples.push([Math.round((performance.now() - t0) / 100) / 10, Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10]);
    sample();
    const end = t0 + minutes * 60_000;
    while (performance.now() < end) {
      await sleep(Math.min(sampleMs, end - performance.now()));
      sample();
    }
    const seconds = (performance.now() - t0) / 1000;
    const fps = gateway.pipelines.map((p, i) => (p.live().detectedFrames - before[i]!) / seconds);
    const slope = leastSquaresSlope(samples.map(([t, rss]) => ({ x: t / 60, y: rss })));
    const rss = samples.map(([, r]) => r);
    return {
      cameras: names.length,
      minutes,
      sampleSeconds: sampleMs / 1000,
      samples,
      rssStartMiB: Math.round(rss[0]!),
      rssEndMiB: Math.round(rss[rss.length - 1]!),
      rssMaxMiB: Math.round(Math.max(...rss)),
      slopeMiBPerMinute: slope === null ? null : Math.round(slope * 100) / 100,
      minDetectFps: Math.round(Math.min(...fps) * 100) / 100,
    };
  });
}
