import { int, str } from '../../onnx';
import type { OpConverter } from '../context';
import { toNchw, toNhwc } from './layout';

/**
 * ResizeBilinear → ONNX Resize (linear) in NCHW. TF's flags map to the coordinate transform:
 * align_corners → align_corners, half_pixel_centers → half_pixel, neither → asymmetric.
 * The output size is [N, C] of the input (so the batch stays dynamic) followed by the constant [h, w].
 */
export const resizeBilinear: OpConverter = (ctx) => {
  const size = ctx.constInts(1, 'size');
  const alignCorners = ctx.attrBool('align_corners');
  const halfPixel = ctx.attrBool('half_pixel_centers');
  if (alignCorners && halfPixel) ctx.fail('align_corners and half_pixel_centers cannot both be set');
  const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  const x = toNchw(ctx, ctx.input(0));
  const shape = ctx.b.addNode('Shape', [x], [ctx.tmp('shape')]);
  const nc = ctx.b.addNode('Slice', [shape, ctx.int64([0], 'nc_start'), ctx.int64([2], 'nc_end')], [ctx.tmp('nc')]);
  const sizes = ctx.b.addNode('Concat', [nc, ctx.int64(size, 'hw')], [ctx.tmp('sizes')], { axis: int(0) });
  const resized = ctx.b.addNode(
    'Resize',
    [x, '', '', sizes],
    [ctx.tmp('resized')],
    { mode: str('linear'), coordinate_transformation_mode: str(mode), nearest_mode: str('floor') },
    ctx.tmp('Resize'),
  );
  toNhwc(ctx, resized, ctx.output());
};
