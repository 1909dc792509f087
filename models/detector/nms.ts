import type { Candidates } from './types';

function iou(b: Float32Array, i: number, j: number): number {
  const ix1 = Math.max(b[i * 4]!, b[j * 4]!);
  const iy1 = Math.max(b[i * 4 + 1]!, b[j * 4 + 1]!);
  const ix2 = Math.min(b[i * 4 + 2]!, b[j * 4 + 2]!);
  const iy2 = Math.min(b[i * 4 + 3]!, b[j * 4 + 3]!);
  const inter = Math.max(0, ix2 - ix1) * Math.max(0, iy2 - iy1);
  if (inter <= 0) return 0;
  const areaI = (b[i * 4 + 2]! - b[i * 4]!) * (b[i * 4 + 3]! - b[i * 4 + 1]!);
  const areaJ = (b[j * 4 + 2]! - b[j * 4]!) * (b[j * 4 + 3]! - b[j * 4 + 1]!);
  return inter / (areaI + areaJ - inter);
}

/**
 * Greedy per-class non-maximum suppression. Returns the indices of the kept candidates,
 * best score first, at most `maxDetections`.
 */
export function nonMaxSuppression(c: Candidates, iouThreshold: number, maxDetections: number): number[] {
  const order = Array.from({ length: c.count }, (_, i) => i).sort((a, b) => c.scores[b]! - c.scores[a]!);
  const kept: number[] = [];
  const suppressed = new Uint8Array(c.count);
  for (let oi = 0; oi < order.length && kept.length < maxDetections; oi++) {
    const i = order[oi]!;
    if (suppressed[i]) continue;
    kept.push(i);
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj]!;
      if (suppressed[j] || c.classes[j] !== c.classes[i]) continue;
      if (iou(c.boxes, i, j) > iouThreshold) suppressed[j] = 1;
    }
  }
  return kept;
}

/** Growable candidate buffer reused across frames so decoding allocates nothing per frame. */
export class CandidateBuffer implements Candidates {
  count = 0;
  boxes: Float32Array;
  scores: Float32Array;
  classes: Int32Array;

  constructor(capacity = 256) {
    this.boxes = new Float32Array(capacity * 4);
    this.scores = new Float32Array(capacity);
    this.classes = new Int32Array(capacity);
  }

  reset(): void {
    this.count = 0;
  }

  push(x1: number, y1: number, x2: number, y2: number, score: number, classId: number): void {
    if (this.count === this.scores.length) this.grow();
    const i = this.count++;
    this.boxes[i * 4] = x1;
    this.boxes[i * 4 + 1] = y1;
    this.boxes[i * 4 + 2] = x2;
    this.boxes[i * 4 + 3] = y2;
    this.scores[i] = score;
    this.classes[i] = classId;
  }

  private grow(): void {
    const cap = this.scores.length * 2;
    const boxes = new Float32Array(cap * 4);
    boxes.set(this.boxes);
    const scores = new Float32Array(cap);
    scores.set(this.scores);
    const classes = new Int32Array(cap);
    classes.set(this.classes);
    this.boxes = boxes;
    this.scores = scores;
    this.classes = classes;
  }
}
