/**
 * The converted CenterNet as OpenCV's ONNX importer (cv2.dnn 4.6, Debian 12) will read it. The
 * graph, weights and numbers stay the same; only what that importer cannot parse is restated:
 *  - the batch dimension is fixed to 1 (cv2.dnn runs one blob of a fixed shape);
 *  - the graph outputs get their shapes (the importer asserts `has_shape()` on every output);
 *  - Clip with constant min/max inputs (opset 11+) becomes Clip with min/max attributes (the
 *    importer accepts only the opset-6 form).
 * cv2.dnn's results on the rewritten file match ORT's on the original (checked by the report's
 * accuracy comparison, and max |diff| ~4e-7 on the peak map when this was written).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelsCacheDir } from '../../models/assets';
import { onnx } from '../../models/onnx/proto';
import { floatsOf } from '../../models/onnx/tensor-data';

/** Bumped when the rewrite changes, so cached files are redone. */
const REWRITE_VERSION = 1;

export const OPENCV_REWRITES = [
  'batch dimension fixed to 1',
  'graph outputs given their shapes (cv2.dnn asserts every output has one)',
  'Clip(x, min, max) with constant inputs restated as Clip with min/max attributes (the only form cv2.dnn 4.6 parses)',
] as const;

export interface OpenCvModel {
  /** The rewritten file cv2.dnn loads. */
  path: string;
  /** The converted model it was made from (the very file ORT runs). */
  source: string;
  inputName: string;
  outputs: Array<{ name: string; dims: number[] }>;
  rewrites: readonly string[];
}

/** Writes (once, cached by content) the OpenCV-readable copy of a converted model. */
export async function ensureOpenCvModel(source: string): Promise<OpenCvModel> {
  const bytes = readFileSync(source);
  const key = createHash('sha256').update(bytes).update(String(REWRITE_VERSION)).digest('hex').slice(0, 12);
  const dir = join(modelsCacheDir(), 'opencv');
  const target = join(dir, `${basename(source, '.onnx')}-cv2-${key}.onnx`);
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  const [inputs, outputsProto, nodes, inits] = [graph.input ?? [], graph.output ?? [], graph.node ?? [], graph.initializer ?? []];
  const input = inputs.find((i) => !inits.some((t) => t.name === i.name))!;
  // Output shapes from one run of ORT on the original at batch 1.
  const session = await ort.InferenceSession.create(source);
  const meta = session.inputMetadata[0]!;
  const dims = (meta.isTensor ? meta.shape : []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const size = dims.reduce((a, b) => a * b, 1);
  const isU8 = meta.isTensor && meta.type === 'uint8';
  const feed = isU8 ? new ort.Tensor('uint8', new Uint8Array(size), dims) : new ort.Tensor('float32', new Float32Array(size), dims);
  const out = await session.run({ [session.inputNames[0]!]: feed });
  await session.release();
  const outputs = outputsProto.map((o) => ({ name: o.name!, dims: [...out[o.name!]!.dims] }));
  if (existsSync(target)) return { path: target, source, inputName: input.name!, outputs, rewrites: OPENCV_REWRITES };

  for (const o of outputsProto) {
    const d = out[o.name!]!.dims;
    const elemType = o.type?.tensorType?.elemType ?? onnx.TensorProto.DataType.FLOAT;
    o.type = onnx.TypeProto.create({ tensorType: { elemType, shape: { dim: d.map((v) => ({ dimValue: v })) } } });
  }
  for (const i of inputs) {
    const first = i.type?.tensorType?.shape?.dim?.[0];
    if (first && first.dimParam) {
      first.dimParam = '';
      first.dimValue = 1;
    }
  }
  const initializers = new Map(inits.map((t) => [t.name!, t]));
  const constants = new Map(nodes.filter((n) => n.opType === 'Constant').map((n) => [n.output?.[0] ?? '', n.attribute?.[0]?.t ?? undefined]));
  const scalar = (name: string | undefined): number | undefined => {
    if (!name) return undefined;
    const t = initializers.get(name) ?? constants.get(name);
    return t ? floatsOf(t)[0] : undefined;
  };
  for (const node of nodes) {
    if (node.opType !== 'Clip' || (node.input?.length ?? 0) < 2) continue;
    const [x, lo, hi] = node.input ?? [];
    const min = scalar(lo);
    const max = scalar(hi);
    if ((lo && min === undefined) || (hi && max === undefined)) throw new Error(`${source}: Clip '${node.name}' has non-constant bounds; cannot restate it for cv2.dnn`);
    node.input = [x!];
    const FLOAT = onnx.AttributeProto.AttributeType.FLOAT;
    node.attribute = [
      ...(min !== undefined ? [onnx.AttributeProto.create({ name: 'min', type: FLOAT, f: min })] : []),
      ...(max !== undefined ? [onnx.AttributeProto.create({ name: 'max', type: FLOAT, f: max })] : []),
    ];
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, onnx.ModelProto.encode(model).finish());
  renameSync(tmp, target);
  return { path: target, source, inputName: input.name!, outputs, rewrites: OPENCV_REWRITES };
}
