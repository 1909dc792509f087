export interface TimingStats {
  runs: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/**
 * Times `fn` after `warmup` untimed calls: at least `minRuns` timed calls and until
 * `minMillis` have passed (capped at `maxRuns`). Warm-up is excluded from the figures.
 */
export async function measure(
  fn: () => Promise<unknown> | unknown,
  { warmup = 3, minRuns = 20, maxRuns = 500, minMillis = 2000 } = {},
): Promise<TimingStats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < maxRuns && (samples.length < minRuns || performance.now() - started < minMillis)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: samples.length,
    medianMs: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}
