import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './proto';

export type ElemType = 'float32' | 'uint8' | 'int32' | 'int64' | 'bool';
export type Dim = number | string;
export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export function onnxElemType(t: ElemType): number {
  return ELEM[t];
}

/** Attribute values, tagged so ints and floats are never confused. */
export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });
export const floats = (value: readonly number[]): Attribute => ({ kind: 'floats', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });

function attributeProto(name: string, a: Attribute): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function elemTypeOf(data: TensorData): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint8';
}

function valueInfo(name: string, elemType: ElemType, dims: readonly Dim[] | undefined): OnnxTypes.IValueInfoProto {
  const shape = dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined;
  return { name, type: { tensorType: { elemType: ELEM[elemType], ...(shape ? { shape } : {}) } } };
}

/**
 * Builds an ONNX model node by node. The output bytes depend only on the calls made, in order,
 * so a deterministic caller gets byte-identical models.
 */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly initializerNames = new Set<string>();
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly metadata: Array<[string, string]> = [];
  private counter = 0;

  addInput(name: string, elemType: ElemType, dims: readonly Dim[]): this {
    this.inputs.push(valueInfo(name, elemType, dims));
    return this;
  }

  addOutput(name: string, elemType: ElemType, dims?: readonly Dim[]): this {
    this.outputs.push(valueInfo(name, elemType, dims));
    return this;
  }

  hasInitializer(name: string): boolean {
    return this.initializerNames.has(name);
  }

  addInitializer(name: string, data: TensorData, dims: readonly number[]): string {
    if (this.initializerNames.has(name)) return name;
    this.initializerNames.add(name);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.initializers.push({ name, dataType: ELEM[elemTypeOf(data)], dims: [...dims], rawData: raw });
    return name;
  }

  /** Adds a node; returns its first output name. */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    name?: string,
  ): string {
    this.nodes.push({
      opType,
      name: name ?? `${opType}_${this.nodes.length}`,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return outputs[0] ?? '';
  }

  /** A fresh tensor name derived from `base`, unique within this graph. */
  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }

  setMetadata(key: string, value: string): this {
    this.metadata.push([key, value]);
    return this;
  }

  toBytes({ opset = 17, producer = 'edge-video-gateway', graphName = 'graph' } = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: producer,
      opsetImport: [{ domain: '', version: opset }],
      metadataProps: this.metadata.map(([key, value]) => ({ key, value })),
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
