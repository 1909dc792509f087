/**
 * Scores the product's log of a run against the ground truth, for the whole video and for the dev
 * and holdout parts separately (a labelled frame, an episode or a crossing belongs to the part its
 * frame falls in; an episode or incident by its first frame).
 */
import { viewCountFigures, type CountFigures } from './counting';
import { bestRecallAt, detectionFigures, detectionsAt, sweep, trackBoxes, type DetectionFigures, type OperatingPoint } from './detection';
import type { Pair, PredFrame } from './frames';
import { splitOf, splitVisits, type GroundTruth, type SplitName } from './groundtruth';
import { trueCrossings, type InDirection, type LineZone } from './lines';
import { trackingFigures, type TrackingFigures } from './tracking';
import { cumulativeAt, trueEpisodes, trueIncidents, zoneCountFigures, type PolygonZone } from './zones';

/** What the product did over the run, frame numbers from capturedAt. */
export interface ProductLog {
  /** Every frame the pipeline observed (onFrame), in order. */
  frames: PredFrame[];
  /** Zone entries (the per-track summaries' visits). */
  entries: Array<{ zoneId: string; trackId: number; frame: number }>;
  /** Events started by the rules. */
  events: Array<{ zoneId: string | undefined; type: string; frame: number }>;
}

export interface EvalZones {
  polygons: Array<PolygonZone & { coolDownSeconds: number }>;
  lines: LineZone[];
}

export interface ZoneFigures {
  zoneId: string;
  type: string;
  count: CountFigures;
  /** People's entry episodes from the labels, and entries the product recorded. */
  trueEpisodes: number;
  entriesFound: number;
  /** Restricted zones: occupancy incidents from the labels (merged over the cool-down) and incidents raised. */
  trueIncidents: number | null;
  incidentsRaised: number | null;
  coolDownSeconds: number | null;
}

export interface LineFigures {
  zoneId: string;
  inDirection: InDirection;
  trueIn: number;
  trueOut: number;
  foundIn: number;
  foundOut: number;
}

export interface SplitFigures {
  split: SplitName;
  fromFrame: number;
  toFrame: number;
  labelledFrames: number;
  /** Frames the pipeline observed in this range. */
  observedFrames: number;
  /** The detector at the configured personThreshold. */
  detection: DetectionFigures;
  /** The detector's precision and recall at each score threshold of SWEEP. */
  detectionSweep: OperatingPoint[];
  /** Highest detector recall at precision >= 0.9 over those thresholds (information: the target is judged at the configured threshold). */
  bestRecallAtP90: OperatingPoint | null;
  /** Confirmed tracks' boxes scored as detections. */
  tracks: DetectionFigures;
  count: CountFigures;
  tracking: TrackingFigures;
  zones: ZoneFigures[];
  lines: LineFigures[];
}

/** Score thresholds swept for the precision/recall curve. */
export const SWEEP = Array.from({ length: 15 }, (_, i) => Math.round((0.2 + i * 0.05) * 100) / 100);

export function rangeOf(gt: GroundTruth, split: SplitName): { fromFrame: number; toFrame: number } {
  if (split !== 'overall') return gt.split[split];
  const { dev, holdout } = gt.split;
  return { fromFrame: Math.min(dev.fromFrame, holdout.fromFrame), toFrame: Math.max(dev.toFrame, holdout.toFrame) };
}

/** Labelled frames paired with the product's view of the same frame; throws when one was not observed. */
export function pairFrames(gt: GroundTruth, frames: readonly PredFrame[]): Pair[] {
  const byFrame = new Map(frames.map((f) => [f.frame, f]));
  return gt.frames.map((f) => {
    const pred = byFrame.get(f.frame);
    if (!pred) throw new Error(`labelled frame ${f.frame} was not observed by the pipeline`);
    return { gt: f, pred };
  });
}

export function scoreSplit(gt: GroundTruth, log: ProductLog, zones: EvalZones, personThreshold: number, split: SplitName): SplitFigures {
  const { fromFrame, toFrame } = rangeOf(gt, split);
  const within = (frame: number) => frame >= fromFrame && frame <= toFrame && (split === 'overall' || splitOf(gt, frame) === split);
  const pairs = pairFrames(gt, log.frames).filter((p) => within(p.gt.frame));
  const points = sweep(pairs, SWEEP);
  return {
    split,
    fromFrame,
    toFrame,
    labelledFrames: pairs.length,
    observedFrames: log.frames.filter((f) => within(f.frame)).length,
    detection: detectionFigures(pairs, detectionsAt(personThreshold), personThreshold),
    detectionSweep: points,
    bestRecallAtP90: bestRecallAt(points, 0.9),
    tracks: detectionFigures(pairs, trackBoxes, null),
    count: viewCountFigures(pairs),
    tracking: trackingFigures(pairs),
    zones: zones.polygons.map((z) => {
      const restricted = z.type === 'restricted';
      return {
        zoneId: z.id,
        type: z.type,
        count: zoneCountFigures(gt, pairs, z),
        trueEpisodes: trueEpisodes(gt, z).filter((e) => within(e.startFrame)).length,
        entriesFound: log.entries.filter((e) => e.zoneId === z.id && within(e.frame)).length,
        trueIncidents: restricted ? trueIncidents(gt, z, z.coolDownSeconds).filter((e) => within(e.startFrame)).length : null,
        incidentsRaised: restricted ? log.events.filter((e) => e.zoneId === z.id && e.type === 'restricted_zone_entry' && within(e.frame)).length : null,
        coolDownSeconds: restricted ? z.coolDownSeconds : null,
      };
    }),
    lines: zones.lines.map((l) => {
      const truth = trueCrossings(gt, l).filter((c) => within(c.frame));
      const found = (field: 'crossingsIn' | 'crossingsOut') => cumulativeAt(log.frames, l.id, field, toFrame) - cumulativeAt(log.frames, l.id, field, fromFrame - 1);
      return {
        zoneId: l.id,
        inDirection: l.inDirection,
        trueIn: truth.filter((c) => c.direction === 'in').length,
        trueOut: truth.filter((c) => c.direction === 'out').length,
        foundIn: found('crossingsIn'),
        foundOut: found('crossingsOut'),
      };
    }),
  };
}

/** Every figure for the whole video, dev and holdout; identities are split into visits first (splitVisits). */
export function scoreAll(labels: GroundTruth, log: ProductLog, zones: EvalZones, personThreshold: number): Record<SplitName, SplitFigures> {
  const gt = splitVisits(labels);
  return {
    overall: scoreSplit(gt, log, zones, personThreshold, 'overall'),
    dev: scoreSplit(gt, log, zones, personThreshold, 'dev'),
    holdout: scoreSplit(gt, log, zones, personThreshold, 'holdout'),
  };
}
