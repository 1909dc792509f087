import { describe, expect, it } from 'vitest';
import { assign, assignWithUnpairedCost } from '../tracking/assignment';
import { Tracker, type TrackerDetection } from '../tracking';

const FRAME_MS = 200; // 5 fps
const person = (x: number, y = 100): TrackerDetection => ({ box: { x1: x, y1: y, x2: x + 40, y2: y + 100 }, score: 0.8 });

describe('assignment with a cost for leaving a track or a box unpaired', () => {
  it('does not buy one more pair with a dearer pairing', () => {
    // Rows: tracks A, B, C; columns: boxes a, b, x. C fits only b, badly; B fits b well and x badly.
    const cost = [
      [0.1, Infinity, Infinity],
      [Infinity, 0.1, 0.9],
      [Infinity, 0.8, Infinity],
    ];
    // The most pairs: C takes b and B is pushed onto x.
    expect(assign(cost, 3).sort()).toEqual([[0, 0], [1, 2], [2, 1]]);
    // Leaving C and x alone costs 2 x 0.65, less than the 0.9 + 0.8 - 0.1 the swap adds.
    expect(assignWithUnpairedCost(cost, 3, 0.65).sort()).toEqual([[0, 0], [1, 1]]);
  });

  it('never pairs above twice the unpaired cost and keeps the cheapest pairing below it', () => {
    expect(assignWithUnpairedCost([[1.4]], 1, 0.65)).toEqual([]);
    expect(assignWithUnpairedCost([[1.2]], 1, 0.65)).toEqual([[0, 0]]);
    expect(assignWithUnpairedCost([[1, 2], [2, 100]], 2, 10).sort()).toEqual([[0, 1], [1, 0]]);
    expect(assignWithUnpairedCost([[Infinity, 1], [Infinity, 2]], 2, 10)).toEqual([[0, 1]]);
    expect(assignWithUnpairedCost([], 0, 1)).toEqual([]);
    expect(assignWithUnpairedCost([[0.5, 0.2, 0.3]], 3, 1)).toEqual([[0, 1]]);
  });
});

describe('tracker: a lost track does not force a swap', () => {
  /**
   * A stands at 500, B at 200, C at 120 until C is hidden (behind a pole) for 0.8 s; then a newcomer
   * appears 60 px right of B. C's widened gate reaches B's box (80 px away) but not the newcomer's;
   * B's box is B's. Pairing the most tracks would give C's id to B and B's id to the newcomer.
   */
  function run(unmatchedCost: number | null): { b: number; c: number; onB: number[]; onNewcomer: number[] } {
    const t = new Tracker({ unmatchedCost });
    let ids: { b: number; c: number } = { b: 0, c: 0 };
    for (let i = 0; i < 10; i++) {
      const { active } = t.update([person(500), person(200), person(120)], i * FRAME_MS);
      ids = { b: active.find((a) => a.box.x1 === 200)!.id, c: active.find((a) => a.box.x1 === 120)!.id };
    }
    for (let i = 10; i < 14; i++) t.update([person(500), person(200)], i * FRAME_MS);
    const onB: number[] = [];
    const onNewcomer: number[] = [];
    for (let i = 14; i < 17; i++) {
      const { active } = t.update([person(500), person(200), person(260)], i * FRAME_MS);
      onB.push(...active.filter((a) => a.box.x1 === 200).map((a) => a.id));
      onNewcomer.push(...active.filter((a) => a.box.x1 === 260).map((a) => a.id));
    }
    return { ...ids, onB, onNewcomer };
  }

  it('B keeps its id and the newcomer gets a new one', () => {
    const r = run(0.65);
    expect(r.onB).toEqual([r.b, r.b, r.b]);
    expect(r.onNewcomer.length).toBeGreaterThan(0);
    expect(r.onNewcomer).not.toContain(r.b);
    expect(r.onNewcomer).not.toContain(r.c);
  });

  it('pairing the most tracks (no unpaired cost) swaps them', () => {
    const r = run(null);
    expect(r.onB).toContain(r.c);
  });
});

describe('tracker: confirmed tracks choose before new ones (ByteTrack order)', () => {
  const walkerBox = (x: number): TrackerDetection => ({ box: { x1: x, y1: 100, x2: x + 16, y2: 140 }, score: 0.8 });

  const grey = { data: new Uint8Array(320 * 180 * 3).fill(128), width: 320, height: 180 };

  it.each([
    ['by motion alone', undefined],
    ['with the frame', grey],
  ])('a person keeps their id when the detector gives them a second box for one frame and then only that one (%s)', (_, frame) => {
    const t = new Tracker();
    const ids: number[] = [];
    let id = 0;
    for (let i = 0; i < 20; i++) {
      // Walking right at 6 px per frame; frame 10 has a second box 14 px behind, frame 11 only that
      // box (moved on 2 px); from frame 12 the usual box again.
      const x = 20 + i * 6;
      const boxes = i === 10 ? [walkerBox(x), walkerBox(x - 14)] : i === 11 ? [walkerBox(x - 6 - 14 + 2)] : [walkerBox(x)];
      const { active } = t.update(boxes, i * FRAME_MS, frame);
      if (i === 9) id = active[0]!.id;
      if (i >= 11) ids.push(...active.map((a) => a.id));
    }
    expect(new Set(ids)).toEqual(new Set([id]));
  });
});
