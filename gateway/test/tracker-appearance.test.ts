import { describe, expect, it } from 'vitest';
import { Tracker } from '../tracking';
import { APPEARANCE_BINS, appearanceDistance, sampleAppearance } from '../tracking/appearance';
import { assign } from '../tracking/assignment';
import { BLUE_COAT, FRAME_MS, GREEN_COAT, HEIGHT, RED_COAT, WIDTH, detection, scene, type Person } from './tracker-scene';

/** Runs a scene script; returns, per track id, the colours (top RGB as text) of the people it was on. */
function follow(script: (i: number) => { people: Person[]; hidden?: number[] }, frames: number, withFrame: boolean): Map<number, string[]> {
  const t = new Tracker();
  const seen = new Map<number, string[]>();
  for (let i = 0; i < frames; i++) {
    const { people, hidden = [] } = script(i);
    const visible = people.filter((_, k) => !hidden.includes(k));
    const { frame, detections } = scene(people, new Set(hidden));
    for (const a of t.update(detections, i * FRAME_MS, withFrame ? frame : undefined).active) {
      const person = visible.find((p) => detection(p).box.x1 === a.box.x1 && detection(p).box.y1 === a.box.y1)!;
      seen.set(a.id, [...(seen.get(a.id) ?? []), person.top.join(',')]);
    }
  }
  return seen;
}

const onePersonPerId = (seen: Map<number, string[]>) => [...seen.values()].map((colours) => [...new Set(colours)]);

describe('tracker appearance cue', () => {
  it.each([
    ['with the frame', true],
    ['without the frame', false],
  ])('two people crossing paths, one hiding the other for two frames, keep their ids (%s)', (_, withFrame) => {
    const seen = follow((i) => {
      const red = { x: 40 + i * 8, y: 100, ...RED_COAT };
      const blue = { x: 264 - i * 8, y: 104, ...BLUE_COAT };
      // They meet around frame 14: blue walks behind red for frames 13 and 14.
      return { people: [blue, red], hidden: i === 13 || i === 14 ? [0] : [] };
    }, 28, withFrame);
    expect(seen.size).toBe(2);
    expect(onePersonPerId(seen).every((colours) => colours.length === 1)).toBe(true);
  });

  it('two people who meet behind a pole and turn back keep their ids by their colours', () => {
    const script = (i: number) => {
      // Walk towards each other (10 px per frame), go behind the pole at frame 9 when 24 px apart, stand
      // there talking, then each walks back the way they came and is seen again from frame 15 on.
      const step = i <= 8 ? i : i <= 12 ? 8 : 8 - (i - 12);
      const hidden = i >= 9 && i <= 14 ? [0, 1] : [];
      return { people: [{ x: 40 + step * 10, y: 100, ...RED_COAT }, { x: 224 - step * 10, y: 100, ...BLUE_COAT }], hidden };
    };
    const withAppearance = follow(script, 22, true);
    expect(withAppearance.size).toBe(2);
    expect(onePersonPerId(withAppearance).every((colours) => colours.length === 1)).toBe(true);
    // The case the cue is for: by motion alone the tracker believes they walked on, so the ids swap.
    const motionOnly = follow(script, 22, false);
    expect(onePersonPerId(motionOnly).some((colours) => colours.length > 1)).toBe(true);
  });

  it('does not hand a lost person’s id to someone else who appears where they were going', () => {
    const seen = follow((i) => {
      // Red walks behind a pole at frame 8 and never comes back; green steps out of a door on red's path.
      const people: Person[] = [{ x: 60 + i * 6, y: 100, ...RED_COAT }];
      if (i >= 14) people.push({ x: 128, y: 100, ...GREEN_COAT });
      return { people, hidden: i >= 8 ? [0] : [] };
    }, 24, true);
    expect(seen.size).toBe(2);
    expect(onePersonPerId(seen).every((colours) => colours.length === 1)).toBe(true);
  });

  it('with the frame, a track takes its own dim box rather than the bright box of a lookalike stepping in front', () => {
    const t = new Tracker();
    const redIds = new Set<number>();
    const otherIds = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const red = { x: 40 + i * 6, y: 100, ...RED_COAT, score: i === 10 || i === 11 ? 0.3 : 0.8 };
      // At frame 10 someone dressed alike (a red coat too, blue shorts) appears just ahead of red, within
      // red's gate, scoring high while red, behind them, scores low for two frames.
      const lookalike = { x: 40 + 10 * 6 + 20 + (i - 10) * 8, y: 98, ...RED_COAT, shorts: [30, 60, 200] as const };
      const people: Person[] = i >= 10 ? [red, lookalike] : [red];
      const { frame, detections } = scene(people);
      for (const a of t.update(detections, i * FRAME_MS, frame).active) (a.box.y1 === 100 ? redIds : otherIds).add(a.id);
    }
    expect([...redIds]).toEqual([1]);
    expect(otherIds.size).toBe(1);
    expect(otherIds.has(1)).toBe(false);
  });

  it('works with the frame on some updates only', () => {
    const t = new Tracker();
    const ids = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const { frame, detections } = scene([{ x: 40 + i * 6, y: 100, ...RED_COAT }]);
      t.update(detections, i * FRAME_MS, i % 3 === 0 ? frame : undefined).active.forEach((a) => ids.add(a.id));
    }
    expect([...ids]).toEqual([1]);
  });

  it('rejects a frame whose data does not fit its size, naming the frame', () => {
    const t = new Tracker();
    const bad = { data: new Uint8Array(WIDTH * HEIGHT * 3 - 1), width: WIDTH, height: HEIGHT };
    expect(() => t.update([detection({ x: 10, y: 10 })], 0, bad)).toThrow(/tracker frame.*RGB24/);
  });
});

describe('appearance histograms', () => {
  const histogram = (people: Person[], box = detection(people[0]!).box) => {
    const out = new Float32Array(APPEARANCE_BINS);
    return sampleAppearance(scene(people).frame, box, out) ? out : null;
  };

  it('tells people apart by the colours of torso and legs, and ignores where they stand', () => {
    const red = histogram([{ x: 40, y: 40, ...RED_COAT }])!;
    const redElsewhere = histogram([{ x: 200, y: 120, ...RED_COAT }])!;
    const blue = histogram([{ x: 40, y: 40, ...BLUE_COAT }])!;
    const green = histogram([{ x: 40, y: 40, ...GREEN_COAT }])!;
    expect(appearanceDistance(red, redElsewhere)).toBeCloseTo(0, 5);
    expect(appearanceDistance(red, blue)).toBeGreaterThan(0.9);
    // Same dark legs, different coats: half as different.
    expect(appearanceDistance(red, green)).toBeGreaterThan(0.4);
    expect(appearanceDistance(red, green)).toBeLessThan(0.6);
  });

  it('gives no histogram for a box too small or outside the frame', () => {
    expect(histogram([{ x: 40, y: 40, ...RED_COAT }], { x1: 40, y1: 40, x2: 44, y2: 80 })).toBeNull();
    expect(histogram([{ x: 40, y: 40, ...RED_COAT }], { x1: WIDTH + 10, y1: 10, x2: WIDTH + 40, y2: 80 })).toBeNull();
  });
});

describe('minimum-cost assignment', () => {
  it('finds the cheapest pairing where picking the cheapest pair first would not', () => {
    // Greedy takes (0,0) = 1 and is left with (1,1) = 100; the optimum crosses over for 2 + 2.
    expect(assign([[1, 2], [2, 100]], 2).sort()).toEqual([[0, 1], [1, 0]]);
  });

  it('never returns a forbidden pair and handles more rows or more columns', () => {
    expect(assign([[Infinity, 1], [Infinity, 2]], 2)).toEqual([[0, 1]]);
    expect(assign([[5], [1], [3]], 1)).toEqual([[1, 0]]);
    expect(assign([[3, 1, 2]], 3)).toEqual([[0, 1]]);
    expect(assign([[Infinity]], 1)).toEqual([]);
    expect(assign([], 0)).toEqual([]);
  });
});
