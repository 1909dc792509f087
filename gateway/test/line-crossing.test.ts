import { describe, expect, it } from 'vitest';
import { CameraConfigSchema, parseConfig } from '../config';
import { ZoneRules, type MinuteStat } from '../pipeline/rules';
import { LineCrossings, type Crossing } from '../zones';
import { at, H, recorder, W } from './rules-harness';

type P = [number, number];
const ENTRANCE: [P, P] = [[0.45, 0.3], [0.45, 0.65]]; // the demo's: rightwards across x = 0.45 is in

/** Feeds one track's foot points, one frame every 200 ms (5 fps) from `t0`; `end` ends the track after the last. */
function walk(line: LineCrossings, id: number, feet: P[], t0 = 0, end = true): Crossing[] {
  const out: Crossing[] = [];
  feet.forEach((foot, i) => out.push(...line.step([{ id, foot }], [], t0 + i * 200)));
  if (end) out.push(...line.step([], [id], t0 + feet.length * 200 + 1500));
  return out;
}
/** Points from a to b in n steps (both ends included). */
const path = (a: P, b: P, n: number): P[] => Array.from({ length: n + 1 }, (_, i) => [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n]);
const hold = (p: P, n: number): P[] => Array.from({ length: n }, () => p);

describe('line zones: crossings', () => {
  it('counts walking rightwards across the entrance line as in and leftwards as out', () => {
    const line = new LineCrossings(ENTRANCE, 'right', 1000);
    expect(walk(line, 1, [...path([0.2, 0.5], [0.7, 0.5], 20), ...hold([0.7, 0.5], 5)]).map((c) => c.direction)).toEqual(['in']);
    expect(walk(line, 2, [...path([0.7, 0.4], [0.2, 0.45], 20), ...hold([0.2, 0.45], 5)]).map((c) => c.direction)).toEqual(['out']);
    expect(line.size).toBe(0);
  });

  it('counts nothing for feet jittering on the line, or stepping over it for less than the side delay', () => {
    const line = new LineCrossings(ENTRANCE, 'right', 1000);
    const jitter: P[] = Array.from({ length: 40 }, (_, i) => [i % 2 ? 0.46 : 0.44, 0.5]);
    expect(walk(line, 1, jitter, 0, false)).toEqual([]);
    const excursion: P[] = [...hold([0.4, 0.5], 10), ...hold([0.5, 0.5], 4), ...hold([0.4, 0.5], 10)];
    expect(walk(line, 2, excursion)).toEqual([]);
    // Standing within the on-line margin counts for neither side.
    expect(walk(line, 3, [...hold([0.4, 0.5], 10), ...hold([0.452, 0.5], 20), ...hold([0.4, 0.5], 10)])).toEqual([]);
  });

  it('does not count walking past the end of the segment', () => {
    const line = new LineCrossings(ENTRANCE, 'right', 1000);
    expect(walk(line, 1, [...path([0.2, 0.8], [0.7, 0.8], 20), ...hold([0.7, 0.8], 10)])).toEqual([]);
  });

  it('counts a track that ends just after crossing, and one that crossed before its first side was held, once each', () => {
    const line = new LineCrossings(ENTRANCE, 'right', 1000);
    // On the left 2 s, crosses, 0.4 s on the right, then the track ends (walked out of view).
    expect(walk(line, 1, [...hold([0.3, 0.5], 10), [0.5, 0.5], [0.52, 0.5]]).map((c) => c.direction)).toEqual(['in']);
    // First seen 0.4 s on the right, then left for good.
    expect(walk(line, 2, [[0.5, 0.5], [0.48, 0.5], ...hold([0.3, 0.5], 10)]).map((c) => c.direction)).toEqual(['out']);
  });

  it('counts both directions across a diagonal line with a diagonal-ish inDirection', () => {
    // From bottom-left to top-right; 'down' goes across it (45 degrees), as does 'right'.
    const line = new LineCrossings([[0.2, 0.8], [0.8, 0.2]], 'down', 1000);
    expect(walk(line, 1, [...path([0.3, 0.3], [0.6, 0.7], 15), ...hold([0.6, 0.7], 6)]).map((c) => c.direction)).toEqual(['in']);
    expect(walk(line, 2, [...path([0.7, 0.6], [0.4, 0.35], 15), ...hold([0.4, 0.35], 6)]).map((c) => c.direction)).toEqual(['out']);
    const right = new LineCrossings([[0.2, 0.8], [0.8, 0.2]], 'right', 1000);
    expect(walk(right, 1, [...path([0.3, 0.4], [0.7, 0.4], 15), ...hold([0.7, 0.4], 6)]).map((c) => c.direction)).toEqual(['in']);
  });

  it('reports crossings per minute on the line zone\'s MinuteStat and since local midnight in the live view', () => {
    const { log, sink } = recorder();
    const minutes: MinuteStat[] = [];
    const camera = CameraConfigSchema.parse({
      id: 'cam',
      url: 'rtsp://x',
      zones: [
        { id: 'entrance', type: 'line', points: ENTRANCE, inDirection: 'right' },
        { id: 'hall', type: 'counter', points: [[0, 0], [1, 0], [1, 1], [0, 1]] },
      ],
    });
    const rules = new ZoneRules(camera, 'Asia/Ho_Chi_Minh', sink, (m) => minutes.push(m));
    // 16:59 UTC = 23:59 in Ho Chi Minh City: two people walk in, one out; after midnight local one more in.
    const t0 = Date.parse('2026-11-25T16:59:00Z');
    let t = t0;
    const cross = (id: number, from: number, to: number) => {
      for (const [x] of path([from, 0.5], [to, 0.5], 10)) rules.update([at(id, x, 0.5)], [], W, H, (t += 200));
      for (let i = 0; i < 6; i++) rules.update([at(id, to, 0.5)], [], W, H, (t += 200));
      rules.update([], [at(id, to, 0.5)], W, H, (t += 200));
    };
    cross(1, 0.2, 0.7);
    cross(2, 0.25, 0.6);
    cross(3, 0.7, 0.3);
    expect(rules.liveZones(t)[0]).toEqual({ zoneId: 'entrance', type: 'line', count: 0, crossingsIn: 2, crossingsOut: 1 });
    t = Date.parse('2026-11-25T17:00:30Z'); // 00:00:30 local, the next day
    cross(4, 0.3, 0.8);
    expect(rules.liveZones(t)[0]).toMatchObject({ crossingsIn: 1, crossingsOut: 0 });
    rules.update([], [], W, H, Date.parse('2026-11-25T17:01:00Z'));
    const entrance = minutes.filter((m) => m.zoneId === 'entrance');
    expect(entrance.map((m) => [m.minute * 60_000 - t0, m.crossingsIn, m.crossingsOut])).toEqual([[0, 2, 1], [60_000, 1, 0]]);
    expect(entrance[0]).toMatchObject({ avgCount: 0, maxCount: 0, departures: 0, estWaitSeconds: null, occupiedRatio: null });
    expect(minutes.find((m) => m.zoneId === 'hall')).toMatchObject({ crossingsIn: null, crossingsOut: null });
    expect(log).toEqual([]);
  });
});

describe('line zones: configuration', () => {
  const config = (zone: Record<string, unknown>) => ({
    site: { id: 's', name: 'S' },
    cameras: [{ id: 'door', url: 'rtsp://x', zones: [{ id: 'entrance', type: 'line', ...zone }] }],
  });

  it('accepts a line of exactly 2 points with an inDirection across it', () => {
    const cfg = parseConfig(config({ points: ENTRANCE, inDirection: 'right' }), {});
    expect(cfg.cameras[0]!.zones[0]).toEqual({ id: 'entrance', type: 'line', points: ENTRANCE, inDirection: 'right' });
  });

  it.each([
    [{ points: ENTRANCE, inDirection: 'up' }, /^cameras\[0\]\.zones\[0\]\.inDirection: 'up' runs along the line \(0° from it/],
    [{ points: [[0.2, 0.5], [0.8, 0.55]], inDirection: 'left' }, /^cameras\[0\]\.zones\[0\]\.inDirection: 'left' runs along the line \(5°/],
    [{ points: [[0.2, 0.5], [0.8, 0.5], [0.5, 0.9]], inDirection: 'down' }, /^cameras\[0\]\.zones\[0\]\.points: a line has exactly 2 points/],
    [{ points: [[0.5, 0.5], [0.5, 0.505]], inDirection: 'right' }, /^cameras\[0\]\.zones\[0\]\.points: the line's 2 points must be at least 0\.01 apart/],
    [{ points: ENTRANCE, inDirection: 'inwards' }, /^cameras\[0\]\.zones\[0\]\.inDirection: /],
    [{ points: ENTRANCE }, /^cameras\[0\]\.zones\[0\]\.inDirection: /],
    [{ points: ENTRANCE, inDirection: 'right', exitAfterSeconds: 2 }, /^cameras\[0\]\.zones\[0\]: Unrecognized key.*exitAfterSeconds/],
  ])('refuses %j, naming the field', (zone, message) => {
    expect(() => parseConfig(config(zone), {})).toThrow(message);
  });
});
