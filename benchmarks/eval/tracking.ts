/**
 * Tracking figures on the labelled frames, from the confirmed tracks matched to scored people
 * (CLEAR-MOT style: each identity's last matched track is kept while it overlaps, the rest assigned):
 * - tracks per labelled person: distinct track ids matched to each identity (fragmentation);
 * - identity switches: an identity matched to a different track than at its previous match;
 * - IDF1: one global one-to-one assignment identity <-> track maximising the frames where they
 *   overlap at IoU >= 0.5; IDF1 = 2 IDTP / (scored boxes + counted track boxes).
 */
import { maxWeightAssignment } from './assignment';
import { matchFrame, IOU_MATCH } from './frame-match';
import { ratio, round, type Pair } from './frames';
import { iou } from './geometry';
import { isScored } from './groundtruth';

export interface TrackingFigures {
  /** Identities with at least one scored box. */
  identities: number;
  /** Of those, matched to a track at least once. */
  identitiesMatched: number;
  /** Mean over matched identities of the distinct tracks matched to each. */
  tracksPerPerson: number | null;
  maxTracksPerPerson: number;
  idSwitches: number;
  idtp: number;
  /** Scored boxes (IDTP + IDFN). */
  gtBoxes: number;
  /** Track boxes counted (IDTP + IDFP): don't-care ones left out. */
  trackBoxes: number;
  idf1: number | null;
  idp: number | null;
  idr: number | null;
  /** People matched to more than one track: each track's first and last matched labelled frame (for finding the splits). */
  fragmented: Array<{ person: string; tracks: Array<{ id: number; fromFrame: number; toFrame: number }> }>;
}

export function trackingFigures(pairs: readonly Pair[]): TrackingFigures {
  const tracksOf = new Map<string, Map<number, { fromFrame: number; toFrame: number }>>();
  const identities = new Set<string>();
  const last = new Map<string, number>();
  const overlap = new Map<string, Map<number, number>>();
  let switches = 0;
  let gtBoxes = 0;
  let trackBoxes = 0;
  for (const { gt, pred } of [...pairs].sort((a, b) => a.gt.frame - b.gt.frame)) {
    const boxes = pred.tracks.map((t) => t.box);
    const keep: Array<[number, number]> = [];
    gt.people.forEach((p, i) => {
      const tid = last.get(p.id);
      const j = tid === undefined ? -1 : pred.tracks.findIndex((t) => t.id === tid);
      if (j >= 0) keep.push([i, j]);
    });
    const m = matchFrame(gt.people, boxes, keep);
    for (const [i, j] of m.matches) {
      const gid = gt.people[i]!.id;
      const tid = pred.tracks[j]!.id;
      const spans = tracksOf.get(gid) ?? new Map<number, { fromFrame: number; toFrame: number }>();
      const span = spans.get(tid);
      if (span) span.toFrame = gt.frame;
      else spans.set(tid, { fromFrame: gt.frame, toFrame: gt.frame });
      tracksOf.set(gid, spans);
      const prev = last.get(gid);
      if (prev !== undefined && prev !== tid) switches++;
      last.set(gid, tid);
    }
    const ignored = new Set(m.ignored);
    trackBoxes += boxes.length - ignored.size;
    for (const p of gt.people) {
      if (!isScored(p)) continue;
      identities.add(p.id);
      gtBoxes++;
      pred.tracks.forEach((t, j) => {
        if (ignored.has(j) || iou(p.box, t.box) < IOU_MATCH) return;
        const row = overlap.get(p.id) ?? new Map<number, number>();
        row.set(t.id, (row.get(t.id) ?? 0) + 1);
        overlap.set(p.id, row);
      });
    }
  }
  const gids = [...overlap.keys()];
  const tids = [...new Set(gids.flatMap((g) => [...overlap.get(g)!.keys()]))];
  const idtp = maxWeightAssignment(gids.map((g) => tids.map((t) => overlap.get(g)!.get(t) ?? 0))).reduce((a, [r, c]) => a + (overlap.get(gids[r]!)!.get(tids[c]!) ?? 0), 0);
  const counts = [...tracksOf.values()].map((s) => s.size);
  return {
    identities: identities.size,
    identitiesMatched: counts.length,
    tracksPerPerson: round(ratio(counts.reduce((a, b) => a + b, 0), counts.length)),
    maxTracksPerPerson: counts.length ? Math.max(...counts) : 0,
    idSwitches: switches,
    idtp,
    gtBoxes,
    trackBoxes,
    idf1: round(ratio(2 * idtp, gtBoxes + trackBoxes)),
    idp: round(ratio(idtp, trackBoxes)),
    idr: round(ratio(idtp, gtBoxes)),
    fragmented: [...tracksOf]
      .filter(([, spans]) => spans.size > 1)
      .map(([person, spans]) => ({ person, tracks: [...spans].map(([id, span]) => ({ id, ...span })).sort((a, b) => a.fromFrame - b.fromFrame) })),
  };
}
