/** A gateway service on simulated cameras for one benchmark step: started, warmed up, stopped and cleaned. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { CameraSimulator } from '../../streams';
import { parseConfig } from '../../gateway/config';
import { GatewayService } from '../../gateway/service';

export interface PoolOverrides {
  workers: number | undefined;
  threads: number | undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A camera of a step: its id and RTSP URL (a simulated camera). */
export interface BenchCamera {
  id: string;
  url: string;
}

export const simCameras = (sim: CameraSimulator, names: string[]): BenchCamera[] => names.map((name) => ({ id: name, url: sim.url(name) }));

/** The gateway configuration of a step: these cameras at detect 5 fps, 640x360. */
export function benchConfig(cameras: BenchCamera[], motionGate: boolean, { workers, threads }: PoolOverrides, dataDir: string) {
  return parseConfig({
    site: { id: 'bench', name: 'bench' },
    cameras: cameras.map(({ id, url }) => ({ id, url, motionGate, detectFps: 5, detectSize: { width: 640, height: 360 } })),
    storage: { dataDir },
    models: { ...(workers ? { inferenceWorkers: workers } : {}), ...(threads !== undefined ? { threadsPerWorker: threads } : {}) },
    api: { host: '127.0.0.1', port: 0 },
  });
}

/**
 * Runs `fn` on a gateway watching `names`, once every camera has handled a frame (RTSP connect and
 * ffmpeg start excluded) and `warmupMs` more have passed; stops the gateway and removes its data after.
 */
export async function withGateway<T>(cameras: BenchCamera[], motionGate: boolean, pool: PoolOverrides, warmupMs: number, fn: (gateway: GatewayService) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gw-'));
  const gateway = await GatewayService.start(benchConfig(cameras, motionGate, pool, dir), pino({ level: 'error' }));
  try {
    const deadline = Date.now() + 30_000;
    const idle = (l: { detectedFrames: number; motionSkipped: number }) => l.detectedFrames + l.motionSkipped === 0;
    while (gateway.pipelines.some((p) => idle(p.live())) && Date.now() < deadline) await sleep(100);
    await sleep(warmupMs);
    return await fn(gateway);
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
