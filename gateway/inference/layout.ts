/**
 * How the person detector uses the machine's cores: how many inference workers (each its own ORT
 * session), how many ORT threads each, and how many frames per model run.
 *
 * Measured on a 2-core Xeon VM (2026-12-01, CenterNet 512, saturated, process CPU):
 *   2 workers x 1 thread, batch 1: 47.8 inferences/s, 41.4 core-ms each (batch 2: 44.4; batch 4: 42.6)
 *   1 worker  x 2 threads, batch 1: 34.9 inferences/s, 48.5 core-ms each (batch 2: 39.0; batch 4: 38.7)
 *   1 worker  x 1 thread,  batch 1: 24.5 inferences/s, 41.1 core-ms each
 * One single-threaded session per core wastes nothing on ORT's thread synchronisation, and on a
 * CPU a bigger batch only spills the caches. So: a worker per core with one thread each, up to 4
 * workers (each holds its own session and JS heap, ~40 MiB); past 4 cores the threads per worker
 * grow instead (4/8/16 cores: 4x1, 4x2, 4x4; not measured here: these VMs have 2 cores). The batch
 * comes from the batch curve measured on the machine itself (chooseBatch).
 */
export interface ThreadLayout {
  workers: number;
  threadsPerWorker: number;
}

export const MAX_AUTO_WORKERS = 4;

/** The layout for `cores` cores; `configured` (models.inferenceWorkers / threadsPerWorker) wins where set. */
export function threadLayout(cores: number, configured: { workers?: number | undefined; threadsPerWorker?: number | undefined } = {}): ThreadLayout {
  const usable = Math.max(1, Math.floor(cores));
  const workers = configured.workers ?? Math.min(usable, MAX_AUTO_WORKERS);
  const threadsPerWorker = configured.threadsPerWorker ?? Math.max(1, Math.floor(usable / workers));
  return { workers, threadsPerWorker };
}

/** A point of the batch curve: milliseconds of model time per frame at this batch size. */
export interface BatchPoint {
  batch: number;
  msPerFrame: number;
}

/**
 * The batch with the lowest time per frame; a bigger batch must beat the smaller ones by `margin`
 * (default 5%) to be chosen, because it also makes every frame of the batch wait for the others.
 */
export function chooseBatch(curve: readonly BatchPoint[], margin = 0.05): number {
  const sorted = [...curve].filter((p) => Number.isFinite(p.msPerFrame) && p.msPerFrame > 0).sort((a, b) => a.batch - b.batch);
  let best = sorted[0];
  for (const p of sorted.slice(1)) if (best && p.msPerFrame < best.msPerFrame * (1 - margin)) best = p;
  return best?.batch ?? 1;
}
