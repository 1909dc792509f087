/** What the product said about one frame, in the ground truth's pixels: the evaluation's input beside the labels. */
import type { Box } from './geometry';
import type { GtFrame } from './groundtruth';

export interface PredZone {
  zoneId: string;
  /** People the product counts in the zone now (polygon zones). */
  count: number;
  /** Line zones: crossings since the start of the local day. */
  crossingsIn?: number;
  crossingsOut?: number;
}

export interface PredFrame {
  frame: number;
  /** Person detections with their scores (down to the tracker's keep-alive score). */
  detections: Array<{ box: Box; score: number }>;
  /** Confirmed active tracks: the people the product counts in view. */
  tracks: Array<{ id: number; box: Box }>;
  zones: PredZone[];
}

/** A labelled frame and the product's view of it. */
export interface Pair {
  gt: GtFrame;
  pred: PredFrame;
}

/** a / b, or null when b is 0. */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
export const round = (v: number | null, d = 3): number | null => (v === null || !Number.isFinite(v) ? v : Math.round(v * 10 ** d) / 10 ** d);
