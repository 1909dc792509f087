import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A TF.js JSON attribute value. Strings are base64, as the TF.js converter writes them. */
export type TfAttr = Record<string, unknown>;
export interface TfFixtureNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export const tfType = (t: 'DT_FLOAT' | 'DT_INT32' | 'DT_BOOL'): TfAttr => ({ type: t });
export const tfStr = (s: string): TfAttr => ({ s: Buffer.from(s).toString('base64') });
export const tfStrs = (s: string[]): TfAttr => ({ list: { s: s.map((x) => Buffer.from(x).toString('base64')) } });
export const tfInts = (i: number[]): TfAttr => ({ list: { i: i.map(String) } });
export const tfBool = (b: boolean): TfAttr => ({ b });

export function placeholder(name: string, shape: number[]): TfFixtureNode {
  return { name, op: 'Placeholder', attr: { dtype: tfType('DT_FLOAT'), shape: { shape: { dim: shape.map((s) => ({ size: String(s) })) } } } };
}

interface ConstSpec {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: number[];
}

/**
 * Builds a small TF.js graph model: `consts` become Const nodes with float32/int32 weights in one .bin.
 * Returns the model.json path.
 */
export function writeTfjsGraphModel(
  dir: string,
  nodes: TfFixtureNode[],
  consts: ConstSpec[],
  outputs: string[],
): string {
  mkdirSync(dir, { recursive: true });
  const constNodes: TfFixtureNode[] = consts.map((c) => ({
    name: c.name,
    op: 'Const',
    attr: { dtype: tfType(c.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT'), value: { tensor: { dtype: c.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: c.shape.map((s) => ({ size: String(s) })) } } } },
  }));
  const bin = Buffer.concat(
    consts.map((c) => Buffer.from((c.dtype === 'int32' ? Int32Array.from(c.values) : Float32Array.from(c.values)).buffer)),
  );
  writeFileSync(join(dir, 'model.bin'), bin);
  const json = {
    format: 'graph-model',
    generatedBy: 'test-fixture',
    convertedBy: 'test-fixture',
    modelTopology: { node: [...constNodes, ...nodes], library: {}, versions: {} },
    weightsManifest: [{ paths: ['model.bin'], weights: consts.map((c) => ({ name: c.name, shape: c.shape, dtype: c.dtype })) }],
    signature: { outputs: Object.fromEntries(outputs.map((o) => [`${o}:0`, { name: `${o}:0` }])) },
  };
  const path = join(dir, 'model.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** Deterministic pseudo-random values in [lo, hi) (xorshift32). */
export function seededValues(count: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + (s / 0x100000000) * (hi - lo);
  });
}
