/** Medians across runs (`npm run bench -- --runs N`), structure by structure. */

function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return values[0]!;
  const sorted = [...finite].sort((a, b) => a - b);
  // The lower middle for an even count: always a value some run really produced.
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * Merges the same structure from several runs: numbers become their median, arrays of equal
 * length and objects merge element by element, booleans take the majority, anything else (strings,
 * ramps of different lengths) comes from the first run.
 */
export function medianMerge<T>(values: readonly T[]): T {
  const [first] = values;
  if (values.length <= 1 || first === null || first === undefined) return first as T;
  if (typeof first === 'number') return median(values as unknown as number[]) as T;
  if (typeof first === 'boolean') return ((values as unknown as boolean[]).filter(Boolean).length * 2 > values.length) as T;
  if (Array.isArray(first)) {
    const arrays = values as unknown as unknown[][];
    if (!arrays.every((a) => Array.isArray(a) && a.length === first.length)) return first;
    return first.map((_, i) => medianMerge(arrays.map((a) => a[i]))) as T;
  }
  if (typeof first === 'object') {
    const objects = values as unknown as Array<Record<string, unknown>>;
    if (!objects.every((o) => o && typeof o === 'object')) return first;
    return Object.fromEntries(Object.keys(first).map((k) => [k, medianMerge(objects.map((o) => o[k]))])) as T;
  }
  return first;
}
