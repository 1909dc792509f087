import { describe, expect, it } from 'vitest';
import { maxWeightAssignment } from './assignment';
import { viewCountFigures } from './counting';
import { detectionFigures, detectionsAt, trackBoxes } from './detection';
import type { Pair, PredFrame } from './frames';
import type { Box } from './geometry';
import { parseGroundTruth, splitVisits, type GroundTruth, type GtFrame } from './groundtruth';
import { crossingOf, trueCrossings, type LineZone } from './lines';
import { scoreAll, type ProductLog } from './score';
import { judgeTargets } from './targets';
import { trackingFigures } from './tracking';
import { trueEpisodes, trueIncidents } from './zones';

/** A 100x100 px person standing with their feet at (x, y) (video pixels). */
const at = (x: number, y: number, h = 100): Box => [x - 20, y - h, x + 20, y];
const person = (id: string, box: Box, ignore = false) => ({ id, box: [...box] as [number, number, number, number], ignore });
const gtFrame = (frame: number, people: GtFrame['people']): GtFrame => ({ frame, people });
const pred = (frame: number, tracks: Array<[number, Box]>, extra: Box[] = []): PredFrame => ({
  frame,
  detections: [...tracks.map(([, box]) => ({ box, score: 0.9 })), ...extra.map((box) => ({ box, score: 0.9 }))],
  tracks: tracks.map(([id, box]) => ({ id, box })),
  zones: [],
});

/** Two people walking right across the frame, 10 frames apart; the product's tracks given per frame. */
function walk(tracksAt: (k: number) => [number, number]): Pair[] {
  return Array.from({ length: 6 }, (_, k) => {
    const a = at(100 + 40 * k, 300);
    const b = at(100 + 40 * k, 500);
    const [ta, tb] = tracksAt(k);
    return { gt: gtFrame(k * 10, [person('A', a), person('B', b)]), pred: pred(k * 10, [[ta, a], [tb, b]]) };
  });
}

describe('assignment', () => {
  it('maximises the total weight, never pairing a zero', () => {
    expect(maxWeightAssignment([[0.6, 0.9], [0.7, 0]])).toEqual([[0, 1], [1, 0]]);
    expect(maxWeightAssignment([[0, 0], [0, 0.5], [0.2, 0.4]])).toEqual([[1, 1], [2, 0]]);
    expect(maxWeightAssignment([])).toEqual([]);
    // The heaviest assignment, not the most pairs: one pair of 1.0 beats two of 0.1.
    expect(maxWeightAssignment([[1, 0.1], [0.1, 0]])).toEqual([[0, 0]]);
  });
});

describe('detection precision and recall', () => {
  it('is 1 and 1 for a perfect prediction', () => {
    const f = detectionFigures(walk(() => [1, 2]), detectionsAt(0.45), 0.45);
    expect(f).toMatchObject({ tp: 12, fp: 0, fn: 0, precision: 1, recall: 1, scoredPeople: 12 });
  });

  it('counts a miss, a false box, a duplicate and a low score', () => {
    const a = at(100, 300);
    const pairs: Pair[] = [
      { gt: gtFrame(0, [person('A', a), person('B', at(400, 300))]), pred: { ...pred(0, [[1, a]], [at(102, 301), at(700, 300)]), detections: [{ box: a, score: 0.9 }, { box: at(102, 301), score: 0.8 }, { box: at(700, 300), score: 0.5 }, { box: at(400, 300), score: 0.3 }] } },
    ];
    expect(detectionFigures(pairs, detectionsAt(0.45), 0.45)).toMatchObject({ tp: 1, fp: 2, fn: 1, precision: 0.333, recall: 0.5 });
    expect(detectionFigures(pairs, detectionsAt(0.2), 0.2)).toMatchObject({ tp: 2, fp: 2, fn: 0 });
  });

  it("treats don't-care people (ignore, under 48 px) and boxes under 48 px as neither TP nor FP", () => {
    const hidden = at(100, 300);
    const small = at(400, 300, 40);
    const pairs: Pair[] = [
      {
        gt: gtFrame(0, [person('A', hidden, true), person('B', small), person('C', at(600, 300))]),
        pred: { ...pred(0, []), detections: [{ box: hidden, score: 0.9 }, { box: small, score: 0.9 }, { box: at(250, 200, 30), score: 0.9 }, { box: at(600, 300), score: 0.9 }] },
      },
    ];
    expect(detectionFigures(pairs, detectionsAt(0.45), 0.45)).toMatchObject({ scoredPeople: 1, tp: 1, fp: 0, fn: 0, ignored: 3, precision: 1, recall: 1 });
    // Without the rule those three would be false positives: the same boxes beside nobody are.
    const alone: Pair[] = [{ gt: gtFrame(0, [person('C', at(600, 300))]), pred: { ...pairs[0]!.pred, detections: [{ box: at(100, 300), score: 0.9 }, { box: at(600, 300), score: 0.9 }] } }];
    expect(detectionFigures(alone, detectionsAt(0.45), 0.45)).toMatchObject({ tp: 1, fp: 1 });
  });
});

describe('counting', () => {
  it('is the mean absolute error of confirmed tracks vs people not marked ignore', () => {
    const pairs: Pair[] = [
      { gt: gtFrame(0, [person('A', at(100, 300)), person('B', at(300, 300)), person('H', at(500, 300), true)]), pred: pred(0, [[1, at(100, 300)]]) },
      { gt: gtFrame(10, [person('A', at(100, 300)), person('B', at(300, 300))]), pred: pred(10, [[1, at(100, 300)], [2, at(300, 300)], [3, at(500, 300)]]) },
    ];
    expect(viewCountFigures(pairs)).toMatchObject({ frames: 2, meanTrue: 2, meanFound: 2, mae: 1, maePct: 50, bias: 0 });
  });
});

describe('tracking', () => {
  it('gives 1 track per person, no switch and IDF1 1 for a perfect prediction', () => {
    expect(trackingFigures(walk(() => [1, 2]))).toMatchObject({ identities: 2, identitiesMatched: 2, tracksPerPerson: 1, maxTracksPerPerson: 1, idSwitches: 0, idf1: 1, fragmented: [] });
  });

  it('gives 2 tracks for a person whose track splits, and IDF1 below 1', () => {
    const t = trackingFigures(walk((k) => [k < 3 ? 1 : 7, 2]));
    expect(t).toMatchObject({ tracksPerPerson: 1.5, maxTracksPerPerson: 2, idSwitches: 1, idtp: 9, gtBoxes: 12, trackBoxes: 12 });
    expect(t.fragmented).toEqual([{ person: 'A', tracks: [{ id: 1, fromFrame: 0, toFrame: 20 }, { id: 7, fromFrame: 30, toFrame: 50 }] }]);
    expect(t.idf1).toBeCloseTo(0.75, 3);
  });

  it('counts an identity swap as a switch for each of the two people', () => {
    const t = trackingFigures(walk((k) => (k < 3 ? [1, 2] : [2, 1])));
    expect(t.idSwitches).toBe(2);
    expect(t.tracksPerPerson).toBe(2);
    expect(t.idf1).toBeCloseTo(0.5, 3);
  });

  it('keeps the last match across a frame the person was missed', () => {
    const pairs = walk(() => [1, 2]);
    pairs[2] = { ...pairs[2]!, pred: pred(20, [[2, pairs[2]!.gt.people[1]!.box]]) };
    expect(trackingFigures(pairs)).toMatchObject({ idSwitches: 0, tracksPerPerson: 1, idtp: 11 });
  });
});

describe('zones', () => {
  const zone = { id: 'z', type: 'restricted', points: [[0.5, 0], [1, 0], [1, 1], [0.5, 1]] as Array<[number, number]> };
  /** One person's foot x (video px, 768 wide) on consecutive labelled frames; null: not labelled. */
  const gtOf = (xs: Array<number | null>, fps = 10): GroundTruth =>
    parseGroundTruth({
      video: { name: 'vtest.avi', sha256: '45cddc94', width: 768, height: 576, fps, frames: 10_000 },
      labelledEvery: 10,
      method: 'synthetic',
      rules: ['synthetic'],
      split: { dev: { fromFrame: 0, toFrame: 4999 }, holdout: { fromFrame: 5000, toFrame: 9999 } },
      frames: xs.map((x, k) => ({ frame: k * 10, people: x === null ? [] : [person('P', at(x, 400))] })),
    });

  it('merges an episode across one frame outside or unlabelled, not across two', () => {
    expect(trueEpisodes(gtOf([600, 600, 100, 600, null, 600]), zone)).toEqual([{ id: 'P', startFrame: 0, endFrame: 50 }]);
    expect(trueEpisodes(gtOf([600, 100, null, 600, 600]), zone)).toEqual([
      { id: 'P', startFrame: 0, endFrame: 0 },
      { id: 'P', startFrame: 30, endFrame: 40 },
    ]);
  });

  it('merges occupancy into one incident while the zone was empty no longer than the cool-down', () => {
    // Inside at 0 s, outside at 1-4 s, inside again at 5 s.
    const g = gtOf([600, 100, 100, 100, 100, 600]);
    expect(trueEpisodes(g, zone)).toHaveLength(2);
    expect(trueIncidents(g, zone, 30)).toEqual([{ startFrame: 0, endFrame: 50 }]);
    expect(trueIncidents(g, zone, 3)).toHaveLength(2);
  });
});

describe('visits', () => {
  it('splits an identity unseen for 3 s or more into a new visit, not one unseen for 2 s', () => {
    const frames = [0, 10, 40, 50, 90].map((frame) => ({ frame, people: [person('P', at(300, 300))] }));
    const gt = parseGroundTruth({
      video: { name: 'vtest.avi', sha256: '45cddc94', width: 768, height: 576, fps: 10, frames: 100 },
      labelledEvery: 10,
      method: 'synthetic',
      rules: ['synthetic'],
      split: { dev: { fromFrame: 0, toFrame: 49 }, holdout: { fromFrame: 50, toFrame: 99 } },
      frames,
    });
    // Unseen 20-30 (2 s): same visit; unseen 60-80 (3 s): a new one.
    expect(splitVisits(gt).frames.map((f) => f.people[0]!.id)).toEqual(['P', 'P', 'P', 'P', 'P#2']);
  });
});

describe('line crossings', () => {
  const line: LineZone = { id: 'door', points: [[0.45, 0.3], [0.45, 0.65]], inDirection: 'right' };

  it('counts walking right across x=0.45 as in and left as out, and nothing beside the segment', () => {
    expect(crossingOf(line, [0.4, 0.5], [0.5, 0.5])).toBe('in');
    expect(crossingOf(line, [0.5, 0.5], [0.4, 0.5])).toBe('out');
    expect(crossingOf({ ...line, inDirection: 'left' }, [0.4, 0.5], [0.5, 0.5])).toBe('out');
    expect(crossingOf(line, [0.4, 0.9], [0.5, 0.9])).toBeUndefined();
    expect(crossingOf(line, [0.4, 0.5], [0.44, 0.6])).toBeUndefined();
    const down: LineZone = { id: 'h', points: [[0.2, 0.5], [0.8, 0.5]], inDirection: 'down' };
    expect(crossingOf(down, [0.5, 0.4], [0.5, 0.6])).toBe('in');
    expect(crossingOf(down, [0.5, 0.6], [0.5, 0.4])).toBe('out');
    // The direction does not depend on the order of the line's points.
    expect(crossingOf({ ...line, points: [line.points[1], line.points[0]] }, [0.4, 0.5], [0.5, 0.5])).toBe('in');
  });

  it('finds each identity crossing between its consecutive labelled appearances, both ways', () => {
    const x = (v: number) => v * 768;
    const gt = parseGroundTruth({
      video: { name: 'vtest.avi', sha256: '45cddc94', width: 768, height: 576, fps: 10, frames: 100 },
      labelledEvery: 10,
      method: 'synthetic',
      rules: ['synthetic'],
      split: { dev: { fromFrame: 0, toFrame: 49 }, holdout: { fromFrame: 50, toFrame: 99 } },
      frames: [
        { frame: 0, people: [person('A', at(x(0.4), 288)), person('B', at(x(0.6), 288))] },
        { frame: 10, people: [person('B', at(x(0.5), 288))] },
        { frame: 20, people: [person('A', at(x(0.5), 288)), person('B', at(x(0.4), 288))] },
      ],
    });
    expect(trueCrossings(gt, line)).toEqual([
      { id: 'A', frame: 20, direction: 'in' },
      { id: 'B', frame: 20, direction: 'out' },
    ]);
  });
});

describe('scoring a run', () => {
  it('splits the figures into dev and holdout and judges the targets', () => {
    const gt = parseGroundTruth({
      video: { name: 'vtest.avi', sha256: '45cddc94', width: 768, height: 576, fps: 10, frames: 60 },
      labelledEvery: 10,
      method: 'synthetic',
      rules: ['synthetic'],
      split: { dev: { fromFrame: 0, toFrame: 29 }, holdout: { fromFrame: 30, toFrame: 59 } },
      frames: walk(() => [1, 2]).map((p) => p.gt),
    });
    const log: ProductLog = { frames: walk((k) => [k < 4 ? 1 : 7, 2]).map((p) => p.pred), entries: [], events: [] };
    const s = scoreAll(gt, log, { polygons: [], lines: [] }, 0.45);
    expect([s.overall.labelledFrames, s.dev.labelledFrames, s.holdout.labelledFrames]).toEqual([6, 3, 3]);
    expect(s.dev.tracking.tracksPerPerson).toBe(1);
    expect(s.holdout.tracking.tracksPerPerson).toBe(1.5);
    expect(s.overall.tracking.tracksPerPerson).toBe(1.5);
    const t = judgeTargets(s.overall);
    expect(t.find((x) => x.id === 'fragmentation')).toMatchObject({ met: false, missedBy: '0.3 over' });
    expect(t.find((x) => x.id === 'detection')).toMatchObject({ met: true });
    expect(t.find((x) => x.id === 'lineCrossings')).toMatchObject({ met: null });
    expect(() => scoreAll(gt, { ...log, frames: log.frames.slice(1) }, { polygons: [], lines: [] }, 0.45)).toThrow('labelled frame 0 was not observed');
  });
});
