import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsGraphModel, tf } from '../../benchmarks/lib/tfjs-wasm';
import { mediaPath, videoFrame } from '../../test-helpers/media';
import { ensureCenternetTfjs } from '../assets';
import { ensureCenternetOnnx } from '../assets/centernet-onnx';
import { decodeCenternetHeads } from '../detector/centernet-decode';
import { CandidateBuffer } from '../detector/nms';
import { decodeImage, type RgbFrame } from '../image';
import { ort } from '../runtime/session';

const SIZE = 512;
const PERSON = 0;
const MIN_SCORE = 0.3;
type Box = [number, number, number, number, number];

/** The model's own preprocessing: raw RGB 0-255, bilinear resize to 512x512, NHWC. */
async function modelInput(frame: RgbFrame): Promise<Uint8Array> {
  const { width, height } = frame;
  const raw = sharp(frame.data, { raw: { width, height, channels: 3 } });
  return new Uint8Array(await raw.resize(SIZE, SIZE, { fit: 'fill', kernel: 'linear' }).raw().toBuffer());
}

/** Person rows (x1, y1, x2, y2, score) of a [1, 100, 6] detections tensor, best first. */
function personRows(d: ArrayLike<number>): Box[] {
  const rows: Box[] = [];
  for (let r = 0; r * 6 < d.length; r++) {
    const o = r * 6;
    if (d[o + 5] === PERSON && d[o + 4]! >= MIN_SCORE) rows.push([d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!]);
  }
  return rows.sort((a, b) => b[4] - a[4]);
}

function expectSameBoxes(actual: Box[], expected: Box[], what: string): void {
  expect(actual.length, `${what}: person count`).toBe(expected.length);
  for (const [i, e] of expected.entries()) {
    const a = actual[i]!;
    for (let k = 0; k < 4; k++) expect(Math.abs(a[k]! - e[k]!), `${what}: person ${i} coordinate ${k}`).toBeLessThanOrEqual(1);
    expect(a[4]).toBeCloseTo(e[4], 4);
  }
}

let full: ort.InferenceSession;
let heads: ort.InferenceSession;
let original: tf.GraphModel;
const images: Array<{ name: string; input: Uint8Array }> = [];

beforeAll(async () => {
  full = await ort.InferenceSession.create(await ensureCenternetOnnx({ uint8Input: false, dynamicBatch: false }), { intraOpNumThreads: 2 });
  heads = await ort.InferenceSession.create(await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true }), { intraOpNumThreads: 2 });
  const source = ensureCenternetTfjs();
  original = await loadTfjsGraphModel(source.modelJson, source.weights);
  const frames: Array<[string, RgbFrame]> = [
    ['vtest.avi#0', videoFrame('vtest.avi', 0)],
    ['vtest.avi#300', videoFrame('vtest.avi', 300)],
    ['messi5.jpg', await decodeImage(mediaPath('messi5.jpg'))],
    ['basketball1.png', await decodeImage(mediaPath('basketball1.png'))],
  ];
  for (const [name, frame] of frames) images.push({ name, input: await modelInput(frame) });
});
afterAll(async () => {
  await full?.release();
  await heads?.release();
  original?.dispose();
});

describe('converted CenterNet against the original TF.js graph (tfjs-backend-wasm)', () => {
  it('gives the same heatmap (within 1e-4) and the same persons (within 1 px) on real images', async () => {
    let people = 0;
    for (const { name, input } of images) {
      const floats = Float32Array.from(input);
      const out = await full.run({ 'tower_0/images': new ort.Tensor('float32', floats, [1, SIZE, SIZE, 3]) });
      const [keypoints, detections] = original.execute(tf.tensor(floats, [1, SIZE, SIZE, 3]), ['tower_0/keypoints', 'tower_0/detections']) as tf.Tensor[];
      const expectedHeat = keypoints!.dataSync();
      const actualHeat = out['tower_0/keypoints']!.data as Float32Array;
      expect(actualHeat.length).toBe(expectedHeat.length);
      let maxDiff = 0;
      for (let i = 0; i < expectedHeat.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expectedHeat[i]! - actualHeat[i]!));
      expect(maxDiff, `${name}: heatmap max |diff|`).toBeLessThanOrEqual(1e-4);
      const expected = personRows(detections!.dataSync());
      expectSameBoxes(personRows(out['tower_0/detections']!.data as Float32Array), expected, name);
      people += expected.length;
      tf.dispose([keypoints!, detections!]);
    }
    expect(people).toBeGreaterThanOrEqual(12);
  });

  it('decodes the batched heads variant into the same persons as the graph tail, batch or not', async () => {
    const [a, b] = images as [(typeof images)[0], (typeof images)[0]];
    const batch = new Uint8Array(a.input.length * 2);
    batch.set(a.input, 0);
    batch.set(b.input, a.input.length);
    const batched = await heads.run({ 'tower_0/images': new ort.Tensor('uint8', batch, [2, SIZE, SIZE, 3]) });
    for (const [index, image] of [a, b].entries()) {
      const single = await heads.run({ 'tower_0/images': new ort.Tensor('uint8', image.input, [1, SIZE, SIZE, 3]) });
      const reference = await full.run({ 'tower_0/images': new ort.Tensor('float32', Float32Array.from(image.input), [1, SIZE, SIZE, 3]) });
      const expected = personRows(reference['tower_0/detections']!.data as Float32Array);
      for (const [out, at] of [[single, 0], [batched, index]] as const) {
        const candidates = new CandidateBuffer();
        const asData = (t: ort.Tensor) => ({ data: t.data as Float32Array, dims: t.dims });
        decodeCenternetHeads(asData(out.peaks!), asData(out.wh!), at, SIZE, { scoreThreshold: MIN_SCORE, allowed: Uint8Array.of(1) }, candidates);
        const rows: Box[] = Array.from({ length: candidates.count }, (_, i) => [
          candidates.boxes[i * 4]!, candidates.boxes[i * 4 + 1]!, candidates.boxes[i * 4 + 2]!, candidates.boxes[i * 4 + 3]!, candidates.scores[i]!,
        ]);
        expectSameBoxes(rows.sort((x, y) => y[4] - x[4]), expected, `${image.name} (batch position ${at})`);
      }
    }
  });

  it('runs MobileNetV3 hard-swish as one HardSwish op (the float16 1/6 folded into the next convolutions)', async () => {
    const { onnx } = await import('../onnx/proto');
    const { readFileSync } = await import('node:fs');
    const model = onnx.ModelProto.decode(readFileSync(await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true })));
    const ops = (model.graph?.node ?? []).map((n) => n.opType);
    expect(ops.filter((op) => op === 'HardSwish')).toHaveLength(20);
    // What is left of TF's pattern: Clip only in relu6 of the squeeze-excite gates.
    expect(ops.filter((op) => op === 'Clip').length).toBeLessThan(10);
  });

  it('keeps exactly the asked-for classes when the class head is cut down (person and car here)', async () => {
    const KEEP = [PERSON, 2];
    const cut = await ort.InferenceSession.create(await ensureCenternetOnnx({ uint8Input: true, dynamicBatch: true, classIds: KEEP }), { intraOpNumThreads: 2 });
    try {
      for (const image of images.slice(0, 2)) {
        const feed = { 'tower_0/images': new ort.Tensor('uint8', image.input, [1, SIZE, SIZE, 3]) };
        const all = await heads.run(feed);
        const some = await cut.run(feed);
        const [, h, w, classes] = all.peaks!.dims as number[];
        expect(some.peaks!.dims).toEqual([1, h, w, KEEP.length]);
        const a = all.peaks!.data as Float32Array;
        const b = some.peaks!.data as Float32Array;
        let maxDiff = 0;
        let peaks = 0;
        for (let cell = 0; cell < h! * w!; cell++) {
          for (const [k, c] of KEEP.entries()) {
            maxDiff = Math.max(maxDiff, Math.abs(a[cell * classes! + c]! - b[cell * KEEP.length + k]!));
            if (b[cell * KEEP.length + k]! >= MIN_SCORE) peaks++;
          }
        }
        expect(maxDiff, image.name).toBeLessThan(1e-5);
        expect(peaks, `${image.name}: some kept-class peaks`).toBeGreaterThan(0);
        expect(Array.from(some.wh!.data as Float32Array)).toEqual(Array.from(all.wh!.data as Float32Array));
      }
    } finally {
      await cut.release();
    }
  });
});
