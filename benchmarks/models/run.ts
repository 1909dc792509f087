/**
 * `npm run bench:models`: per-model latency and throughput (batch 1 and the best batch, 1 thread
 * and all cores), the converted CenterNet beside the original on TF.js WASM, the face engine
 * stages and the watchlist search. Prints a table and writes JSON to benchmarks/results/.
 */
import { cpus } from 'node:os';
import { ensureCenternetTfjs, ensureFaceModels } from '../../models/assets';
import { ensureCenternetOnnx } from '../../models/assets/centernet-onnx';
import { ort } from '../../models/runtime/session';
import { deviceInfo } from '../lib/device';
import { runBenchmark, writeResult } from '../lib/results';
import { measure, type TimingStats } from '../lib/timing';
import { loadTfjsGraphModel, tf } from '../lib/tfjs-wasm';
import { benchModel, type ModelCase, type ThreadFigures } from './model-bench';
import { benchFaceEngine, benchWatchlist } from './face-bench';
import { benchPreprocessing } from './preprocess-bench';
import { printTable } from './report';

const quick = process.argv.includes('--quick');
const minMillis = quick ? 500 : 3000;

/** Deterministic pseudo-random fill (fixed seed) so runs are reproducible. */
function seededFill<T extends Float32Array | Uint8Array>(arr: T, scale: number, offset = 0): T {
  let s = 0x9e3779b9;
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

async function benchTfjsWasm(): Promise<TimingStats> {
  const src = ensureCenternetTfjs();
  const model = await loadTfjsGraphModel(src.modelJson, src.weights);
  const x = tf.tensor(seededFill(new Float32Array(512 * 512 * 3), 255), [1, 512, 512, 3]);
  const stats = await measure(async () => {
    const out = model.execute(x, ['tower_0/keypoints', 'tower_0/wh']) as tf.Tensor[];
    await Promise.all(out.map((t) => t.data()));
    out.forEach((t) => t.dispose());
  }, { minMillis, minRuns: 10 });
  x.dispose();
  model.dispose();
  return stats;
}

async function main(): Promise<void> {
  const cores = cpus().length;
  const threadCounts = cores > 1 ? [1, cores] : [1];
  const models: Array<{ name: string; figures: ThreadFigures[] }> = [];
  for (const c of await modelCases()) {
    const figures: ThreadFigures[] = [];
    for (const threads of threadCounts) figures.push(await benchModel(c, threads, minMillis));
    models.push({ name: c.name, figures });
  }
  const tfjsWasm = await benchTfjsWasm();
  const faceEngine = [...(await benchPreprocessing(minMillis)), ...(await benchFaceEngine(minMillis))];
  const watchlist = await benchWatchlist(100_000, minMillis);
  const result = { date: new Date().toISOString(), device: deviceInfo(), models, tfjsWasmCenternet: tfjsWasm, faceEngine, watchlist };
  printTable(result);
  writeResult('models', result);
}

runBenchmark(main);
