import { float32Weights } from './weights';
import { int, ints, str, type Attribute } from '../../onnx';
import type { OpContext, OpConverter } from '../context';
import { spatial, toNchw, toNhwc } from './layout';

function paddingAttrs(ctx: OpContext): Record<string, Attribute> {
  const padding = ctx.attrString('padding', 'VALID');
  if (padding === 'SAME') return { auto_pad: str('SAME_UPPER') }; // TF SAME puts the odd pixel at the end, as SAME_UPPER does
  if (padding === 'VALID') return { auto_pad: str('VALID') };
  if (padding === 'EXPLICIT') {
    const p = ctx.attrInts('explicit_paddings'); // NHWC pairs: [n0,n1,h0,h1,w0,w1,c0,c1]
    return { pads: ints([p[2] ?? 0, p[4] ?? 0, p[3] ?? 0, p[5] ?? 0]) };
  }
  return ctx.fail(`unsupported padding '${padding}'`);
}

function checkDataFormat(ctx: OpContext): void {
  const format = ctx.attrString('data_format', 'NHWC');
  if (format !== 'NHWC') ctx.fail(`data_format ${format} is not supported (NHWC only)`);
}

/** Activations TF fuses into conv nodes, applied in NCHW before transposing back. */
function applyFusedActivation(ctx: OpContext, x: string, fused: string[]): string {
  const activations = fused.filter((f) => f !== 'BiasAdd');
  if (activations.length > 1) ctx.fail(`fused ops ${fused.join('+')} are not supported`);
  const act = activations[0];
  if (act === undefined) return x;
  if (act === 'Relu') return ctx.b.addNode('Relu', [x], [ctx.tmp('relu')]);
  if (act === 'Relu6') {
    return ctx.b.addNode('Clip', [x, ctx.float32([0], [], 'clip_min'), ctx.float32([6], [], 'clip_max')], [ctx.tmp('relu6')]);
  }
  if (act === 'LeakyRelu') {
    return ctx.b.addNode('LeakyRelu', [x], [ctx.tmp('leaky')], { alpha: { kind: 'float', value: ctx.attrFloat('leakyrelu_alpha', 0.2) } });
  }
  return ctx.fail(`fused activation '${act}' is not supported`);
}

function convolution(ctx: OpContext, depthwise: boolean, fused: boolean): void {
  checkDataFormat(ctx);
  const filter = ctx.requireConst(1, 'filter');
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  if (filter.shape.length !== 4) ctx.fail(`filter must be 4-D, got [${filter.shape.join(', ')}]`);
  const src = filter.data as Float32Array;
  // TF filter is [H, W, Cin, Cout] (depthwise: [H, W, C, multiplier]); ONNX wants [Cout, Cin/group, H, W].
  const outChannels = depthwise ? cin * cout : cout;
  const inPerGroup = depthwise ? 1 : cin;
  const weights = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          const from = ((y * kw + x) * cin + i) * cout + o;
          const oc = depthwise ? i * cout + o : o;
          const ic = depthwise ? 0 : i;
          weights[((oc * inPerGroup + ic) * kh + y) * kw + x] = src[from]!;
        }
  const wName = ctx.b.addInitializer(`${ctx.node.name}/weights_oihw`, weights, [outChannels, inPerGroup, kh, kw]);
  const fusedOps = fused ? ctx.attrStrings('fused_ops') : [];
  if (fused && fusedOps[0] !== 'BiasAdd') ctx.fail(`fused ops ${fusedOps.join('+') || '(none)'} are not supported (expected BiasAdd first)`);
  const inputs = [toNchw(ctx, ctx.input(0)), wName];
  if (fused) inputs.push(float32Weights(ctx, 2, 'bias'));
  const attrs: Record<string, Attribute> = {
    strides: ints(spatial(ctx.attrInts('strides', [1, 1, 1, 1]))),
    dilations: ints(spatial(ctx.attrInts('dilations', [1, 1, 1, 1]))),
    kernel_shape: ints([kh, kw]),
    ...paddingAttrs(ctx),
    ...(depthwise ? { group: int(cin) } : {}),
  };
  const conv = ctx.b.addNode('Conv', inputs, [ctx.tmp('conv')], attrs, ctx.tmp('Conv'));
  toNhwc(ctx, applyFusedActivation(ctx, conv, fusedOps), ctx.output());
}

function maxPool(ctx: OpContext): void {
  checkDataFormat(ctx);
  const attrs = {
    kernel_shape: ints(spatial(ctx.attrInts('ksize'))),
    strides: ints(spatial(ctx.attrInts('strides'))),
    ...paddingAttrs(ctx),
  };
  const pooled = ctx.b.addNode('MaxPool', [toNchw(ctx, ctx.input(0))], [ctx.tmp('pool')], attrs, ctx.tmp('MaxPool'));
  toNhwc(ctx, pooled, ctx.output());
}

export const convOps: Record<string, OpConverter> = {
  Conv2D: (ctx) => convolution(ctx, false, false),
  _FusedConv2D: (ctx) => convolution(ctx, false, true),
  DepthwiseConv2dNative: (ctx) => convolution(ctx, true, false),
  FusedDepthwiseConv2dNative: (ctx) => convolution(ctx, true, true),
  MaxPool: maxPool,
};
