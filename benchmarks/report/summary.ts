/** The report's headline: the ratios against the baselines and whether the goal is met. */
import type { BenchReport, Summary } from './types';

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

export function summarise(report: Pick<BenchReport, 'endToEnd' | 'baselines'> & { options?: { quick: boolean } }): Summary {
  const notes: string[] = [];
  if (report.options?.quick && (report.endToEnd || report.baselines.opencv?.cameras)) {
    notes.push('Quick run: the camera ramps stop early (the gateway: 2 every-frame steps from the estimate and 1 motion-gated step, a 0.5 min soak; OpenCV: 1 camera), so the sustained counts, the ratios and the goals are floors, not capacities. Run without --quick for the real figures.');
  }
  const cv = report.baselines.opencv;
  const tfjs = report.baselines.tfjsWasm;
  const ours = report.endToEnd ? report.endToEnd.everyFrame.sustained : null;
  const opencv = cv?.cameras ? cv.cameras.sustained : null;
  let ratio: number | null = null;
  if (ours !== null && opencv !== null) {
    if (opencv > 0) ratio = round(ours / opencv);
    else notes.push(`The OpenCV pipeline did not sustain even one camera at 5 fps (best: ${cv?.cameras?.steps[0]?.minFps ?? '?'} fps); the gateway sustained ${ours}.`);
  }
  const detectFpsVsOpenCv = cv?.fps ? round(cv.fps.ours.detectFps / cv.fps.opencv.detectFps) : null;
  const equalAccuracy = cv?.accuracy ? cv.accuracy.equal : null;
  let goalMet: boolean | null = null;
  if (ours !== null && opencv !== null && equalAccuracy !== null) goalMet = equalAccuracy && ours > 0 && ours >= 2 * opencv;
  if (cv && !cv.available) notes.push(`OpenCV baseline not run: ${cv.reason ?? 'unavailable'}.`);
  if (cv?.fullGraph && !cv.fullGraph.ran) {
    notes.push(`cv2.dnn ${cv.opencv} cannot run the full converted graph (${cv.fullGraph.error}); the baseline runs the heads-only variant (the gateway's own model file) and decodes it in Python.`);
  }
  return { ortVsTfjsWasm: tfjs?.ratio ?? null, detectFpsVsOpenCv, cameras: { ours, opencv, ratio }, equalAccuracy, goalMet, notes };
}
