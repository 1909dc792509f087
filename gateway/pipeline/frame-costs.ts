/**
 * Where a detected frame's CPU goes, stage by stage. Each stage is timed with the CPU clock of the
 * one thread that runs it (util/thread-cpu.ts: /proc/thread-self/schedstat; wall time off Linux), so
 * waiting for a core is not counted; ORT with one thread computes on its worker's thread, so
 * `inference` is its CPU (with more ORT threads, theirs is not in it). `prepare` is the exception:
 * sharp resizes on libuv/libvips threads while the worker waits, so it is wall time. ffmpeg's share is its process
 * CPU, from the stream's health. The benchmark divides the totals by the frames.
 */
export const FRAME_STAGES = ['motion', 'transfer', 'prepare', 'inference', 'outputs', 'tracking', 'store'] as const;
export type FrameStage = (typeof FRAME_STAGES)[number];

export interface FrameCostTotals {
  /** Frames the detector ran on, all cameras. */
  detectedFrames: number;
  /** Detected plus skipped by the motion gate. */
  handledFrames: number;
  /** Milliseconds summed over frames per stage (see FRAME_STAGES). */
  stageMs: Record<FrameStage, number>;
}

export function emptyStageMs(): Record<FrameStage, number> {
  return { motion: 0, transfer: 0, prepare: 0, inference: 0, outputs: 0, tracking: 0, store: 0 };
}
