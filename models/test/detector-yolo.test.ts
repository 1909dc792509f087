import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../detector';
import { ModelError } from '../errors';
import type { RgbFrame } from '../image';
import { writeYoloFixture } from '../../test-helpers/yolo-fixtures';

let dir: string;
const NAMES = "{0: 'person', 1: 'car', 2: 'dog'}";

/** A 128x64 frame: letterboxed into 64x64 it is scaled by 0.5 with 16 px of padding on top. */
const wideFrame = (): RgbFrame => ({ data: new Uint8Array(128 * 64 * 3).fill(90), width: 128, height: 64 });

/** Anchor rows in the fixtures; the rest of the rows score zero, as most anchors of a real model do. */
const ANCHORS = 32;

/** YOLOv8 layout [1, 4 + classes, anchors]: column-major per anchor. */
function v8Output(anchors: Array<[number, number, number, number, number[]]>): Float32Array {
  const channels = 4 + 3;
  const data = new Float32Array(channels * ANCHORS);
  anchors.forEach(([cx, cy, w, h, scores], n) => {
    [cx, cy, w, h, ...scores].forEach((v, c) => (data[c * ANCHORS + n] = v));
  });
  return data;
}

/** YOLOv5 layout [1, anchors, 5 + classes]: cx, cy, w, h, objectness, class scores. */
function v5Output(rows: number[][]): Float32Array {
  const data = new Float32Array(ANCHORS * 8);
  rows.forEach((r, i) => data.set(r, i * 8));
  return data;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yolo-fixtures-'));
  writeYoloFixture(join(dir, 'v8.onnx'), {
    input: ['batch', 3, 64, 64],
    metadata: { names: NAMES, task: 'detect' },
    outputs: [{
      name: 'output0',
      dims: [1, 7, ANCHORS],
      data: v8Output([
        [32, 32, 16, 16, [0.9, 0.1, 0]], // person
        [33, 32, 16, 16, [0.8, 0, 0]], // same person, lower score: suppressed by NMS
        [10, 40, 8, 8, [0, 0.7, 0.2]], // car
        [50, 50, 8, 8, [0.2, 0.1, 0.3]], // below threshold
      ]),
    }],
  });
  writeYoloFixture(join(dir, 'v5.onnx'), {
    input: [1, 3, 64, 64],
    outputs: [{
      name: 'output0',
      dims: [1, ANCHORS, 8],
      // score = objectness * class score
      data: v5Output([[32, 32, 16, 16, 0.9, 0.1, 0.9, 0], [10, 10, 4, 4, 0.3, 1, 0, 0], [20, 20, 10, 10, 0.95, 0, 0, 1]]),
    }],
  });
  writeYoloFixture(join(dir, 'nms.onnx'), {
    input: [1, 3, 64, 64],
    outputs: [{ name: 'output0', dims: [1, 2, 6], data: Float32Array.from([8, 24, 24, 40, 0.88, 2, 0, 0, 0, 0, 0, 0]) }],
  });
  writeYoloFixture(join(dir, 'flat.onnx'), {
    input: ['batch', 3, 64, 64],
    outputs: [{
      name: 'output',
      dims: [2, 7],
      outputDims: ['n', 7],
      data: Float32Array.from([0, 8, 24, 24, 40, 0, 0.9, 1, 40, 24, 56, 40, 1, 0.8]),
    }],
  });
  writeYoloFixture(join(dir, 'split.onnx'), {
    input: [1, 3, 64, 64],
    outputs: [
      { name: 'num_dets', dims: [1, 1], data: Float32Array.from([1]) },
      { name: 'det_boxes', dims: [1, 2, 4], data: Float32Array.from([8, 24, 24, 40, 1, 1, 2, 2]) },
      { name: 'det_scores', dims: [1, 2], data: Float32Array.from([0.7, 0.99]) },
      { name: 'det_classes', dims: [1, 2], data: Float32Array.from([0, 1]) },
    ],
  });
  writeYoloFixture(join(dir, 'bad-rank.onnx'), {
    input: [1, 3, 64, 64],
    outputs: [{ name: 'output0', dims: [1, 10], outputDims: [1, 10], data: new Float32Array(10) }],
  });
  writeFileSync(join(dir, 'labels.txt'), 'person\ncar\ndog\n');
  writeFileSync(join(dir, 'two-labels.json'), '["person", "car"]');
  writeFileSync(join(dir, 'garbage.onnx'), Buffer.from('this is not a protobuf model at all, just text'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const round = (v: number): number => Math.round(v * 10) / 10;

describe('bring-your-own YOLO detectors', () => {
  it('decodes the YOLOv8 layout with names from metadata, per-class NMS and letterbox mapping', async () => {
    const det = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), scoreThreshold: 0.5 });
    expect(det.info.layout).toBe('yolov8');
    expect(det.info.classNames).toEqual(['person', 'car', 'dog']);
    const [result] = await det.detect([wideFrame()]);
    expect(result!.map((d) => d.label)).toEqual(['person', 'car']);
    const person = result![0]!;
    expect(person.score).toBeCloseTo(0.9, 5);
    // model box 24..40 x 24..40 -> source x = 24/0.5 .. 40/0.5, y = (24-16)/0.5 .. (40-16)/0.5
    expect([person.box.x1, person.box.y1, person.box.x2, person.box.y2].map(round)).toEqual([48, 16, 80, 48]);
    await det.dispose();
  });

  it('batches several frames in one run when the batch dimension is dynamic', async () => {
    const det = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), maxBatch: 2 });
    expect(det.info.batchSize).toBe(2);
    const results = await det.detect([wideFrame(), wideFrame(), wideFrame()]);
    expect(results).toHaveLength(3);
    for (const r of results) expect(r.map((d) => d.label)).toEqual(['person', 'car']);
    await det.dispose();
  });

  it('filters by class name and rejects an unknown class', async () => {
    const det = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), classes: ['car'] });
    expect((await det.detectOne(wideFrame())).map((d) => d.label)).toEqual(['car']);
    await det.dispose();
    await expect(Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), classes: ['zebra'] })).rejects.toThrow(/unknown class 'zebra'/);
  });

  it('decodes the YOLOv5 layout (objectness x class score) with labels from a file', async () => {
    const det = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'v5.onnx'), labelsPath: join(dir, 'labels.txt'), resize: 'stretch' });
    expect(det.info.layout).toBe('yolov5');
    const frame: RgbFrame = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
    const result = await det.detectOne(frame);
    expect(result.map((d) => d.label)).toEqual(['dog', 'car']);
    expect(result[0]!.score).toBeCloseTo(0.95, 5);
    expect(result[1]!.score).toBeCloseTo(0.9 * 0.9, 5);
    await det.dispose();
  });

  it('reads outputs with NMS built in: [batch, k, 6], [k, 7] per batch index, and four split outputs', async () => {
    const boxes = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'nms.onnx'), labelsPath: join(dir, 'labels.txt') });
    expect(boxes.info.layout).toBe('nms-boxes');
    expect((await boxes.detectOne(wideFrame())).map((d) => d.label)).toEqual(['dog']);
    await boxes.dispose();

    const flat = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'flat.onnx'), labelsPath: join(dir, 'labels.txt'), maxBatch: 2 });
    expect(flat.info.layout).toBe('nms-flat');
    const [first, second] = await flat.detect([wideFrame(), wideFrame()]);
    expect(first!.map((d) => d.label)).toEqual(['person']);
    expect(second!.map((d) => d.label)).toEqual(['car']);
    await flat.dispose();

    const split = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'split.onnx'), labelsPath: join(dir, 'labels.txt') });
    expect(split.info.layout).toBe('nms-split');
    // num_dets = 1: the second (higher-scoring) row is padding and must be ignored.
    expect((await split.detectOne(wideFrame())).map((d) => [d.label, round(d.score)])).toEqual([['person', 0.7]]);
    await split.dispose();
  });

  it('rejects a model whose outputs fit no known layout, saying what it found and expected', async () => {
    const err = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'bad-rank.onnx') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/found output0 \[1, 10\]/);
    expect((err as Error).message).toMatch(/expected one of: YOLOv5/);
  });

  it('rejects labels that do not match the class count of the output', async () => {
    await expect(
      Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), labelsPath: join(dir, 'two-labels.json') }),
    ).rejects.toThrow(/3 classes but 2 labels/);
  });

  it('gives clear errors for missing, corrupt and empty model files', async () => {
    await expect(Detector.create({ kind: 'yolo', modelPath: join(dir, 'nope.onnx') })).rejects.toThrow(/cannot read model file .*nope\.onnx/);
    await expect(Detector.create({ kind: 'yolo', modelPath: join(dir, 'garbage.onnx') })).rejects.toThrow(/garbage\.onnx/);
    writeFileSync(join(dir, 'empty.onnx'), '');
    await expect(Detector.create({ kind: 'yolo', modelPath: join(dir, 'empty.onnx') })).rejects.toThrow(/empty/);
  });

  it('validates the config and the frames, naming the field', async () => {
    await expect(Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx'), scoreThreshold: 2 })).rejects.toThrow(/scoreThreshold/);
    const det = await Detector.create({ kind: 'yolo', modelPath: join(dir, 'v8.onnx') });
    await expect(det.detect([{ data: new Uint8Array(10), width: 4, height: 4 }])).rejects.toThrow(/frames\[0\]\.data has 10 bytes, expected 48/);
    await expect(det.detect([{ data: new Uint8Array(0), width: 0, height: 0 }])).rejects.toThrow(/frames\[0\] has size 0x0/);
    // The detector still works after rejected input.
    expect(await det.detectOne(wideFrame())).toHaveLength(2);
    await det.dispose();
  });
});
