import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './proto';
import { ModelError } from '../errors';

export interface WrappedModel {
  /** Path of the model that takes uint8 NHWC RGB and normalises inside the graph. */
  path: string;
  /** The model's metadata_props (Ultralytics writes `names`, `imgsz`, `task` there). */
  metadata: Record<string, string>;
}

const WRAP_VERSION = 2;

export interface Uint8InputOptions {
  /** Subtracted from each pixel value before scaling (e.g. 127 for faces, 0 for YOLO). */
  offset?: number;
  /** Multiplied after the offset: (x - offset) * scale. */
  scale: number;
  /** Make the batch dimension symbolic so several images run in one call. */
  dynamicBatch?: boolean;
}

function decodeModel(bytes: Uint8Array, path: string): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError(`${path} is not a valid ONNX model: ${(err as Error).message}`, path);
  }
}

/**
 * Writes (once, cached by content hash) a copy of an NCHW float model whose input is uint8 NHWC:
 * Cast, (x - offset) * scale and Transpose run inside ORT instead of a per-pixel JavaScript loop.
 */
export function wrapWithUint8Input(modelPath: string, options: Uint8InputOptions, cacheDir: string): WrappedModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(modelPath);
  } catch (err) {
    throw new ModelError(`cannot read model file ${modelPath}: ${(err as Error).message}`, modelPath);
  }
  if (bytes.length === 0) throw new ModelError(`model file is empty: ${modelPath}`, modelPath);
  const model = decodeModel(bytes, modelPath);
  const metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const key = createHash('sha256').update(bytes).update(`v${WRAP_VERSION}:${JSON.stringify(options)}`).digest('hex').slice(0, 24);
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
      `${modelPath}: expected one image input of rank 4 [batch,channels,height,width], found ${inputs.length} input(s)` +
        (input ? ` with rank ${dims.length}` : ''),
      `${modelPath}:inputs`,
    );
  }
  const originalName = input.name ?? 'images';
  const wrappedName = `${originalName}_uint8_nhwc`;
  type Dim = OnnxTypes.TensorShapeProto.IDimension;
  const [fixedBatch, channels, height, width] = dims as [Dim, Dim, Dim, Dim];
  const batch: Dim = options.dynamicBatch ? { dimParam: 'N' } : fixedBatch;
  if (options.dynamicBatch) {
    for (const out of graph.output ?? []) {
      const outDims = out.type?.tensorType?.shape?.dim;
      if (outDims?.[0]) outDims[0] = { dimParam: 'N' };
    }
  }
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
  const offsetName = `${wrappedName}_offset`;
  const castOut = `${wrappedName}_f32`;
  const centredOut = `${wrappedName}_centred`;
  const scaledOut = `${wrappedName}_scaled`;
  const offset = options.offset ?? 0;
  const float = (name: string, value: number) =>
    onnx.TensorProto.create({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [value] });
  const prelude = [
    onnx.NodeProto.create({ name: `${wrappedName}_cast`, opType: 'Cast', input: [wrappedName], output: [castOut], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }] }),
    ...(offset !== 0 ? [onnx.NodeProto.create({ name: `${wrappedName}_sub`, opType: 'Sub', input: [castOut, offsetName], output: [centredOut] })] : []),
    onnx.NodeProto.create({ name: `${wrappedName}_mul`, opType: 'Mul', input: [offset !== 0 ? centredOut : castOut, scaleName], output: [scaledOut] }),
    onnx.NodeProto.create({ name: `${wrappedName}_nchw`, opType: 'Transpose', input: [scaledOut], output: [originalName], attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] }] }),
  ];
  graph.initializer = [
    ...(graph.initializer ?? []),
    float(scaleName, options.scale),
    ...(offset !== 0 ? [float(offsetName, offset)] : []),
  ];
  graph.input = (graph.input ?? []).map((i) => (i === input ? newInput : i));
  graph.node = [...prelude, ...(graph.node ?? [])];

  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, onnx.ModelProto.encode(model).finish());
  renameSync(tmp, outPath);
  return { path: outPath, metadata };
}
