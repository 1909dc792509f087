import type { OpContext } from '../context';

/** Initializer for a float constant input (e.g. a bias), named after the TF constant. */
export function float32Weights(ctx: OpContext, i: number, what: string): string {
  const value = ctx.requireConst(i, what);
  if (!(value.data instanceof Float32Array)) ctx.fail(`${what} must be float32`);
  return ctx.input(i);
}
