import { describe, expect, it } from 'vitest';
import { leastSquaresSlope } from './slope';

describe('least-squares slope', () => {
  it('recovers the slope of a line, and of a noisy one', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 400 + 2.5 * x })))).toBeCloseTo(2.5, 10);
    // +-8 MiB of noise around a flat 420 MiB over 1.6 min: first to last would say +10 MiB/min; the fit says ~1.4.
    const flat = Array.from({ length: 20 }, (_, i) => ({ x: i / 12, y: 420 + (i % 2 ? 8 : -8) }));
    expect(leastSquaresSlope(flat)).toBeCloseTo(1.444, 3);
    expect(leastSquaresSlope([{ x: 0, y: 10 }, { x: 2, y: 4 }])).toBe(-3);
  });

  it('has no slope without two distinct x', () => {
    expect(leastSquaresSlope([])).toBeNull();
    expect(leastSquaresSlope([{ x: 1, y: 2 }])).toBeNull();
    expect(leastSquaresSlope([{ x: 1, y: 2 }, { x: 1, y: 5 }])).toBeNull();
  });
});
