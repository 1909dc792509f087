import type { OpConverter } from '../context';
import { convOps } from './conv';
import { elementwiseOps } from './elementwise';
import { resizeBilinear } from './resize';
import { shapeOps } from './shape';

/** Every TF op the converter supports. Anything else fails the conversion naming op and node. */
export const OP_CONVERTERS: Readonly<Record<string, OpConverter>> = {
  ...convOps,
  ...elementwiseOps,
  ...shapeOps,
  ResizeBilinear: resizeBilinear,
};
