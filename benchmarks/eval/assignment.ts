import { assignWithUnpairedCost } from '../../gateway/tracking/assignment';

/**
 * Maximum-weight one-to-one assignment between rows and columns of a weight matrix (IoU of boxes,
 * frames two identities share). Pairs of weight <= 0 are never assigned. The tracker's Hungarian
 * solver with a zero cost for leaving a row or column unpaired: a pair is taken only where its
 * weight is positive, and the total weight is the largest possible (not the number of pairs).
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): Array<[row: number, col: number]> {
  const columns = weights.length ? weights[0]!.length : 0;
  const cost = weights.map((row) => row.map((w) => (w > 0 ? -w : Infinity)));
  return assignWithUnpairedCost(cost, columns, 0).sort((a, b) => a[0] - b[0]);
}
