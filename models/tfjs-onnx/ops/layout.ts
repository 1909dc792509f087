import type { OpContext } from '../context';
import { ints } from '../../onnx';

/**
 * TF runs NHWC, ONNX Conv/Pool/Resize run NCHW. Each spatial op is wrapped in a Transpose pair;
 * ORT's transpose optimiser cancels the back-to-back pairs between consecutive spatial ops and
 * pushes the rest through elementwise ops, so the wrapped graph runs as if it were NCHW.
 */
export function toNchw(ctx: OpContext, nhwc: string): string {
  return ctx.b.addNode('Transpose', [nhwc], [ctx.tmp('nchw_in')], { perm: ints([0, 3, 1, 2]) }, ctx.tmp('to_nchw'));
}

export function toNhwc(ctx: OpContext, nchw: string, out: string): string {
  return ctx.b.addNode('Transpose', [nchw], [out], { perm: ints([0, 2, 3, 1]) }, ctx.tmp('to_nhwc'));
}

/** TF strides/ksize/dilations lists are [1, h, w, 1] in NHWC. */
export function spatial(values: number[]): [number, number] {
  return [values[1] ?? 1, values[2] ?? 1];
}
