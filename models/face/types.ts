import type { Box } from '../detector';

export interface FaceDetection {
  /** Face box in source-frame pixels. */
  box: Box;
  score: number;
}

export interface Face extends FaceDetection {
  /** 68 landmark points [x0, y0, ...] in frame pixels; absent when the face was too small for them. */
  landmarks?: Float32Array;
  /** Eyes, nose tip, mouth corners [x0, y0, ...] in frame pixels (from the 68 points). */
  keypoints?: Float32Array;
  /** Whether the embedding came from a 5-point aligned face. */
  aligned: boolean;
  /** Why alignment was skipped, when it was. */
  alignSkipped?: string;
  /** L2-normalised 512-d embedding. */
  embedding: Float32Array;
  /** 0..1: detector score x size (saturating at the template size) x frontality; for picking a track's best face. */
  quality: number;
}
