import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsGraphModel, tf } from '../../benchmarks/lib/tfjs-wasm';
import { convertTfjsGraphModel } from '../tfjs-onnx';
import { ort } from '../runtime/session';
import { ModelError } from '../errors';
import {
  placeholder,
  seededValues,
  tfBool,
  tfInts,
  tfStr,
  tfStrs,
  tfType,
  writeTfjsGraphModel,
  type TfFixtureNode,
} from '../../test-helpers/tfjs-fixtures';

const F = { T: tfType('DT_FLOAT') };
const SHAPE = [1, 9, 11, 3];
const OUTPUTS = ['conv', 'dw', 'pool', 'mean', 'resize_ac', 'resize_hp', 'resize_asym', 'gate'];

/** One small graph exercising every layout-sensitive op with the attributes CenterNet uses and the tricky ones. */
function opsGraph(dir: string): string {
  const nodes: TfFixtureNode[] = [
    placeholder('x', SHAPE),
    {
      name: 'conv', op: '_FusedConv2D', input: ['x', 'w', 'b'],
      attr: { ...F, strides: tfInts([1, 2, 2, 1]), padding: tfStr('SAME'), fused_ops: tfStrs(['BiasAdd', 'Relu']), num_args: { i: '1' }, data_format: tfStr('NHWC'), dilations: tfInts([1, 1, 1, 1]) },
    },
    { name: 'dw_raw', op: 'DepthwiseConv2dNative', input: ['conv', 'wd'], attr: { ...F, strides: tfInts([1, 1, 1, 1]), padding: tfStr('SAME'), data_format: tfStr('NHWC'), dilations: tfInts([1, 1, 1, 1]) } },
    { name: 'dw', op: 'Relu6', input: ['dw_raw'], attr: F },
    { name: 'pool', op: 'MaxPool', input: ['dw'], attr: { ...F, ksize: tfInts([1, 3, 3, 1]), strides: tfInts([1, 2, 2, 1]), padding: tfStr('SAME'), data_format: tfStr('NHWC') } },
    { name: 'mean', op: 'Mean', input: ['conv', 'axes'], attr: { ...F, keep_dims: tfBool(true), Tidx: tfType('DT_INT32') } },
    { name: 'resize_ac', op: 'ResizeBilinear', input: ['x', 'size_up'], attr: { ...F, align_corners: tfBool(true), half_pixel_centers: tfBool(false) } },
    { name: 'resize_hp', op: 'ResizeBilinear', input: ['x', 'size_up'], attr: { ...F, align_corners: tfBool(false), half_pixel_centers: tfBool(true) } },
    { name: 'resize_asym', op: 'ResizeBilinear', input: ['x', 'size_down'], attr: { ...F, align_corners: tfBool(false), half_pixel_centers: tfBool(false) } },
    { name: 'scaled', op: 'Mul', input: ['pool', 'mean'], attr: F },
    { name: 'gate', op: 'Sigmoid', input: ['scaled'], attr: F },
  ];
  return writeTfjsGraphModel(
    dir,
    nodes,
    [
      { name: 'w', dtype: 'float32', shape: [3, 3, 3, 4], values: seededValues(108, 1) },
      { name: 'b', dtype: 'float32', shape: [4], values: seededValues(4, 2) },
      { name: 'wd', dtype: 'float32', shape: [3, 3, 4, 1], values: seededValues(36, 3) },
      { name: 'axes', dtype: 'int32', shape: [2], values: [1, 2] },
      { name: 'size_up', dtype: 'int32', shape: [2], values: [13, 17] },
      { name: 'size_down', dtype: 'int32', shape: [2], values: [4, 5] },
    ],
    OUTPUTS,
  );
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfjs-onnx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TF.js graph → ONNX converter', () => {
  it('matches TF.js on conv/depthwise SAME padding, max pool, mean and all three resize modes', async () => {
    const modelJson = opsGraph(join(dir, 'ops'));
    const session = await ort.InferenceSession.create(convertTfjsGraphModel(modelJson));
    const input = Float32Array.from(seededValues(SHAPE.reduce((a, b) => a * b), 7, 0, 255));
    const onnxOut = await session.run({ x: new ort.Tensor('float32', input, SHAPE) });
    const model = await loadTfjsGraphModel(modelJson, join(dir, 'ops', 'model.bin'));
    const tfOut = model.execute(tf.tensor(input, SHAPE), OUTPUTS) as tf.Tensor[];
    for (const [i, name] of OUTPUTS.entries()) {
      const expected = tfOut[i]!;
      const actual = onnxOut[name]!;
      expect(actual.dims, name).toEqual(expected.shape);
      const e = expected.dataSync();
      const a = actual.data as Float32Array;
      let maxDiff = 0;
      for (let k = 0; k < e.length; k++) maxDiff = Math.max(maxDiff, Math.abs(e[k]! - a[k]!));
      expect(maxDiff, `${name} max |tfjs - onnx|`).toBeLessThan(1e-3);
    }
    await session.release();
  });

  it('emits identical bytes on every run', () => {
    const modelJson = opsGraph(join(dir, 'det'));
    const hash = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    expect(hash(convertTfjsGraphModel(modelJson, { uint8Input: true }))).toBe(hash(convertTfjsGraphModel(modelJson, { uint8Input: true })));
  });

  it('names the op and node it does not support', () => {
    const modelJson = writeTfjsGraphModel(
      join(dir, 'unknown'),
      [placeholder('x', [1, 4]), { name: 'model/fancy_op', op: 'Erfinv', input: ['x'], attr: F }],
      [],
      ['model/fancy_op'],
    );
    expect(() => convertTfjsGraphModel(modelJson)).toThrow(/unsupported TF op 'Erfinv' at node 'model\/fancy_op'/);
  });

  it('rejects truncated weights naming the file and the weight', () => {
    const modelJson = opsGraph(join(dir, 'truncated'));
    truncateSync(join(dir, 'truncated', 'model.bin'), 100);
    let error: unknown;
    try {
      convertTfjsGraphModel(modelJson);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/model\.bin is truncated: w needs bytes 0\.\.432, file has 100/);
  });

  it('rejects a missing model and a file that is not a graph model', () => {
    expect(() => convertTfjsGraphModel(join(dir, 'nope', 'model.json'))).toThrow(/cannot read TF.js model .*nope\/model\.json/);
    const notGraph = join(dir, 'ops', 'model.bin');
    expect(() => convertTfjsGraphModel(notGraph)).toThrow(/cannot read TF.js model/);
    const layers = join(dir, 'ops', 'model.json');
    const json = JSON.parse(readFileSync(layers, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'layers.json'), JSON.stringify({ ...json, format: 'layers-model' }));
    expect(() => convertTfjsGraphModel(join(dir, 'layers.json'))).toThrow(/layers\.json is not a TF.js graph model: format/);
  });
});
