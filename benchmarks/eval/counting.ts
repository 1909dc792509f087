/** Per-frame count error: the product's people in view (confirmed tracks) against the labelled people not marked ignore. */
import { ratio, round, type Pair } from './frames';

export interface CountFigures {
  frames: number;
  meanTrue: number | null;
  meanFound: number | null;
  /** Mean absolute error per frame, people. */
  mae: number | null;
  /** mae as a percentage of meanTrue. */
  maePct: number | null;
  /** Mean signed error (found - true): > 0 over-counts. */
  bias: number | null;
}

/** Count error of `found` against `truth` over frames (any count: whole view, a zone). */
export function countFigures(rows: ReadonlyArray<{ truth: number; found: number }>): CountFigures {
  const n = rows.length;
  const sum = (f: (r: { truth: number; found: number }) => number) => rows.reduce((a, r) => a + f(r), 0);
  const meanTrue = ratio(sum((r) => r.truth), n);
  const mae = ratio(sum((r) => Math.abs(r.found - r.truth)), n);
  return {
    frames: n,
    meanTrue: round(meanTrue),
    meanFound: round(ratio(sum((r) => r.found), n)),
    mae: round(mae),
    maePct: round(mae === null || meanTrue === null ? null : ratio(100 * mae, meanTrue), 2),
    bias: round(ratio(sum((r) => r.found - r.truth), n)),
  };
}

export function viewCountFigures(pairs: readonly Pair[]): CountFigures {
  return countFigures(pairs.map(({ gt, pred }) => ({ truth: gt.people.filter((p) => !p.ignore).length, found: pred.tracks.length })));
}
