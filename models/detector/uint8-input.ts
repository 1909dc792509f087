import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../onnx/proto';
import { ModelError } from '../errors';

export interface WrappedModel {
  /** Path of the model that takes uint8 NHWC RGB and normalises inside the graph. */
  path: string;
  /** The model's metadata_props (Ultralytics writes `names`, `imgsz`, `task` there). */
  metadata: Record<string, string>;
}

const WRAP_VERSION = 1;

function decodeModel(bytes: Uint8Array, path: string): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError(`${path} is not a valid ONNX model: ${(err as Error).message}`, path);
  }
}

/**
 * Writes (once, cached by content hash) a copy of an NCHW float model whose input is uint8 NHWC
 * RGB: Cast, scale and Transpose run inside ORT instead of a per-pixel JavaScript loop.
 */
export function wrapWithUint8Input(modelPath: string, pixelScale: number, cacheDir: string): WrappedModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(modelPath);
  } catch (err) {
    throw new ModelError(`cannot read model file ${modelPath}: ${(err as Error).message}`, modelPath);
  }
  if (bytes.length === 0) throw new ModelError(`model file is empty: ${modelPath}`, modelPath);
  const model = decodeModel(bytes, modelPath);
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const key = createHash('sha256').update(bytes).update(`v${WRAP_VERSION}:${pixelScale}`).digest('hex').slice(0, 24);
  const outPath = join(cacheDir, `${key}-u8nhwc.onnx`);
  if (existsSync(outPath)) return { path: outPath, metadata };

  const graph = model.graph;
  if (!graph) throw new ModelError(`${modelPath} has no graph`, modelPath);
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initNames.has(i.name));
  const input = inputs[0];
  const dims = input?.type?.tensorType?.shape?.dim ?? [];
  if (!input || inputs.length !== 1 || dims.length !== 4) {
    throw new ModelError(
      `${modelPath}: expected one image input of rank 4 [batch,3,height,width], found ${inputs.length} input(s)` +
        (input ? ` with rank ${dims.length}` : ''),
      `${modelPath}:inputs`,
    );
  }
  const originalName = input.name ?? 'images';
  const wrappedName = `${originalName}_uint8_nhwc`;
  const [batch, channels, height, width] = dims as [OnnxTypes.TensorShapeProto.IDimension, OnnxTypes.TensorShapeProto.IDimension, OnnxTypes.TensorShapeProto.IDimension, OnnxTypes.TensorShapeProto.IDimension];
  const newInput = onnx.ValueInfoProto.create({
    name: wrappedName,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.UINT8,
        shape: { dim: [batch, height, width, channels] },
      },
    },
  });
  const scaleName = `${wrappedName}_scale`;
  const castOut = `${wrappedName}_f32`;
  const scaledOut = `${wrappedName}_scaled`;
  const prelude = [
    onnx.NodeProto.create({ name: `${wrappedName}_cast`, opType: 'Cast', input: [wrappedName], output: [castOut], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }] }),
    onnx.NodeProto.create({ name: `${wrappedName}_mul`, opType: 'Mul', input: [castOut, scaleName], output: [scaledOut] }),
    onnx.NodeProto.create({ name: `${wrappedName}_nchw`, opType: 'Transpose', input: [scaledOut], output: [originalName], attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] }] }),
  ];
  graph.initializer = [
    ...(graph.initializer ?? []),
    onnx.TensorProto.create({ name: scaleName, dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [pixelScale] }),
  ];
  graph.input = (graph.input ?? []).map((i) => (i === input ? newInput : i));
  graph.node = [...prelude, ...(graph.node ?? [])];

  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, onnx.ModelProto.encode(model).finish());
  renameSync(tmp, outPath);
  return { path: outPath, metadata };
}
