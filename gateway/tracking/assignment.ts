/**
 * Minimum-cost assignment of rows (tracks) to columns (detections), Hungarian method (Jonker-Volgenant
 * style shortest augmenting paths, O(n³) for the few tracks of one camera). `cost[r][c]` is
 * Infinity where the pair is not allowed; such pairs are never returned. Forbidden pairs and the
 * padding of a rectangular matrix cost more than all allowed pairs together, so the result has the
 * most allowed pairs possible and, among those, the least total cost (as SORT/ByteTrack gate it).
 */
export function assign(cost: ReadonlyArray<ReadonlyArray<number>>, columns: number): Array<[number, number]> {
  return solve(cost, columns);
}

/**
 * Minimum-cost assignment where leaving a row or a column unpaired costs `unpaired` each (ByteTrack's
 * cost limit, lapjv's extend_cost): a pair is taken only where it is cheaper than leaving both
 * alone, and more pairs are never bought with dearer ones. Without it, the most pairs win: a lost
 * track that fits a box only badly forces two people who fit their own boxes well to swap, so that
 * all three are paired. Solved as the square problem of rows + columns, each row and each column
 * with its own "unpaired" partner, whose unpaired partners pair with each other at no cost.
 */
export function assignWithUnpairedCost(cost: ReadonlyArray<ReadonlyArray<number>>, columns: number, unpaired: number): Array<[number, number]> {
  const rows = cost.length;
  if (rows === 0 || columns === 0) return [];
  const n = rows + columns;
  const square: number[][] = Array.from({ length: n }, (_, r) =>
    Array.from({ length: n }, (_, c) => {
      if (r < rows && c < columns) return cost[r]![c]!;
      if (r < rows) return c - columns === r ? unpaired : Infinity;
      if (c < columns) return r - rows === c ? unpaired : Infinity;
      return 0;
    }),
  );
  return solve(square, n).filter(([r, c]) => r < rows && c < columns);
}

function solve(cost: ReadonlyArray<ReadonlyArray<number>>, columns: number): Array<[number, number]> {
  const rows = cost.length;
  if (rows === 0 || columns === 0) return [];
  let finiteMax = 0;
  for (const row of cost) for (const c of row) if (Number.isFinite(c)) finiteMax = Math.max(finiteMax, Math.abs(c));
  // A forbidden or padding pair costs more than any set of allowed pairs together.
  const forbidden = (finiteMax + 1) * (rows + columns + 1);
  const n = Math.max(rows, columns);
  const at = (r: number, c: number): number => {
    if (r >= rows || c >= columns) return forbidden;
    const v = cost[r]![c]!;
    return Number.isFinite(v) ? v : forbidden;
  };
  // Potentials u (rows) and v (columns), 1-based with a virtual column 0.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOf = new Int32Array(n + 1); // column → assigned row (1-based), 0 = free
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let r = 1; r <= n; r++) {
    rowOf[0] = r;
    let c0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[c0] = 1;
      const r0 = rowOf[c0]!;
      let delta = Infinity;
      let c1 = 0;
      for (let c = 1; c <= n; c++) {
        if (used[c]) continue;
        const cur = at(r0 - 1, c - 1) - u[r0]! - v[c]!;
        if (cur < minv[c]!) {
          minv[c] = cur;
          way[c] = c0;
        }
        if (minv[c]! < delta) {
          delta = minv[c]!;
          c1 = c;
        }
      }
      for (let c = 0; c <= n; c++) {
        if (used[c]) {
          u[rowOf[c]!]! += delta;
          v[c]! -= delta;
        } else minv[c]! -= delta;
      }
      c0 = c1;
    } while (rowOf[c0] !== 0);
    do {
      const c1 = way[c0]!;
      rowOf[c0] = rowOf[c1]!;
      c0 = c1;
    } while (c0 !== 0);
  }
  const pairs: Array<[number, number]> = [];
  for (let c = 1; c <= n; c++) {
    const r = rowOf[c]! - 1;
    if (r >= 0 && r < rows && c - 1 < columns && Number.isFinite(cost[r]![c - 1]!)) pairs.push([r, c - 1]);
  }
  return pairs;
}
