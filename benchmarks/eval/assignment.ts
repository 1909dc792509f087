/**
 * Maximum-weight one-to-one assignment (Hungarian / Kuhn-Munkres, O(n^3)) between rows and
 * columns of a weight matrix. Pairs of weight <= 0 are never assigned.
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): Array<[row: number, col: number]> {
  const rows = weights.length;
  const cols = rows ? weights[0]!.length : 0;
  if (rows === 0 || cols === 0) return [];
  const n = Math.max(rows, cols);
  let max = 0;
  for (const r of weights) for (const w of r) if (w > max) max = w;
  // Minimise cost = max - weight on a square matrix padded with cost max (weight 0).
  const cost = (i: number, j: number): number => max - (i < rows && j < cols ? Math.max(0, weights[i]![j]!) : 0);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row (1-based) assigned to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const out: Array<[number, number]> = [];
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    const c = j - 1;
    if (i < rows && c < cols && weights[i]![c]! > 0) out.push([i, c]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
