import { ModelError } from '../errors';
import type { OnnxGraphBuilder } from '../onnx';
import type { AttrValue, ConstTensor, TfGraph, TfNode } from './graph';

const TF_TO_ONNX_TYPE: Record<string, number> = { DT_FLOAT: 1, DT_UINT8: 2, DT_INT32: 6, DT_INT64: 7, DT_BOOL: 9 };

/** What an op converter sees: the TF node, its inputs as ONNX names, and helpers. */
export class OpContext {
  constructor(
    readonly b: OnnxGraphBuilder,
    readonly graph: TfGraph,
    readonly node: TfNode,
    private readonly resolve: (tfRef: string) => string,
    readonly options: { dynamicBatch: boolean },
  ) {}

  /** TF references of the data inputs (control dependencies `^x` dropped). */
  get inputRefs(): string[] {
    return (this.node.input ?? []).filter((i) => !i.startsWith('^'));
  }

  fail(message: string): never {
    throw new ModelError(`${this.node.op} node '${this.node.name}': ${message}`, this.node.name);
  }

  /** ONNX name of data input `i`; a Const input becomes an initializer on first use. */
  input(i: number): string {
    const ref = this.inputRefs[i];
    if (ref === undefined) this.fail(`missing input ${i}`);
    const value = this.constant(i);
    if (value) return this.b.addInitializer(ref, value.data, value.shape);
    return this.resolve(ref);
  }

  /** ONNX name for output `i` of this node (TF names them `node` and `node:i`). */
  output(i = 0): string {
    return i === 0 ? this.node.name : `${this.node.name}:${i}`;
  }

  constant(i: number): ConstTensor | undefined {
    const ref = this.inputRefs[i];
    if (ref === undefined) return undefined;
    const producer = this.graph.byName.get(ref.replace(/:\d+$/, ''));
    if (producer?.op !== 'Const') return undefined;
    const value = this.graph.weights.get(producer.name);
    if (!value) this.fail(`constant '${producer.name}' has no weights in the manifest`);
    return value;
  }

  requireConst(i: number, what: string): ConstTensor {
    const value = this.constant(i);
    if (!value) this.fail(`${what} (input ${i}) must be a constant`);
    return value;
  }

  constInts(i: number, what: string): number[] {
    return Array.from(this.requireConst(i, what).data as Int32Array | Float32Array, Number);
  }

  private attr(name: string): AttrValue | undefined {
    return this.node.attr?.[name];
  }

  attrInts(name: string, fallback?: number[]): number[] {
    const list = this.attr(name)?.list?.i;
    if (list) return list.map(Number);
    if (fallback) return fallback;
    return this.fail(`attribute ${name} is missing`);
  }

  attrInt(name: string, fallback = 0): number {
    const v = this.attr(name)?.i;
    return v === undefined ? fallback : Number(v);
  }

  attrFloat(name: string, fallback = 0): number {
    return this.attr(name)?.f ?? fallback;
  }

  attrBool(name: string, fallback = false): boolean {
    return this.attr(name)?.b ?? fallback;
  }

  attrString(name: string, fallback = ''): string {
    const s = this.attr(name)?.s;
    return s === undefined ? fallback : Buffer.from(s, 'base64').toString('utf8');
  }

  attrStrings(name: string): string[] {
    return (this.attr(name)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
  }

  attrType(name: string): string | undefined {
    return this.attr(name)?.type;
  }

  onnxType(tfType: string | undefined): number {
    const t = tfType === undefined ? undefined : TF_TO_ONNX_TYPE[tfType];
    if (t === undefined) this.fail(`unsupported data type ${tfType}`);
    return t;
  }

  int64(values: readonly number[], hint: string): string {
    const name = `${this.node.name}/${hint}`;
    return this.b.addInitializer(name, BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
  }

  float32(values: readonly number[], dims: readonly number[], hint: string): string {
    return this.b.addInitializer(`${this.node.name}/${hint}`, Float32Array.from(values), dims);
  }

  tmp(hint: string): string {
    return `${this.node.name}/${hint}`;
  }
}

export type OpConverter = (ctx: OpContext) => void;
