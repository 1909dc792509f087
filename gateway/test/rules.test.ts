import { describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import { ZoneRules, type MinuteStat } from '../pipeline/rules';
import { TrackSummaries, type TrackSummary } from '../pipeline/track-summary';
import type { Track } from '../tracking';
import { at, H, recorder, W } from './rules-harness';

const camera = CameraConfigSchema.parse({
  id: 'cam',
  url: 'rtsp://x',
  zones: [
    { id: 'line', type: 'queue', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]], maxLength: 3, maxWaitSeconds: 3600 },
    { id: 'vault', type: 'restricted', points: [[0.6, 0], [1, 0], [1, 0.5], [0.6, 0.5]] },
    { id: 'hall', type: 'count', points: [[0.6, 0.5], [1, 0.5], [1, 1], [0.6, 1]], crowdingAbove: 2, loiterSeconds: 30 },
  ],
});

describe('zone rules', () => {
  it('starts queue_long once the queue (counted after the 1 s zone inertia) stayed long for 10 s, and ends it after 10 s short', () => {
    const { of, sink } = recorder();
    const rules = new ZoneRules(camera, 'UTC', sink, () => undefined);
    const queue = [at(1, 0.1, 0.2), at(2, 0.1, 0.4), at(3, 0.1, 0.6)];
    // In the zone from 0 s, counted from 1 s: long from 1 s, so queue_long starts at 11 s.
    for (let t = 0; t <= 10_000; t += 1000) rules.update(queue, [], W, H, t);
    expect(of('queue_long')).toHaveLength(0);
    rules.update(queue, [], W, H, 11_000);
    expect(of('queue_long').map((e) => e.phase)).toEqual(['start']);
    expect(of('queue_long')[0]!.data).toMatchObject({ count: 3, serviceDepartures: 0 });
    // Two people leave (their tracks end); the queue stays short for 10 s.
    rules.update(queue.slice(0, 1), queue.slice(1), W, H, 12_000);
    for (let t = 13_000; t <= 21_000; t += 1000) rules.update(queue.slice(0, 1), [], W, H, t);
    expect(of('queue_long').map((e) => e.phase)).toEqual(['start']);
    rules.update(queue.slice(0, 1), [], W, H, 22_000);
    expect(of('queue_long').map((e) => e.phase)).toEqual(['start', 'end']);
  });

  it('writes per-minute stats from the people seen in the zone: average, maximum, departures; null crossings for area zones', () => {
    const { sink } = recorder();
    const minutes: MinuteStat[] = [];
    const rules = new ZoneRules(camera, 'UTC', sink, (m) => minutes.push(m));
    const crowd = [at(1, 0.7, 0.7), at(2, 0.8, 0.8), at(3, 0.9, 0.9)];
    for (let t = 0; t <= 31_000; t += 1000) rules.update(crowd, [], W, H, t); // 32 frames of 3 seen in the hall
    rules.update([at(1, 0.1, 0.5)], crowd.slice(1), W, H, 32_000); // 2 and 3 leave; 1 walks to the queue line
    for (let t = 33_000; t <= 61_000; t += 1000) rules.update([at(1, 0.1, 0.5)], [], W, H, t);
    const hall = minutes.find((m) => m.zoneId === 'hall')!;
    // The figures follow who is seen in the zone, without the inertia delays (those decide entries, exits and events).
    expect(hall).toMatchObject({ minute: 0, maxCount: 3, departures: 0, crossingsIn: null, crossingsOut: null, occupiedRatio: null });
    expect(hall.avgCount).toBeCloseTo((32 * 3) / 60, 2);
    const line = minutes.find((m) => m.zoneId === 'line')!;
    expect(line).toMatchObject({ minute: 0, maxCount: 1 });
  });

  it('summarises each track when it ends: first/last seen, zone visits with enter (first frame inside) and exit, best view', () => {
    const { sink } = recorder();
    const ended: TrackSummary[] = [];
    const summaries = new TrackSummaries('cam', (s) => ended.push(s));
    const rules = new ZoneRules(camera, 'UTC', sink, () => undefined, summaries);
    const step = (tracks: Track[], gone: Track[], t: number) => {
      summaries.observe(tracks, t);
      rules.update(tracks, gone, W, H, t);
      summaries.end(gone);
    };
    const seen = (id: number, fx: number, fy: number, t: number, score = 0.9, grow = 0): Track => {
      const tr = at(id, fx, fy);
      return { ...tr, score, firstSeen: 1000, lastSeen: t, box: { ...tr.box, x1: tr.box.x1 - grow, x2: tr.box.x2 + grow } };
    };
    step([seen(7, 0.2, 0.5, 1000, 0.6)], [], 1000); // in the queue line
    step([seen(7, 0.2, 0.5, 2000, 0.9, 10)], [], 2000); // best view: high score, larger box
    for (let t = 3000; t <= 6000; t += 1000) step([seen(7, 0.8, 0.8, t, 0.7)], [], t); // to the hall
    expect(ended).toHaveLength(0);
    step([], [seen(7, 0.8, 0.8, 6000, 0.7)], 7500);
    expect(ended).toHaveLength(1);
    const s = ended[0]!;
    expect(s).toMatchObject({ cameraId: 'cam', trackId: 7, firstSeen: 1000, lastSeen: 6000 });
    expect(s.best).toMatchObject({ at: 2000, score: 0.9 });
    // Left the line at 3 s (outside from then, out after 2 s); in the hall from 3 s (counted at 4 s); gone unseen from 7.5 s.
    expect(s.zones).toEqual([
      { zoneId: 'line', enter: 1000, exit: 3000 },
      { zoneId: 'hall', enter: 3000, exit: 7500 },
    ]);
    expect(summaries.openCount).toBe(0);
  });
});
