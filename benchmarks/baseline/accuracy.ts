/** Matching two pipelines' detections on the same frames: the "equal accuracy" of the OpenCV baseline. */

/** Score threshold of both pipelines in the comparison (the gateway detects at 0.2, reports persons at 0.45). */
export const THRESHOLD = 0.3;
/** Greatest corner difference, in source pixels, for two boxes to count as the same detection. */
export const BOX_TOLERANCE_PX = 4;
/**
 * The two pipelines resize differently (sharp vs cv2.resize), which moves scores by ~0.02: a person
 * scored just under the threshold on one side and just over it on the other is not a disagreement.
 * Unmatched detections below threshold + this margin are counted apart, as borderline.
 */
export const SCORE_MARGIN = 0.05;

export interface Box {
  box: [number, number, number, number];
  score: number;
}

export interface AccuracyFrame {
  frame: number;
  ours: number;
  opencv: number;
  matched: number;
  /** Unmatched detections scored within SCORE_MARGIN of the threshold (either side). */
  borderline: number;
  maxCornerDiffPx: number;
  maxScoreDiff: number;
}

const iou = (a: Box['box'], b: Box['box']): number => {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const area = (x: Box['box']) => (x[2] - x[0]) * (x[3] - x[1]);
  return inter > 0 ? inter / (area(a) + area(b) - inter) : 0;
};

/**
 * Greedy best-IoU matching (IoU >= 0.5, best score first) of two pipelines' detections on one frame.
 * `withinTolerance`: every matched box within `tolerancePx` at every corner, and no unmatched
 * detection scored `threshold + margin` or more.
 */
export function compareDetections(
  frame: number,
  ours: Box[],
  opencv: Box[],
  { threshold = THRESHOLD, tolerancePx = BOX_TOLERANCE_PX, margin = SCORE_MARGIN } = {},
): AccuracyFrame & { withinTolerance: boolean } {
  const used = new Set<number>();
  const matchedOurs = new Set<number>();
  let maxCorner = 0;
  let maxScore = 0;
  let within = true;
  const order = ours.map((_, i) => i).sort((x, y) => ours[y]!.score - ours[x]!.score);
  for (const i of order) {
    const a = ours[i]!;
    let best = -1;
    let bestIou = 0.5;
    opencv.forEach((b, j) => {
      if (used.has(j)) return;
      const v = iou(a.box, b.box);
      if (v >= bestIou) {
        bestIou = v;
        best = j;
      }
    });
    if (best < 0) continue;
    used.add(best);
    matchedOurs.add(i);
    const b = opencv[best]!;
    const corner = Math.max(...a.box.map((v, k) => Math.abs(v - b.box[k]!)));
    maxCorner = Math.max(maxCorner, corner);
    maxScore = Math.max(maxScore, Math.abs(a.score - b.score));
    if (corner > tolerancePx) within = false;
  }
  const unmatched = [...ours.filter((_, i) => !matchedOurs.has(i)), ...opencv.filter((_, j) => !used.has(j))];
  const clear = unmatched.filter((d) => d.score >= threshold + margin).length;
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    frame,
    ours: ours.length,
    opencv: opencv.length,
    matched: used.size,
    borderline: unmatched.length - clear,
    maxCornerDiffPx: round(maxCorner),
    maxScoreDiff: round(maxScore, 4),
    withinTolerance: within && clear === 0,
  };
}

