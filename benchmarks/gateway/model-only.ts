/**
 * The person detector alone, as the gateway runs it: `workers` worker threads with `threads` ORT
 * threads each, all saturated at once, in this same process. `prepared` runs the model on an already
 * filled input tensor at batch 1, 2, 4 (the ceiling the pipeline is measured against); `detect` runs
 * real camera-size frames through `Detector.detect` (sharp resize and output decoding included),
 * so the difference per frame is what turning a camera frame into detections costs beyond the model.
 */
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { DetectorConfig } from '../../models';
import type { RgbFrame } from '../../models/image';
import { resolveFfmpeg } from '../../streams/ffmpeg/binary';
import { simulatorMedia } from '../../streams/simulator/media';
import type { ModelOnlyInit, ModelOnlyRun } from './model-only-worker';

export interface ModelOnlyRow {
  mode: ModelOnlyRun['mode'];
  batch: number;
  inferencesPerSecond: number;
  /** Process CPU over the window / inferences (all threads: workers and the idle main thread). */
  coreMsPerInference: number;
  cores: number;
}

export interface ModelOnlyResult {
  workers: number;
  threadsPerWorker: number;
  measureSeconds: number;
  frame: { width: number; height: number };
  rows: ModelOnlyRow[];
  /** The prepared batch with the most inferences/s. */
  best: ModelOnlyRow;
  /** detect() core-ms per frame minus prepared batch 1's: sharp resize + output decoding. */
  frameOverheadCoreMs: number | null;
}

export interface ModelOnlyOptions {
  workers: number;
  threadsPerWorker: number;
  /** The detector exactly as the gateway configures it (maxBatch raised to the largest batch here). */
  detector: DetectorConfig;
  batches?: number[];
  /** Camera-size frame for `detect` (default 640x360). */
  frameSize?: { width: number; height: number };
  warmupMs: number;
  measureMs: number;
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

/** Frame 100 of the simulated cameras' video, scaled by ffmpeg as the gateway's cameras deliver it. */
export function cameraFrame({ width, height }: { width: number; height: number }): RgbFrame {
  const data = execFileSync(
    resolveFfmpeg().path,
    ['-v', 'error', '-i', simulatorMedia('720p'), '-vf', `select=eq(n\\,100),scale=${width}:${height}:flags=bilinear`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { maxBuffer: width * height * 3 + 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (data.length !== width * height * 3) throw new Error(`camera frame: expected ${width * height * 3} bytes from ffmpeg, got ${data.length}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

function startWorker(init: ModelOnlyInit): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./model-only-entry.mjs', import.meta.url), { workerData: init });
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      resolve(worker);
    });
  });
}

function runAll(workers: Worker[], run: ModelOnlyRun): Promise<number> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', (n: number) => {
            w.off('error', reject);
            resolve(n);
          });
          w.postMessage(run);
        }),
    ),
  ).then((counts) => counts.reduce((a, b) => a + b, 0));
}

export async function runModelOnly(o: ModelOnlyOptions, log: (line: string) => void = () => {}): Promise<ModelOnlyResult> {
  const batches = o.batches ?? [1, 2, 4];
  const size = o.frameSize ?? { width: 640, height: 360 };
  const frame = cameraFrame(size);
  const detector: DetectorConfig = { ...o.detector, maxBatch: Math.max(...batches), session: { ...o.detector.session, intraOpThreads: o.threadsPerWorker } };
  const workers = await Promise.all(Array.from({ length: o.workers }, () => startWorker({ detector, frame })));
  try {
    const rows: ModelOnlyRow[] = [];
    const measure = async (mode: ModelOnlyRun['mode'], batch: number) => {
      await runAll(workers, { mode, batch, ms: o.warmupMs });
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const n = await runAll(workers, { mode, batch, ms: o.measureMs });
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const row: ModelOnlyRow = { mode, batch, inferencesPerSecond: round(n / seconds, 1), coreMsPerInference: round(cpuMs / n, 1), cores: round(cpuMs / 1000 / seconds) };
      log(`  model only, ${o.workers} worker(s) x ${o.threadsPerWorker} thread(s), ${mode} batch ${batch}: ${row.inferencesPerSecond} inf/s, ${row.coreMsPerInference} core-ms/inf, ${row.cores} cores`);
      rows.push(row);
    };
    for (const b of batches) await measure('prepared', b);
    await measure('detect', 1);
    const prepared = rows.filter((r) => r.mode === 'prepared');
    const best = prepared.reduce((a, r) => (r.inferencesPerSecond > a.inferencesPerSecond ? r : a));
    const one = prepared.find((r) => r.batch === 1);
    const det = rows.find((r) => r.mode === 'detect');
    return {
      workers: o.workers,
      threadsPerWorker: o.threadsPerWorker,
      measureSeconds: o.measureMs / 1000,
      frame: size,
      rows,
      best,
      frameOverheadCoreMs: one && det ? round(det.coreMsPerInference - one.coreMsPerInference, 1) : null,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
