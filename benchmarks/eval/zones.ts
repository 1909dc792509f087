/**
 * Zone truth from the labels: who stands in which zone on each labelled frame (foot point = bottom
 * centre of the box, normalised, in the polygon), entry episodes per person and occupancy
 * incidents per zone; and the product's figures for the same.
 */
import { countFigures, type CountFigures } from './counting';
import type { Pair, PredFrame } from './frames';
import { footOf, inPolygon, type Point } from './geometry';
import type { GroundTruth } from './groundtruth';

export interface PolygonZone {
  id: string;
  type: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Restricted zones: an incident ends after the zone has been empty this long. */
  coolDownSeconds?: number;
}

/** A person's stay in a zone: a run of labelled frames inside (one frame outside or unlabelled between two inside does not end it). */
export interface Episode {
  id: string;
  startFrame: number;
  endFrame: number;
}

/** How many labelled frames outside (or not labelled) a run may have and stay one episode. */
export const EPISODE_MERGE_GAP = 1;

const inside = (gt: GroundTruth, box: readonly [number, number, number, number], zone: PolygonZone): boolean => inPolygon(footOf(box, gt.video.width, gt.video.height), zone.points);

/** Per identity, every labelled box (people marked ignore too: they are still somewhere); by position in gt.frames. */
function appearances(gt: GroundTruth): Map<string, Array<{ k: number; frame: number; box: readonly [number, number, number, number] }>> {
  const out = new Map<string, Array<{ k: number; frame: number; box: readonly [number, number, number, number] }>>();
  gt.frames.forEach((f, k) => {
    for (const p of f.people) {
      const list = out.get(p.id) ?? [];
      list.push({ k, frame: f.frame, box: p.box });
      out.set(p.id, list);
    }
  });
  return out;
}

export function trueEpisodes(gt: GroundTruth, zone: PolygonZone, mergeGap = EPISODE_MERGE_GAP): Episode[] {
  const episodes: Episode[] = [];
  for (const [id, list] of appearances(gt)) {
    let open: { startFrame: number; endFrame: number; k: number } | undefined;
    for (const a of list) {
      if (!inside(gt, a.box, zone)) continue;
      if (open && a.k - open.k <= 1 + mergeGap) {
        open.endFrame = a.frame;
        open.k = a.k;
      } else {
        if (open) episodes.push({ id, startFrame: open.startFrame, endFrame: open.endFrame });
        open = { startFrame: a.frame, endFrame: a.frame, k: a.k };
      }
    }
    if (open) episodes.push({ id, startFrame: open.startFrame, endFrame: open.endFrame });
  }
  return episodes.sort((a, b) => a.startFrame - b.startFrame || a.id.localeCompare(b.id));
}

/**
 * True incidents of a restricted zone: the people's episodes merged into occupancy periods, and
 * periods whose empty gap is at most the cool-down merged into one (the product ends an incident
 * only after the zone has been empty that long).
 */
export function trueIncidents(gt: GroundTruth, zone: PolygonZone, coolDownSeconds: number): Array<{ startFrame: number; endFrame: number }> {
  const periods: Array<{ startFrame: number; endFrame: number }> = [];
  for (const e of trueEpisodes(gt, zone)) {
    const last = periods.at(-1);
    if (last && (e.startFrame - last.endFrame) / gt.video.fps <= coolDownSeconds) last.endFrame = Math.max(last.endFrame, e.endFrame);
    else periods.push({ startFrame: e.startFrame, endFrame: e.endFrame });
  }
  return periods;
}

/** Per labelled frame: people (not ignore) standing in the zone vs the product's live count. */
export function zoneCountFigures(gt: GroundTruth, pairs: readonly Pair[], zone: PolygonZone): CountFigures {
  return countFigures(
    pairs.map(({ gt: f, pred }) => ({
      truth: f.people.filter((p) => !p.ignore && inside(gt, p.box, zone)).length,
      found: pred.zones.find((z) => z.zoneId === zone.id)?.count ?? 0,
    })),
  );
}

/** The latest cumulative value of a line zone's counter at or before `frame` (0 before the first frame). */
export function cumulativeAt(preds: readonly PredFrame[], zoneId: string, field: 'crossingsIn' | 'crossingsOut', frame: number): number {
  let value = 0;
  for (const p of preds) {
    if (p.frame > frame) break;
    value = p.zones.find((z) => z.zoneId === zoneId)?.[field] ?? value;
  }
  return value;
}

export type { Point };
