/** Detection precision and recall at IoU 0.5 for people >= MIN_HEIGHT_PX tall (frame-match.ts has the don't-care rule). */
import type { Box } from './geometry';
import { matchFrame } from './frame-match';
import { ratio, round, type Pair, type PredFrame } from './frames';

export interface DetectionFigures {
  /** Score at or above which a detection is counted (null: every box, e.g. confirmed tracks). */
  threshold: number | null;
  scoredPeople: number;
  tp: number;
  fp: number;
  fn: number;
  /** Boxes on don't-care people or under the height limit: neither TP nor FP. */
  ignored: number;
  precision: number | null;
  recall: number | null;
}

export function detectionFigures(pairs: readonly Pair[], boxesOf: (p: PredFrame) => Box[], threshold: number | null): DetectionFigures {
  let tp = 0, fp = 0, fn = 0, ignored = 0, scored = 0;
  for (const { gt, pred } of pairs) {
    const m = matchFrame(gt.people, boxesOf(pred));
    tp += m.matches.length;
    fp += m.falsePositives.length;
    fn += m.missed.length;
    ignored += m.ignored.length;
    scored += m.scored;
  }
  return { threshold, scoredPeople: scored, tp, fp, fn, ignored, precision: round(ratio(tp, tp + fp)), recall: round(ratio(tp, tp + fn)) };
}

/** The detector's boxes at a score threshold. */
export const detectionsAt = (threshold: number) => (p: PredFrame): Box[] => p.detections.filter((d) => d.score >= threshold).map((d) => d.box);
/** The confirmed tracks' boxes (what the product counts). */
export const trackBoxes = (p: PredFrame): Box[] => p.tracks.map((t) => t.box);

export interface OperatingPoint {
  threshold: number;
  precision: number | null;
  recall: number | null;
}

/** Precision and recall of the detector at each threshold. */
export function sweep(pairs: readonly Pair[], thresholds: readonly number[]): OperatingPoint[] {
  return thresholds.map((t) => {
    const f = detectionFigures(pairs, detectionsAt(t), t);
    return { threshold: t, precision: f.precision, recall: f.recall };
  });
}

/** The highest recall among points with precision >= minPrecision (null when none reaches it). */
export function bestRecallAt(points: readonly OperatingPoint[], minPrecision: number): OperatingPoint | null {
  let best: OperatingPoint | null = null;
  for (const p of points) {
    if (p.precision === null || p.recall === null || p.precision < minPrecision) continue;
    if (!best || p.recall > best.recall!) best = p;
  }
  return best;
}
