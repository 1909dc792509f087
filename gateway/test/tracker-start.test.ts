import { describe, expect, it } from 'vitest';
import { Tracker, type TrackerDetection } from '../tracking';

const FRAME_MS = 200; // 5 fps
const box = (x: number, y: number, w: number, h: number, score = 0.8): TrackerDetection => ({ box: { x1: x, y1: y, x2: x + w, y2: y + h }, score });
const person = (x: number, y: number, score = 0.8): TrackerDetection => box(x, y, 40, 100, score);

describe('which boxes start tracks', () => {
  it('confirms the people already in view on the first frame at once, and a newcomer after two hits', () => {
    const t = new Tracker();
    const first = t.update([person(100, 100), person(300, 100)], 0);
    expect(first.active.map((a) => a.box.x1).sort((a, b) => a - b)).toEqual([100, 300]);
    // Later frames: someone walking in is counted from their second frame, as before.
    expect(t.update([person(100, 100), person(300, 100), person(500, 100)], FRAME_MS).active).toHaveLength(2);
    expect(t.update([person(100, 100), person(300, 100), person(500, 100)], 2 * FRAME_MS).active).toHaveLength(3);
  });

  it('never starts a track on a box wider than tall (a rock the detector scores as a person), on the first frame or later', () => {
    const t = new Tracker();
    for (let i = 0; i < 25; i++) {
      const { active } = t.update([box(200, 250, 34, 28, 0.8)], i * FRAME_MS);
      expect(active, `frame ${i}`).toEqual([]);
    }
    expect(t.size).toBe(0);
  });

  // The rule is about starting tracks only: dropping wide boxes before matching would fail this.
  it('keeps the id of a person whose box becomes wider than tall (bending down, falling)', () => {
    const t = new Tracker();
    t.update([person(100, 100)], 0);
    const id = t.update([person(102, 100)], FRAME_MS).active[0]!.id;
    for (let i = 2; i < 8; i++) {
      const { active } = t.update([box(90, 136, 70, 64)], i * FRAME_MS);
      expect(active.map((a) => a.id), `frame ${i}`).toEqual([id]);
    }
  });
});
