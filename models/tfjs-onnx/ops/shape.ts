import { int, ints } from '../../onnx';
import type { OpContext, OpConverter } from '../context';

const INT64_MAX = 2 ** 62; // safe as a JS number; ONNX Slice clamps to the dimension

const reshape: OpConverter = (ctx) => {
  const shape = ctx.constInts(1, 'shape');
  // With a dynamic batch a leading 1 that is the batch becomes 0 ("copy the input's dimension").
  if (ctx.options.dynamicBatch && shape[0] === 1 && shape.length > 1) shape[0] = 0;
  ctx.b.addNode('Reshape', [ctx.input(0), ctx.int64(shape, 'shape_i64')], [ctx.output()], {}, ctx.node.name);
};

const expandDims: OpConverter = (ctx) => {
  const axes = ctx.constInts(1, 'axis');
  ctx.b.addNode('Unsqueeze', [ctx.input(0), ctx.int64(axes, 'axes')], [ctx.output()], {}, ctx.node.name);
};

const concat: OpConverter = (ctx) => {
  const n = ctx.inputRefs.length - 1;
  const [axis] = ctx.constInts(n, 'axis');
  const inputs = Array.from({ length: n }, (_, i) => ctx.input(i));
  ctx.b.addNode('Concat', inputs, [ctx.output()], { axis: int(axis ?? 0) }, ctx.node.name);
};

const mean: OpConverter = (ctx) => {
  const axes = ctx.constInts(1, 'reduction_indices');
  const keepdims = ctx.attrBool('keep_dims') ? 1 : 0;
  ctx.b.addNode('ReduceMean', [ctx.input(0)], [ctx.output()], { axes: ints(axes), keepdims: int(keepdims) }, ctx.node.name);
};

const gather: OpConverter = (ctx) => {
  if (ctx.attrInt('batch_dims') !== 0) ctx.fail(`batch_dims ${ctx.attrInt('batch_dims')} is not supported`);
  const [axis] = ctx.constInts(2, 'axis');
  ctx.b.addNode('Gather', [ctx.input(0), ctx.input(1)], [ctx.output()], { axis: int(axis ?? 0) }, ctx.node.name);
};

/** TF TopKV2 on the last axis: values and int32 indices (ONNX returns int64). */
const topK: OpConverter = (ctx) => {
  const [k] = ctx.constInts(1, 'k');
  const attrs = { axis: int(-1), largest: int(1), sorted: int(ctx.attrBool('sorted', true) ? 1 : 0) };
  const indices64 = ctx.tmp('indices_i64');
  ctx.b.addNode('TopK', [ctx.input(0), ctx.int64([k ?? 1], 'k')], [ctx.output(0), indices64], attrs, ctx.node.name);
  ctx.b.addNode('Cast', [indices64], [ctx.output(1)], { to: int(6) }, ctx.tmp('indices_i32'));
};

const stridedSlice: OpConverter = (ctx) => {
  const begin = ctx.constInts(1, 'begin');
  const end = ctx.constInts(2, 'end');
  const strides = ctx.constInts(3, 'strides');
  for (const mask of ['ellipsis_mask', 'new_axis_mask']) {
    if (ctx.attrInt(mask) !== 0) ctx.fail(`${mask} ${ctx.attrInt(mask)} is not supported`);
  }
  const beginMask = ctx.attrInt('begin_mask');
  const endMask = ctx.attrInt('end_mask');
  const shrinkMask = ctx.attrInt('shrink_axis_mask');
  const starts: number[] = [];
  const ends: number[] = [];
  const shrink: number[] = [];
  begin.forEach((b, axis) => {
    const step = strides[axis] ?? 1;
    const bit = 1 << axis;
    if (shrinkMask & bit) {
      starts.push(b);
      ends.push(b === -1 ? INT64_MAX : b + 1);
      shrink.push(axis);
      return;
    }
    starts.push(beginMask & bit ? (step > 0 ? 0 : INT64_MAX) : b);
    ends.push(endMask & bit ? (step > 0 ? INT64_MAX : -INT64_MAX) : end[axis]!);
  });
  const axes = begin.map((_, i) => i);
  const sliced = ctx.b.addNode(
    'Slice',
    [ctx.input(0), ctx.int64(starts, 'starts'), ctx.int64(ends, 'ends'), ctx.int64(axes, 'axes'), ctx.int64(strides, 'steps')],
    [shrink.length ? ctx.tmp('sliced') : ctx.output()],
    {},
    ctx.node.name,
  );
  if (shrink.length) ctx.b.addNode('Squeeze', [sliced, ctx.int64(shrink, 'squeeze_axes')], [ctx.output()], {}, ctx.tmp('squeeze'));
};

export const shapeOps: Record<string, OpConverter> = {
  Reshape: reshape,
  ExpandDims: expandDims,
  ConcatV2: concat,
  Mean: mean,
  GatherV2: gather,
  TopKV2: topK,
  StridedSlice: stridedSlice,
};

export type { OpContext };
