import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_OPTIONS, Tracker, type Track } from '../tracking';
import { BLUE_COAT, FRAME_MS, RED_COAT, detection, scene } from './tracker-scene';

/** A walker crossing the frame left to right at 6 px per frame (30 px/s, a 40 px tall person). */
const walker = (i: number) => ({ x: 20 + i * 6, y: 100 });

describe('tracker occlusion memory', () => {
  it.each([
    ['without the frame', false],
    ['with the frame', true],
  ])('keeps the id of a person hidden behind a pole for 3 s, %s', (_, withFrame) => {
    const t = new Tracker();
    const ids = new Set<number>();
    let lostSeen = 0;
    for (let i = 0; i < 40; i++) {
      // Behind the pole for frames 12..26 (15 frames = 3 s, 90 px of walking: more than two box heights).
      const hidden = i >= 12 && i <= 26;
      const { frame, detections } = scene([{ ...walker(i), ...RED_COAT }], new Set(hidden ? [0] : []));
      const { active, ended } = t.update(detections, i * FRAME_MS, withFrame ? frame : undefined);
      expect(ended, `frame ${i}`).toEqual([]);
      if (hidden) {
        expect(active, `frame ${i}: a lost track is not reported`).toEqual([]);
        lostSeen = Math.max(lostSeen, t.size);
      } else if (i > 0) {
        expect(active, `frame ${i}`).toHaveLength(1);
        ids.add(active[0]!.id);
      }
    }
    expect(lostSeen, 'the lost track is still held while hidden').toBe(1);
    expect([...ids]).toEqual([1]);
  });

  it('keeps the id of a person who stopped behind the pole (found where last seen, not where predicted)', () => {
    const t = new Tracker();
    const ids: number[] = [];
    for (let i = 0; i < 34; i++) {
      // Hurries (1.75 box heights per second) to x = 132 (frame 8), stops there hidden for 3.6 s (where the
      // motion model would have them more than two box heights further on), then is seen at the same place.
      const x = Math.min(20 + i * 14, 132);
      const hidden = i >= 9 && i <= 26;
      const { active } = t.update(hidden ? [] : [detection({ x, y: 100 })], i * FRAME_MS);
      if (!hidden && i > 0) ids.push(...active.map((a) => a.id));
    }
    expect(new Set(ids)).toEqual(new Set([1]));
    expect(ids).toHaveLength(8 + 7);
  });

  it.each([
    ['keeps', DEFAULT_TRACKER_OPTIONS.stillLostMs],
    ['without the longer memory for standing people, loses', DEFAULT_TRACKER_OPTIONS.maxLostMs],
  ])('%s the id of a person who stood behind a sign for 9 s (longer than the memory for walkers)', (verb, stillLostMs) => {
    const t = new Tracker({ stillLostMs });
    const ids: number[] = [];
    for (let i = 0; i < 70; i++) {
      // Walks to x = 80 (frame 10), stands there 2 s, is hidden for 9 s (frames 20..64), steps out 6 px further.
      const x = i < 65 ? Math.min(20 + i * 6, 80) : 86;
      const hidden = i >= 20 && i < 65;
      const { frame, detections } = scene([{ x, y: 100, ...RED_COAT }], new Set(hidden ? [0] : []));
      const { active } = t.update(detections, i * FRAME_MS, frame);
      if (!hidden) ids.push(...active.map((a) => a.id));
    }
    if (stillLostMs > 9000) {
      expect(ids).toHaveLength(25);
      expect(new Set(ids)).toEqual(new Set([1]));
    } else expect(new Set(ids)).toEqual(new Set([1, 2]));
  });

  it('gives a new id to a person back after longer than the memory, and ends the old track with its real lastSeen', () => {
    const t = new Tracker();
    const ended: Track[] = [];
    let first = 0;
    let lastSeenAt = 0;
    let again: number | undefined;
    // This person stands still, so the memory is the longer one for standing people.
    const memoryFrames = DEFAULT_TRACKER_OPTIONS.stillLostMs / FRAME_MS;
    for (let i = 0; i < 10 + memoryFrames + 10; i++) {
      const hidden = i >= 10 && i < 10 + memoryFrames + 3;
      const { active, ended: e } = t.update(hidden ? [] : [detection({ x: 100, y: 100 })], i * FRAME_MS);
      ended.push(...e);
      if (i === 9) {
        first = active[0]!.id;
        lastSeenAt = i * FRAME_MS;
      }
      if (!hidden && i > 10 && active.length > 0) again ??= active[0]!.id;
    }
    expect(ended.map((e) => e.id)).toEqual([first]);
    expect(ended[0]!.lastSeen).toBe(lastSeenAt);
    expect(ended[0]!.box).toEqual(detection({ x: 100, y: 100 }).box);
    expect(again).toBeDefined();
    expect(again).not.toBe(first);
  });

  it('ends a lost track only once it has been unseen for longer than maxLostMs', () => {
    const t = new Tracker({ maxLostMs: 3000 });
    // Walking (60 px/s, 1.5 box heights per second): the memory for people on the move.
    t.update([detection({ x: 50, y: 50 })], 0);
    t.update([detection({ x: 62, y: 50 })], 200);
    for (let at = 400; at <= 3200; at += 200) expect(t.update([], at).ended, `at ${at} ms`).toEqual([]);
    const { ended } = t.update([], 3400);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.lastSeen).toBe(200);
    expect(t.size).toBe(0);
  });

  it('never confirms a stationary false positive seen for one frame, and forgets it', () => {
    const t = new Tracker();
    const walkerIds = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const detections = [detection(walker(i))];
      // A one-frame false positive (a bin, a shadow) at the same place every 5 frames.
      if (i % 5 === 2) detections.push(detection({ x: 250, y: 30 }));
      const { active, ended } = t.update(detections, i * FRAME_MS);
      expect(active.every((a) => a.box.x1 !== 250), `frame ${i}`).toBe(true);
      expect(ended).toEqual([]);
      active.forEach((a) => walkerIds.add(a.id));
      if (i % 5 === 3) expect(t.size, `frame ${i}: the unconfirmed box is dropped`).toBe(1);
    }
    expect(walkerIds.size).toBe(1);
  });

  it('does not let low-score boxes on a static object keep a lost track alive or move it there', () => {
    const t = new Tracker();
    for (let i = 0; i < 5; i++) t.update([detection(walker(i))], i * FRAME_MS);
    // The walker vanishes; a dim box of a sign, far smaller than a person, stays near their path.
    const sign = { box: { x1: 52, y1: 104, x2: 62, y2: 114 }, score: 0.3 };
    const ended: Track[] = [];
    for (let i = 5; i < 40; i++) {
      const { active, ended: e } = t.update([sign], i * FRAME_MS);
      expect(active, `frame ${i}`).toEqual([]);
      ended.push(...e);
    }
    expect(ended).toHaveLength(1);
    expect(ended[0]!.lastSeen).toBe(4 * FRAME_MS);
  });

  it('lets low-score boxes keep a track only for lowScoreMaxLostMs after its last high-score one', () => {
    const t = new Tracker();
    t.update([detection({ x: 100, y: 100 })], 0);
    t.update([detection({ x: 100, y: 100 })], FRAME_MS);
    // From here on only a dim box at the same place: a person half hidden, or a post the track slid onto.
    const reported: number[] = [];
    const ended: Track[] = [];
    // Standing: the track is held (unreported) for stillLostMs after the last box that kept it.
    for (let i = 2; i < 90; i++) {
      const { active, ended: e } = t.update([detection({ x: 100, y: 100, score: 0.3 })], i * FRAME_MS);
      if (active.length > 0) reported.push(i * FRAME_MS);
      ended.push(...e);
    }
    expect(reported.at(-1)).toBe(FRAME_MS + DEFAULT_TRACKER_OPTIONS.lowScoreMaxLostMs);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.lastSeen).toBe(FRAME_MS + DEFAULT_TRACKER_OPTIONS.lowScoreMaxLostMs);
  });

  it('re-associates a lost person walking on with the same id and keeps firstSeen', () => {
    const t = new Tracker();
    let firstSeen = -1;
    for (let i = 0; i < 25; i++) {
      const hidden = i >= 8 && i <= 15;
      const people = [{ ...walker(i), ...RED_COAT }, { x: 200, y: 40, ...BLUE_COAT }];
      const { frame, detections } = scene(people, new Set(hidden ? [0] : []));
      const { active } = t.update(detections, i * FRAME_MS, frame);
      const red = active.find((a) => a.box.y1 === 100);
      if (i === 1) firstSeen = red!.firstSeen;
      if (!hidden && i > 0) {
        expect(red?.id, `frame ${i}`).toBe(1);
        expect(red?.firstSeen).toBe(firstSeen);
      }
    }
  });
});
