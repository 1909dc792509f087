import { writeFileSync } from 'node:fs';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../models/onnx/proto';

/**
 * Writes small ONNX models with the output layouts the YOLO toolchains export. The detections
 * are a constant tensor (what a trained model would output for some image), made to depend on
 * the input through `+ 0 * mean(images)` so the graph is a real image -> detections model with
 * a dynamic batch dimension.
 */
export interface YoloFixture {
  /** Shape of the input: [batch, 3, height, width]; a string is a symbolic dimension. */
  input: Array<number | string>;
  /** Outputs: name -> constant data and dims (the batch dim of the constant is 1). */
  outputs: Array<{ name: string; dims: number[]; data: Float32Array; outputDims?: Array<number | string> }>;
  metadata?: Record<string, string>;
}

const F = onnx.TensorProto.DataType.FLOAT;

function dimProto(d: number | string): OnnxTypes.TensorShapeProto.IDimension {
  return typeof d === 'number' ? { dimValue: d } : { dimParam: d };
}

function valueInfo(name: string, dims: Array<number | string>): OnnxTypes.IValueInfoProto {
  return { name, type: { tensorType: { elemType: F, shape: { dim: dims.map(dimProto) } } } };
}

export function writeYoloFixture(path: string, fixture: YoloFixture): void {
  const nodes: OnnxTypes.INodeProto[] = [
    { opType: 'ReduceMean', input: ['images'], output: ['mean'], attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 2, 3] }, { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
    { opType: 'Mul', input: ['mean', 'zero'], output: ['zeroed'] },
  ];
  const initializers: OnnxTypes.ITensorProto[] = [{ name: 'zero', dataType: F, dims: [], floatData: [0] }];
  const outputs: OnnxTypes.IValueInfoProto[] = [];
  for (const o of fixture.outputs) {
    const rank = o.dims.length;
    // zeroed is [N,1,1,1]; reshape to rank of the output ([N,1,1] or [N,1]) so it broadcasts over the constant.
    const shapeName = `${o.name}_zshape`;
    initializers.push({ name: shapeName, dataType: onnx.TensorProto.DataType.INT64, dims: [rank], int64Data: [-1, ...Array(rank - 1).fill(1)] });
    initializers.push({ name: `${o.name}_const`, dataType: F, dims: o.dims, floatData: Array.from(o.data) });
    nodes.push({ opType: 'Reshape', input: ['zeroed', shapeName], output: [`${o.name}_z`] });
    nodes.push({ opType: 'Add', input: [`${o.name}_z`, `${o.name}_const`], output: [o.name] });
    outputs.push(valueInfo(o.name, o.outputDims ?? ['batch', ...o.dims.slice(1)]));
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'yolo-fixture',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: Object.entries(fixture.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: { name: 'fixture', node: nodes, initializer: initializers, input: [valueInfo('images', fixture.input)], output: outputs },
  });
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
}
