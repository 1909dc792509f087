export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Detection {
  /** Corners in source-frame pixels. */
  box: Box;
  score: number;
  classId: number;
  label: string;
}

/** Maps model-input pixel coordinates back to the source frame. */
export interface InputTransform {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  srcWidth: number;
  srcHeight: number;
}

/** Candidate boxes in model-input pixels before NMS, in parallel typed arrays. */
export interface Candidates {
  count: number;
  boxes: Float32Array; // x1,y1,x2,y2 per candidate
  scores: Float32Array;
  classes: Int32Array;
}
