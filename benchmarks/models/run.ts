/**
 * `npm run bench:models`: per-model latency and throughput (batch 1 and the best batch, 1 thread
 * and all cores; on CUDA too where ORT can use it), the converted CenterNet beside the original on
 * TF.js WASM, the face engine stages and the watchlist search. Prints a table and writes JSON to
 * benchmarks/results/. `runModelsBench()` is the same run as a function (used by `npm run bench`).
 */
import { cpus } from 'node:os';
import { ensureCenternetTfjs, ensureFaceModels } from '../../models/assets';
import { ensureCenternetOnnx } from '../../models/assets/centernet-onnx';
import { ort, type ExecutionProvider } from '../../models/runtime/session';
import { deviceInfo, systemInfo } from '../lib/device';
import { isMain, runBenchmark, writeResult, type StepLog } from '../lib/results';
import { measure, type TimingStats } from '../lib/timing';
import { loadTfjsGraphModel, tf } from '../lib/tfjs-wasm';
import { benchModel, type ModelCase, type ThreadFigures } from './model-bench';
import { benchFaceEngine, benchWatchlist } from './face-bench';
import { benchPreprocessing } from './preprocess-bench';
import { printTable, type ModelsBenchResult } from './report';

/** Seed of every synthetic model input (recorded in the combined report). */
export const INPUT_SEED = 0x9e3779b9;

/** Deterministic pseudo-random fill (fixed seed) so runs are reproducible. */
function seededFill<T extends Float32Array | Uint8Array>(arr: T, scale: number, offset = 0): T {
  let s = INPUT_SEED;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    arr[i] = (s / 0xffffffff) * scale + offset;
  }
  return arr;
}

async function modelCases(): Promise<ModelCase[]> {
  const face = ensureFaceModels();
  const centernet = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true });
  const personOnly = await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, classIds: [0] });
  const centernetFeeds = (batch: number) => ({ 'tower_0/images': new ort.Tensor('uint8', seededFill(new Uint8Array(batch * 512 * 512 * 3), 255), [batch, 512, 512, 3]) });
  const floatInput = (name: string, dims: number[]) => (batch: number) => ({
    [name]: new ort.Tensor('float32', seededFill(new Float32Array(batch * dims.reduce((a, b) => a * b, 1)), 2, -1), [batch, ...dims]),
  });
  return [
    {
      name: 'centernet-512 (converted, uint8 in)',
      modelPath: centernet,
      feeds: centernetFeeds,
      batches: [2, 4],
    },
    { name: 'centernet-512 person only (class head cut to 1 channel; the gateway default)', modelPath: personOnly, feeds: centernetFeeds, batches: [2, 4] },
    { name: 'face-detect RFB-320', modelPath: face.detect, feeds: floatInput('input', [3, 240, 320]), batches: [] },
    { name: 'face-landmark 64', modelPath: face.landmark, feeds: floatInput('input', [1, 64, 64]), batches: [] },
    { name: 'face-embed 112', modelPath: face.embed, feeds: floatInput('input', [3, 112, 112]), batches: [] },
  ];
}

async function benchTfjsWasm(minMillis: number, minRuns: number): Promise<TimingStats> {
  const src = ensureCenternetTfjs();
  const model = await loadTfjsGraphModel(src.modelJson, src.weights);
  const x = tf.tensor(seededFill(new Float32Array(512 * 512 * 3), 255), [1, 512, 512, 3]);
  const stats = await measure(async () => {
    const out = model.execute(x, ['tower_0/keypoints', 'tower_0/wh']) as tf.Tensor[];
    await Promise.all(out.map((t) => t.data()));
    out.forEach((t) => t.dispose());
  }, { minMillis, minRuns });
  x.dispose();
  model.dispose();
  return stats;
}

export interface ModelsBenchOptions {
  /** Seconds instead of minutes: short timing windows, a 10,000-entry watchlist. */
  quick?: boolean;
  /** Execution providers to try beside cpu (default: cuda when ORT can load it here). */
  providers?: ExecutionProvider[];
  log?: StepLog;
}

export async function runModelsBench(options: ModelsBenchOptions = {}): Promise<ModelsBenchResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const minMillis = quick ? 300 : 3000;
  const timing = quick ? { minMillis, minRuns: 5, warmup: 1 } : { minMillis };
  const cores = cpus().length;
  const threadCounts = cores > 1 ? [1, cores] : [1];
  const gpuProviders = (options.providers ?? (systemInfo().ortProviders.usable.includes('cuda') ? ['cuda'] : [])).filter((p) => p !== 'cpu');
  const models: Array<{ name: string; figures: ThreadFigures[] }> = [];
  for (const c of await modelCases()) {
    const figures: ThreadFigures[] = [];
    for (const threads of threadCounts) {
      log(`${c.name}, cpu, ${threads} thread${threads > 1 ? 's' : ''}`);
      figures.push(await benchModel(c, threads, timing));
    }
    for (const provider of gpuProviders) {
      log(`${c.name}, ${provider}`);
      const f = await benchModel(c, cores, timing, provider);
      if (f.provider === provider) figures.push(f);
      else log(`  ${provider} unavailable (the session fell back to ${f.provider}); skipped`);
    }
    models.push({ name: c.name, figures });
  }
  log('centernet-512 on @tensorflow/tfjs-backend-wasm (original TF.js model)');
  const tfjsWasm = await benchTfjsWasm(minMillis, quick ? 3 : 10);
  log('face engine stages and preprocessing');
  const faceEngine = [...(await benchPreprocessing(minMillis)), ...(await benchFaceEngine(minMillis))];
  const entries = quick ? 10_000 : 100_000;
  log(`watchlist search, ${entries} entries`);
  const watchlist = await benchWatchlist(entries, minMillis);
  return { date: new Date().toISOString(), device: deviceInfo(), models, tfjsWasmCenternet: tfjsWasm, faceEngine, watchlist };
}

async function main(): Promise<void> {
  const result = await runModelsBench({ quick: process.argv.includes('--quick') });
  printTable(result);
  writeResult('models', result);
}

if (isMain(import.meta.url)) runBenchmark(main);
