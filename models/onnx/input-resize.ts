import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ModelError } from '../errors';
import { onnx } from './proto';

const RESIZE_VERSION = 1;

export interface ResizingModel {
  path: string;
  /** The size the model resizes every frame to (its original input). */
  width: number;
  height: number;
}

/**
 * Writes (once, cached by content hash) a copy of a uint8 NHWC image model ([N, H, W, 3] with fixed
 * H and W) whose input takes frames of any size: a Resize node (bilinear, half-pixel centres, as
 * sharp and OpenCV sample) stretches each frame to H x W inside ORT. A camera frame goes into the
 * model as it comes from ffmpeg, with no resampling in JavaScript or sharp (measured on a 2-core
 * Xeon VM: sharp 640x360 -> 512x512 7.4-8.8 core-ms per frame, this node 3.4 including the cast).
 * Returns the wrapped model's path (its input gets symbolic `height`/`width`), or null for a model
 * older than opset 11 (no Resize with `sizes`): the caller then resizes frames itself.
 */
export function wrapWithInputResize(modelPath: string, cacheDir: string): ResizingModel | null {
  const bytes = readFileSync(modelPath);
  const model = onnx.ModelProto.decode(bytes);
  const opset = model.opsetImport?.find((o) => !o.domain);
  if (!opset || Number(opset.version) < 11) return null;
  const graph = model.graph;
  if (!graph) throw new ModelError(`${modelPath} has no graph`, modelPath);
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initNames.has(i.name));
  const input = inputs[0];
  const tensor = input?.type?.tensorType;
  const dims = tensor?.shape?.dim ?? [];
  const height = Number(dims[1]?.dimValue ?? 0);
  const width = Number(dims[2]?.dimValue ?? 0);
  if (!input || inputs.length !== 1 || tensor?.elemType !== onnx.TensorProto.DataType.UINT8 || dims.length !== 4 || Number(dims[3]?.dimValue) !== 3 || !(height > 0 && width > 0)) {
    throw new ModelError(`${modelPath}: expected one uint8 input [batch, height, width, 3] with a fixed height and width`, `${modelPath}:inputs`);
  }
  const key = createHash('sha256').update(bytes).update(`resize-v${RESIZE_VERSION}`).digest('hex').slice(0, 24);
  const outPath = join(cacheDir, `${key}-resize.onnx`);
  if (existsSync(outPath)) return { path: outPath, width, height };
  const name = input.name ?? 'image';
  const frames = `${name}_frames`;
  const shapeOut = `${frames}_shape`;
  const batchOut = `${frames}_batch`;
  const sizesOut = `${frames}_sizes`;
  const int64 = (tensorName: string, values: number[]): OnnxTypes.ITensorProto =>
    onnx.TensorProto.create({ name: tensorName, dataType: onnx.TensorProto.DataType.INT64, dims: [values.length], int64Data: values });
  const prelude: OnnxTypes.INodeProto[] = [
    onnx.NodeProto.create({ name: `${frames}_shape`, opType: 'Shape', input: [frames], output: [shapeOut] }),
    onnx.NodeProto.create({ name: `${frames}_batch`, opType: 'Slice', input: [shapeOut, `${frames}_zero`, `${frames}_one`], output: [batchOut] }),
    onnx.NodeProto.create({
      name: `${frames}_sizes`,
      opType: 'Concat',
      input: [batchOut, `${frames}_target`],
      output: [sizesOut],
      attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
    }),
    onnx.NodeProto.create({
      name: `${frames}_resize`,
      opType: 'Resize',
      input: [frames, '', '', sizesOut],
      output: [name],
      attribute: [
        { name: 'mode', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('linear') },
        { name: 'coordinate_transformation_mode', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('half_pixel') },
      ],
    }),
  ];
  graph.initializer = [...(graph.initializer ?? []), int64(`${frames}_zero`, [0]), int64(`${frames}_one`, [1]), int64(`${frames}_target`, [height, width, 3])];
  const newInput = onnx.ValueInfoProto.create({
    name: frames,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.UINT8, shape: { dim: [dims[0]!, { dimParam: 'height' }, { dimParam: 'width' }, dims[3]!] } } },
  });
  graph.input = (graph.input ?? []).map((i) => (i === input ? newInput : i));
  graph.node = [...prelude, ...(graph.node ?? [])];

  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, onnx.ModelProto.encode(model).finish());
  renameSync(tmp, outPath);
  return { path: outPath, width, height };
}
