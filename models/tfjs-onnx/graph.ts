import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ModelError } from '../errors';
import { float16ToFloat32 } from './float16';

const AttrValueSchema = z
  .object({
    s: z.string().optional(),
    i: z.union([z.string(), z.number()]).optional(),
    f: z.number().optional(),
    b: z.boolean().optional(),
    type: z.string().optional(),
    shape: z.unknown().optional(),
    tensor: z.unknown().optional(),
    list: z
      .object({
        s: z.array(z.string()).optional(),
        i: z.array(z.union([z.string(), z.number()])).optional(),
        f: z.array(z.number()).optional(),
        type: z.array(z.string()).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type AttrValue = z.infer<typeof AttrValueSchema>;

const NodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), AttrValueSchema).optional(),
});

const WeightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z
    .object({ dtype: z.enum(['float16', 'uint8', 'uint16']), original_dtype: z.string().optional(), scale: z.number().optional(), min: z.number().optional() })
    .optional(),
});

const ModelJsonSchema = z.object({
  format: z.literal('graph-model'),
  modelTopology: z.object({ node: z.array(NodeSchema) }),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(WeightSpecSchema) })),
  signature: z
    .object({
      inputs: z.record(z.string(), z.object({ name: z.string() }).passthrough()).optional(),
      outputs: z.record(z.string(), z.object({ name: z.string() }).passthrough()).optional(),
    })
    .optional(),
});

export type TfNode = z.infer<typeof NodeSchema>;

export interface ConstTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export interface TfGraph {
  source: string;
  nodes: TfNode[];
  byName: Map<string, TfNode>;
  weights: Map<string, ConstTensor>;
  inputNames: string[];
  outputNames: string[];
}

function readWeights(modelJsonPath: string, manifest: z.infer<typeof ModelJsonSchema>['weightsManifest']): Map<string, ConstTensor> {
  const weights = new Map<string, ConstTensor>();
  for (const group of manifest) {
    const chunks = group.paths.map((p) => {
      const path = join(dirname(modelJsonPath), p);
      try {
        return readFileSync(path);
      } catch (err) {
        throw new ModelError(`cannot read weights file ${path}: ${(err as Error).message}`, path);
      }
    });
    const bytes = Buffer.concat(chunks);
    const file = join(dirname(modelJsonPath), group.paths[0] ?? '');
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      if (q && q.dtype !== 'float16') {
        throw new ModelError(`weight ${spec.name} uses ${q.dtype} quantisation, only float16 is supported`, spec.name);
      }
      const byteLength = count * (q ? 2 : spec.dtype === 'bool' ? 1 : 4);
      if (offset + byteLength > bytes.length) {
        throw new ModelError(
          `weights file ${file} is truncated: ${spec.name} needs bytes ${offset}..${offset + byteLength}, file has ${bytes.length}`,
          file,
        );
      }
      const slice = bytes.subarray(offset, offset + byteLength);
      const aligned = new Uint8Array(slice).buffer;
      const data =
        q ? float16ToFloat32(new Uint16Array(aligned))
        : spec.dtype === 'float32' ? new Float32Array(aligned)
        : spec.dtype === 'int32' ? new Int32Array(aligned)
        : new Uint8Array(aligned);
      weights.set(spec.name, { dtype: spec.dtype, shape: spec.shape, data });
      offset += byteLength;
    }
    if (offset !== bytes.length) {
      throw new ModelError(`weights file ${file} has ${bytes.length} bytes, the manifest describes ${offset}`, file);
    }
  }
  return weights;
}

/** Reads and validates a TF.js graph model (model.json plus its weight files). */
export function readTfjsGraph(modelJsonPath: string): TfGraph {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(modelJsonPath, 'utf8'));
  } catch (err) {
    throw new ModelError(`cannot read TF.js model ${modelJsonPath}: ${(err as Error).message}`, modelJsonPath);
  }
  const parsed = ModelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelError(
      `${modelJsonPath} is not a TF.js graph model: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      modelJsonPath,
    );
  }
  const json = parsed.data;
  const nodes = json.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const placeholders = nodes.filter((n) => n.op === 'Placeholder').map((n) => n.name);
  const inputNames = json.signature?.inputs ? Object.values(json.signature.inputs).map((i) => i.name.replace(/:0$/, '')) : placeholders;
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, '').replace(/:\d+$/, ''))));
  const outputNames = json.signature?.outputs
    ? Object.values(json.signature.outputs).map((o) => o.name.replace(/:0$/, ''))
    : nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => n.name);
  return { source: modelJsonPath, nodes, byName, weights: readWeights(modelJsonPath, json.weightsManifest), inputNames, outputNames };
}
