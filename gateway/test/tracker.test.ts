import { describe, expect, it } from 'vitest';
import { Tracker, trackerOptionsFor, type TrackerDetection } from '../tracking';

const FRAME_MS = 200; // 5 fps
const person = (x: number, y: number, score = 0.8): TrackerDetection => ({ box: { x1: x, y1: y, x2: x + 40, y2: y + 100 }, score });

describe('tracker', () => {
  it('keeps one ID per walking person and confirms after two hits', () => {
    const t = new Tracker();
    // An empty first frame: people in view on the very first frame are confirmed at once (tracker-start.test.ts).
    t.update([], -FRAME_MS);
    const ids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const { active } = t.update([person(100 + i * 8, 200), person(500 - i * 8, 260)], i * FRAME_MS);
      if (i === 0) expect(active).toHaveLength(0);
      else expect(active).toHaveLength(2);
      active.forEach((a) => ids.add(a.id));
    }
    expect([...ids]).toEqual([1, 2]);
  });

  it('keeps the ID through a 0.8 s occlusion, using the motion model to re-find the person', () => {
    const t = new Tracker();
    let id = 0;
    for (let i = 0; i < 30; i++) {
      // Walking right at 15 px per frame; hidden for frames 10-13 (4 frames = 0.8 s).
      const hidden = i >= 10 && i <= 13;
      const { active } = t.update(hidden ? [] : [person(50 + i * 15, 200)], i * FRAME_MS);
      if (i === 1) id = active[0]!.id;
      if (!hidden && i > 1) expect(active.map((a) => a.id), `frame ${i}`).toEqual([id]);
    }
  });

  it('ends a track unseen for longer than maxLostMs and starts a new ID', () => {
    // The person stands still, so the memory for standing people is shortened with it.
    const t = new Tracker({ maxLostMs: 1000, stillLostMs: 1000 });
    t.update([person(100, 100)], 0);
    t.update([person(100, 100)], 200);
    const first = t.update([person(100, 100)], 400).active[0]!.id;
    let ended: number[] = [];
    for (let ms = 600; ms <= 1600; ms += 200) ended = ended.concat(t.update([], ms).ended.map((e) => e.id));
    expect(ended).toEqual([first]);
    t.update([person(100, 100)], 1800);
    const again = t.update([person(100, 100)], 2000).active[0]!.id;
    expect(again).not.toBe(first);
  });

  it('lets a low-score detection keep an existing track alive but never start one', () => {
    const t = new Tracker();
    t.update([person(100, 100)], 0);
    const id = t.update([person(104, 100)], 200).active[0]!.id;
    const dim = t.update([person(108, 100, 0.3)], 400);
    expect(dim.active.map((a) => a.id)).toEqual([id]);
    const stray = t.update([person(108, 100, 0.3), person(600, 300, 0.3)], 600);
    expect(stray.active.map((a) => a.id)).toEqual([id]);
    expect(t.size).toBe(1);
  });

  it.each([
    // [personThreshold, a score that starts a track, a score that only keeps one alive, a score dropped]
    [0.45, 0.5, 0.3, 0.15],
    [0.7, 0.75, 0.6, 0.1],
    [0.3, 0.35, 0.25, 0.1],
  ])('models.personThreshold %s starts tracks at %s, keeps one alive at %s, ignores %s', (threshold, starts, keepsAlive, dropped) => {
    const t = new Tracker(trackerOptionsFor(threshold));
    // A person scoring just under the threshold is never counted.
    for (let i = 0; i < 5; i++) expect(t.update([person(400, 100, keepsAlive)], i * FRAME_MS).active).toEqual([]);
    const far = (i: number) => person(100 + i * 4, 300);
    t.update([{ ...far(5), score: starts }], 5 * FRAME_MS);
    const id = t.update([{ ...far(6), score: starts }], 6 * FRAME_MS).active[0]!.id;
    expect(t.update([{ ...far(7), score: keepsAlive }], 7 * FRAME_MS).active.map((a) => a.id)).toEqual([id]);
    expect(t.update([{ ...far(8), score: dropped }], 8 * FRAME_MS).active).toEqual([]);
  });

  it('with personThreshold below 0.2 every detection at it starts a track (no second pass below it)', () => {
    expect(trackerOptionsFor(0.1)).toEqual({ highScore: 0.1, lowScore: 0.1 });
    const t = new Tracker(trackerOptionsFor(0.1));
    t.update([person(100, 100, 0.12)], 0);
    expect(t.update([person(102, 100, 0.12)], FRAME_MS).active).toHaveLength(1);
  });

  it('does not swap IDs when two people pass each other', () => {
    const t = new Tracker();
    const trail = new Map<number, number[]>();
    for (let i = 0; i < 25; i++) {
      const { active } = t.update([person(100 + i * 12, 200), person(400 - i * 12, 215)], i * FRAME_MS);
      for (const a of active) trail.set(a.id, [...(trail.get(a.id) ?? []), a.box.x1]);
    }
    expect(trail.size).toBe(2);
    const [right, left] = [...trail.values()];
    expect(right!.at(-1)! > right![0]!).toBe(true);
    expect(left!.at(-1)! < left![0]!).toBe(true);
  });
});
