import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { modelsCacheDir } from '../../models';
import type { GatewayConfig } from '../config';
import { personDetectorConfig } from './detector-config';
import { chooseBatch, threadLayout, type BatchPoint } from './layout';
import { InferencePool } from './pool';

/** Batch sizes the calibration tries (the pool never forms a batch bigger than the last). */
export const CALIBRATION_BATCHES = [1, 2, 4] as const;
/** A frame older than this when a worker frees up is dropped: its scene has moved on. */
const MAX_FRAME_AGE_MS = 2000;

const CurveFileSchema = z.record(z.string(), z.object({ measuredAt: z.string(), points: z.array(z.object({ batch: z.number().int().positive(), msPerFrame: z.number().positive() })) }));

function curveFile(): string {
  return join(modelsCacheDir(), 'batch-curves.json');
}

function readCurves(): z.infer<typeof CurveFileSchema> {
  try {
    const parsed = CurveFileSchema.safeParse(JSON.parse(readFileSync(curveFile(), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function saveCurve(key: string, points: BatchPoint[]): void {
  const curves = { ...readCurves(), [key]: { measuredAt: new Date().toISOString(), points } };
  mkdirSync(modelsCacheDir(), { recursive: true });
  const tmp = `${curveFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(curves, null, 1));
  renameSync(tmp, curveFile());
}

/**
 * The person detector's worker pool as the gateway runs it: the thread layout from the core count
 * (or the configuration), and the batch from the batch curve measured on this machine, once per
 * model, provider, threads and CPU (cached in the models cache: a restart does not measure again).
 */
export async function startDetectorPool(models: GatewayConfig['models'], log: Logger, cores = availableParallelism()): Promise<InferencePool> {
  const layout = threadLayout(cores, { workers: models.inferenceWorkers, threadsPerWorker: models.threadsPerWorker });
  const detector = personDetectorConfig(models, layout.threadsPerWorker);
  const pool = await InferencePool.create({ workers: layout.workers, detector, maxBatch: Math.max(...CALIBRATION_BATCHES), maxAgeMs: MAX_FRAME_AGE_MS });
  const key = createHash('sha256')
    .update(JSON.stringify({ detector, provider: pool.provider, cores, cpu: cpus()[0]?.model ?? 'unknown' }))
    .digest('hex')
    .slice(0, 16);
  let points = readCurves()[key]?.points;
  const cached = points !== undefined;
  if (!points) {
    try {
      points = await pool.calibrate(CALIBRATION_BATCHES);
      saveCurve(key, points);
    } catch (err) {
      log.warn({ err }, 'batch calibration failed; running one frame per model run');
      points = [];
    }
  }
  pool.useBatch(chooseBatch(points));
  log.info({ ...layout, cores, provider: pool.provider, batch: pool.batch, curve: points, cached }, 'person detector pool started');
  return pool;
}
