import { ModelError } from '../errors';
import { int, OnnxGraphBuilder, type Dim } from '../onnx';
import { OpContext } from './context';
import { readTfjsGraph, type TfGraph, type TfNode } from './graph';
import { OP_CONVERTERS } from './ops';

/** Bumped whenever the emitted graph changes, so cached conversions are redone. */
export const CONVERTER_VERSION = 3;

export interface ConvertOptions {
  /** The input takes uint8 (0-255) and is cast to float inside the graph. */
  uint8Input?: boolean;
  /** The batch dimension is symbolic ('N'); ops that bake a batch of 1 must not be in the outputs' cone. */
  dynamicBatch?: boolean;
  /** ONNX output name → TF tensor (`node` or `node:i`). Default: the model's signature outputs. */
  outputs?: Record<string, string>;
}

const nodeOf = (ref: string): string => ref.replace(/^\^/, '').replace(/:\d+$/, '');

/** Nodes the outputs depend on, producers before consumers, in a deterministic order. */
function topologicalOrder(graph: TfGraph, outputs: string[]): TfNode[] {
  const ordered: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    const st = state.get(name);
    if (st === 'done') return;
    const node = graph.byName.get(name);
    if (!node) throw new ModelError(`${graph.source}: tensor '${name}' is not produced by any node`, name);
    if (st === 'visiting') throw new ModelError(`${graph.source}: cycle through node '${name}'`, name);
    state.set(name, 'visiting');
    for (const input of node.input ?? []) if (!input.startsWith('^')) visit(nodeOf(input));
    state.set(name, 'done');
    ordered.push(node);
  };
  for (const out of outputs) visit(nodeOf(out));
  return ordered;
}

function placeholderDims(node: TfNode, dynamicBatch: boolean): Dim[] {
  const dims = (node.attr?.shape?.shape as { dim?: Array<{ size?: string | number }> } | undefined)?.dim ?? [];
  return dims.map((d, i) => {
    const size = Number(d.size ?? -1);
    if (i === 0 && dynamicBatch) return 'N';
    return size > 0 ? size : `d${i}`;
  });
}

/** Converts a TF.js graph model to ONNX bytes (opset 17). Deterministic: same input, same bytes. */
export function convertTfjsGraphModel(modelJsonPath: string, options: ConvertOptions = {}): Uint8Array {
  const graph = readTfjsGraph(modelJsonPath);
  const dynamicBatch = options.dynamicBatch ?? false;
  const outputs = options.outputs ?? Object.fromEntries(graph.outputNames.map((n) => [n, n]));
  const order = topologicalOrder(graph, Object.values(outputs));
  const unsupported = order.find((n) => n.op !== 'Const' && n.op !== 'Placeholder' && !OP_CONVERTERS[n.op]);
  if (unsupported) {
    throw new ModelError(`unsupported TF op '${unsupported.op}' at node '${unsupported.name}' in ${modelJsonPath}`, unsupported.name);
  }

  const b = new OnnxGraphBuilder();
  const aliases = new Map<string, string>();
  const resolve = (ref: string): string => aliases.get(ref) ?? ref;
  for (const node of order) {
    if (node.op === 'Const') continue;
    if (node.op === 'Placeholder') {
      const dims = placeholderDims(node, dynamicBatch);
      if (options.uint8Input) {
        b.addInput(node.name, 'uint8', dims);
        const cast = b.addNode('Cast', [node.name], [`${node.name}/float`], { to: int(1) }, `${node.name}/cast`);
        aliases.set(node.name, cast);
      } else {
        b.addInput(node.name, 'float32', dims);
      }
      continue;
    }
    OP_CONVERTERS[node.op]!(new OpContext(b, graph, node, resolve, { dynamicBatch }));
  }
  for (const [name, ref] of Object.entries(outputs)) {
    const producer = graph.byName.get(nodeOf(ref))!;
    const tfType = producer.attr?.T?.type ?? producer.attr?.DstT?.type ?? 'DT_FLOAT';
    const elem = tfType === 'DT_INT32' ? 'int32' : tfType === 'DT_BOOL' ? 'bool' : 'float32';
    if (name !== ref) b.addNode('Identity', [resolve(ref)], [name], {}, `${name}/output`);
    b.addOutput(name, elem);
  }
  b.setMetadata('converted_from', 'tfjs-graph-model');
  b.setMetadata('converter_version', String(CONVERTER_VERSION));
  return b.toBytes({ graphName: 'tfjs_graph' });
}
