/**
 * Result shapes of the end-to-end bench that the report (benchmarks/report/types.ts) shares. They
 * live apart from run.ts and soak.ts, which start a gateway: the report is read by the gateway's ops
 * page, and importing those would close an import cycle through gateway/service.
 */
export interface Efficiency {
  ratio: number;
  detectionsPerSecond: number;
  modelOnlyPerSecond: number;
  cameras: number;
  /** The every-frame step with the most detections/s, sustained or not: what the pipeline delivers flat out. */
  peak?: { cameras: number; detectionsPerSecond: number; ratio: number };
}

export interface SoakResult {
  cameras: number;
  minutes: number;
  sampleSeconds: number;
  /** [seconds since the start of the window, RSS MiB]. */
  samples: Array<[number, number]>;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  slopeMiBPerMinute: number | null;
  /** The slowest camera's detected fps over the whole window. */
  minDetectFps: number;
}
