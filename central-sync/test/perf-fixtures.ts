import type { PerfSummary } from '../wire';

/** A plausible summary; `over` replaces parts of it. */
export function perfSummary(over: Partial<PerfSummary> = {}): PerfSummary {
  return {
    device: { cores: 8, cpuModel: 'Intel(R) Core(TM) i5-1135G7 @ 2.40GHz', memoryMiB: 15_872, provider: 'cpu' },
    cameras: { configured: 4, streaming: 4 },
    detectionsPerSec: 18.5,
    framesPerSec: 20,
    targetFps: 20,
    efficiency: 1,
    inferenceMs: { p50: 21.4, p99: 48.9 },
    cpu: 0.41,
    rssMiB: 612,
    bench: { date: '2026-12-01T10:00:00.000Z', camerasSustained: 10, modelMs: 8.2 },
    ...over,
  };
}
