/**
 * Memory soak: N cameras, every frame detected, for a number of minutes after warm-up; RSS sampled
 * every 5 s and its least-squares slope in MiB per minute (flat memory: a slope near 0). It runs in
 * a fresh Node process (soak-child.ts) holding nothing but the gateway, so the RSS is the gateway's
 * own, not the benchmark's after its earlier steps and the model-only workers.
 */
import { fork } from 'node:child_process';
import { sleep, withGateway, type BenchCamera, type PoolOverrides } from './bench-gateway';
import { leastSquaresSlope } from './slope';
import type { SoakResult } from './result-types';
export type { SoakResult } from './result-types';


export interface SoakOptions extends PoolOverrides {
  warmupMs: number;
  sampleMs?: number;
}

/** The soak in this process (soak-child.ts calls it). */
export async function runSoak(cameras: BenchCamera[], minutes: number, o: SoakOptions): Promise<SoakResult> {
  const sampleMs = o.sampleMs ?? 5000;
  return withGateway(cameras, false, o, o.warmupMs, async (gateway) => {
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
      cameras: cameras.length,
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

/** What the parent sends soak-child.ts. */
export interface SoakRequest {
  cameras: BenchCamera[];
  minutes: number;
  options: SoakOptions;
}

export type SoakReply = { ok: true; result: SoakResult } | { ok: false; message: string };

/** The soak in a fresh Node process (tsx loader), answered over IPC. */
export function runSoakInChild(cameras: BenchCamera[], minutes: number, options: SoakOptions): Promise<SoakResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./soak-child.ts', import.meta.url), [], { cwd: new URL('../..', import.meta.url), execArgv: ['--import', 'tsx'], env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let reply: SoakReply | undefined;
    child.on('message', (m: SoakReply) => (reply = m));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (reply?.ok) resolve(reply.result);
      else reject(new Error(reply && !reply.ok ? `soak: ${reply.message}` : `soak process exited (${signal ?? code}) without a result`));
    });
    child.send({ cameras, minutes, options } satisfies SoakRequest);
  });
}
