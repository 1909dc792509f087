import { int } from '../../onnx';
import type { OpContext, OpConverter } from '../context';

const binary = (onnxOp: string): OpConverter => (ctx) => {
  ctx.b.addNode(onnxOp, [ctx.input(0), ctx.input(1)], [ctx.output()], {}, ctx.node.name);
};

const unary = (onnxOp: string): OpConverter => (ctx) => {
  ctx.b.addNode(onnxOp, [ctx.input(0)], [ctx.output()], {}, ctx.node.name);
};

const isInteger = (ctx: OpContext): boolean => ['DT_INT32', 'DT_INT64'].includes(ctx.attrType('T') ?? 'DT_FLOAT');

/**
 * floor(a / b). ONNX Div truncates integers toward zero, so for ints use the floor-modulo:
 * (a - mod(a, b)) / b is exact and floors for every sign.
 */
const floorDiv: OpConverter = (ctx) => {
  const a = ctx.input(0);
  const b = ctx.input(1);
  if (isInteger(ctx)) {
    const mod = ctx.b.addNode('Mod', [a, b], [ctx.tmp('mod')], { fmod: int(0) });
    const diff = ctx.b.addNode('Sub', [a, mod], [ctx.tmp('diff')]);
    ctx.b.addNode('Div', [diff, b], [ctx.output()], {}, ctx.node.name);
    return;
  }
  const q = ctx.b.addNode('Div', [a, b], [ctx.tmp('div')]);
  ctx.b.addNode('Floor', [q], [ctx.output()], {}, ctx.node.name);
};

/** a - floor(a / b) * b: the result takes the divisor's sign, as TF's FloorMod does. */
const floorMod: OpConverter = (ctx) => {
  const a = ctx.input(0);
  const b = ctx.input(1);
  if (isInteger(ctx)) {
    ctx.b.addNode('Mod', [a, b], [ctx.output()], { fmod: int(0) }, ctx.node.name);
    return;
  }
  const q = ctx.b.addNode('Floor', [ctx.b.addNode('Div', [a, b], [ctx.tmp('div')])], [ctx.tmp('floor')]);
  const prod = ctx.b.addNode('Mul', [q, b], [ctx.tmp('prod')]);
  ctx.b.addNode('Sub', [a, prod], [ctx.output()], {}, ctx.node.name);
};

const relu6: OpConverter = (ctx) => {
  ctx.b.addNode('Clip', [ctx.input(0), ctx.float32([0], [], 'min'), ctx.float32([6], [], 'max')], [ctx.output()], {}, ctx.node.name);
};

const cast: OpConverter = (ctx) => {
  ctx.b.addNode('Cast', [ctx.input(0)], [ctx.output()], { to: int(ctx.onnxType(ctx.attrType('DstT'))) }, ctx.node.name);
};

export const elementwiseOps: Record<string, OpConverter> = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Equal: binary('Equal'),
  FloorDiv: floorDiv,
  FloorMod: floorMod,
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Identity: unary('Identity'),
  Relu6: relu6,
  Cast: cast,
};
