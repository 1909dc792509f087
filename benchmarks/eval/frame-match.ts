/**
 * One labelled frame: the product's boxes matched one-to-one to the scored people (IoU >= 0.5,
 * maximum total IoU), with the don't-care rule: a box left unmatched that overlaps a don't-care
 * person (marked ignore, or under MIN_HEIGHT_PX) at IoU >= 0.5, or that is itself under
 * MIN_HEIGHT_PX tall, is neither a true nor a false positive.
 */
import { maxWeightAssignment } from './assignment';
import { boxHeight, iou, type Box } from './geometry';
import { isScored, MIN_HEIGHT_PX, type GtPerson } from './groundtruth';

export const IOU_MATCH = 0.5;

export interface FrameMatch {
  /** [index into people, index into boxes]. */
  matches: Array<[number, number]>;
  /** Boxes that are false positives (indices into boxes). */
  falsePositives: number[];
  /** Boxes that are don't-care (indices into boxes). */
  ignored: number[];
  /** Scored people no box matched (indices into people). */
  missed: number[];
  scored: number;
}

/** IoU weights (0 below the match threshold). */
function weights(people: readonly GtPerson[], rows: readonly number[], boxes: readonly Box[], cols: readonly number[]): number[][] {
  return rows.map((i) => cols.map((j) => {
    const v = iou(people[i]!.box, boxes[j]!);
    return v >= IOU_MATCH ? v : 0;
  }));
}

/**
 * Matches boxes to the scored people. `keep` pairs (e.g. last frame's identity correspondences)
 * are kept first where they still overlap at IoU >= 0.5, as CLEAR-MOT does; the rest are assigned.
 */
export function matchFrame(people: readonly GtPerson[], boxes: readonly Box[], keep: ReadonlyArray<[number, number]> = []): FrameMatch {
  const scoredIdx = people.map((p, i) => (isScored(p) ? i : -1)).filter((i) => i >= 0);
  const matches: Array<[number, number]> = [];
  const usedP = new Set<number>();
  const usedB = new Set<number>();
  for (const [p, b] of keep) {
    if (usedP.has(p) || usedB.has(b) || !isScored(people[p]!) || iou(people[p]!.box, boxes[b]!) < IOU_MATCH) continue;
    matches.push([p, b]);
    usedP.add(p);
    usedB.add(b);
  }
  const rows = scoredIdx.filter((i) => !usedP.has(i));
  const cols = boxes.map((_, j) => j).filter((j) => !usedB.has(j));
  for (const [r, c] of maxWeightAssignment(weights(people, rows, boxes, cols))) {
    matches.push([rows[r]!, cols[c]!]);
    usedP.add(rows[r]!);
    usedB.add(cols[c]!);
  }
  const dontCare = people.filter((p) => !isScored(p));
  const falsePositives: number[] = [];
  const ignored: number[] = [];
  boxes.forEach((b, j) => {
    if (usedB.has(j)) return;
    if (boxHeight(b) < MIN_HEIGHT_PX || dontCare.some((p) => iou(p.box, b) >= IOU_MATCH)) ignored.push(j);
    else falsePositives.push(j);
  });
  return { matches, falsePositives, ignored, missed: scoredIdx.filter((i) => !usedP.has(i)), scored: scoredIdx.length };
}
