/**
 * Which camera count the end-to-end ramp measures next, from what it has measured so far: start
 * from an estimate, coarse steps up (or down, when the estimate already fails) until the result
 * flips, then one camera at a time between the most cameras sustained and the fewest that failed.
 * Pure: no count is ever proposed twice, and the ramp ends (null) once the limit is pinned to one
 * camera, the bounds are reached, or the step budget is spent.
 */

export interface RampOutcome {
  cameras: number;
  sustained: boolean;
}

export interface RampPlan {
  /** First count to measure (clamped to min..max). */
  start: number;
  /** Step before the result flips (default 2). */
  coarseStep?: number;
  min?: number;
  max: number;
  /** Most steps to run (default: no limit). */
  maxSteps?: number;
}

/** The estimate to start from: cameras at `fps` the model alone could feed, times `margin`. */
export function startEstimate(modelInferencesPerSecond: number, { fps = 5, margin = 0.8, min = 1, max }: { fps?: number; margin?: number; min?: number; max: number }): number {
  const n = Math.floor((modelInferencesPerSecond / fps) * margin);
  return Math.max(min, Math.min(max, Number.isFinite(n) ? n : min));
}

export function nextCount(done: readonly RampOutcome[], plan: RampPlan): number | null {
  const coarse = Math.max(1, plan.coarseStep ?? 2);
  const min = Math.max(1, plan.min ?? 1);
  const max = Math.max(min, plan.max);
  if (plan.maxSteps !== undefined && done.length >= plan.maxSteps) return null;
  if (done.length === 0) return Math.max(min, Math.min(max, plan.start));
  // The limit lies between the most cameras sustained and the fewest above it that failed (a
  // failure below a sustained count is noise at that count, recorded but not followed).
  const lo = Math.max(0, ...done.filter((d) => d.sustained).map((d) => d.cameras));
  const hi = Math.min(Infinity, ...done.filter((d) => !d.sustained && d.cameras > lo).map((d) => d.cameras));
  let next: number;
  if (hi === Infinity) next = Math.min(max, lo + coarse);
  else if (lo === 0) next = Math.max(min, hi - coarse);
  else next = lo + 1;
  const tried = new Set(done.map((d) => d.cameras));
  if (next <= lo || next >= hi || next < min || next > max || tried.has(next)) return null;
  return next;
}
