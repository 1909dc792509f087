/**
 * Where a detected frame's CPU goes, stage by stage. Each stage is timed on the one thread that runs
 * it (single-threaded work, so wall time there is CPU time); ffmpeg's share is its process CPU,
 * reported by the stream's health. The benchmark divides the totals by the frames to print the
 * breakdown per detected frame.
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
