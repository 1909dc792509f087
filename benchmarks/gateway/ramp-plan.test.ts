import { describe, expect, it } from 'vitest';
import { nextCount, startEstimate, type RampOutcome, type RampPlan } from './ramp-plan';

/** Runs the planner against a machine that sustains up to `limit` cameras; returns the counts measured, in order. */
function simulate(plan: RampPlan, limit: number): number[] {
  const done: RampOutcome[] = [];
  for (let n = nextCount(done, plan); n !== null; n = nextCount(done, plan)) {
    expect(done.some((d) => d.cameras === n)).toBe(false);
    done.push({ cameras: n, sustained: n <= limit });
  }
  return done.map((d) => d.cameras);
}

describe('ramp planner', () => {
  it('starts at the estimate, steps by 2 until a step fails, then by one', () => {
    expect(simulate({ start: 7, max: 24 }, 11)).toEqual([7, 9, 11, 13, 12]);
    expect(simulate({ start: 7, max: 24 }, 10)).toEqual([7, 9, 11, 10]);
    expect(simulate({ start: 7, max: 24 }, 9)).toEqual([7, 9, 11, 10]);
    expect(simulate({ start: 7, max: 24 }, 7)).toEqual([7, 9, 8]);
  });

  it('steps down by 2 when the estimate already fails, then up by one', () => {
    expect(simulate({ start: 7, max: 24 }, 4)).toEqual([7, 5, 3, 4]);
    expect(simulate({ start: 7, max: 24 }, 5)).toEqual([7, 5, 6]);
    expect(simulate({ start: 3, max: 24 }, 0)).toEqual([3, 1]);
    expect(simulate({ start: 4, min: 2, max: 24 }, 0)).toEqual([4, 2]);
  });

  it('stops at the bounds and within the step budget', () => {
    expect(simulate({ start: 20, max: 24 }, 100)).toEqual([20, 22, 24]);
    expect(simulate({ start: 21, max: 24 }, 100)).toEqual([21, 23, 24]);
    expect(simulate({ start: 7, max: 24, maxSteps: 2 }, 100)).toEqual([7, 9]);
    expect(simulate({ start: 30, max: 24 }, 100)).toEqual([24]);
  });

  it('follows the highest sustained count when a lower one failed (noise), never repeating a count', () => {
    const done: RampOutcome[] = [
      { cameras: 7, sustained: true },
      { cameras: 9, sustained: false },
      { cameras: 8, sustained: true },
    ];
    expect(nextCount(done, { start: 7, max: 24 })).toBeNull();
    expect(nextCount([{ cameras: 6, sustained: false }, { cameras: 8, sustained: true }], { start: 6, max: 24 })).toBe(10);
    expect(nextCount([{ cameras: 6, sustained: true }, { cameras: 9, sustained: false }], { start: 6, coarseStep: 3, max: 24 })).toBe(7);
  });

  it('estimates the start from the model-only throughput at 5 fps with a margin', () => {
    expect(startEstimate(47.8, { max: 24 })).toBe(7); // 47.8 / 5 * 0.8 = 7.6
    expect(startEstimate(5, { min: 2, max: 24 })).toBe(2);
    expect(startEstimate(1000, { max: 24 })).toBe(24);
  });
});
