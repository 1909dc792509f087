import { describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import type { EventSink } from '../pipeline/events';
import { ZoneRules, type MinuteStat } from '../pipeline/rules';
import { TrackSummaries, type TrackSummary } from '../pipeline/track-summary';
import type { Track } from '../tracking';

const W = 1000;
const H = 1000;
/** A confirmed track standing with its feet at (fx, fy) in normalised coordinates. */
const at = (id: number, fx: number, fy: number): Track => ({
  id, box: { x1: fx * W - 20, y1: fy * H - 100, x2: fx * W + 20, y2: fy * H }, score: 0.9, confirmed: true, hits: 5, firstSeen: 0, lastSeen: 0, vx: 0, vy: 0,
});

function recorder() {
  const log: Array<{ phase: string; type?: string; uid: string; at: number; data?: Record<string, unknown>; trackId?: number }> = [];
  const types = new Map<string, string>();
  const sink: EventSink = {
    start: (e) => {
      types.set(e.uid, e.type);
      log.push({ phase: 'start', type: e.type, uid: e.uid, at: e.at, ...(e.data ? { data: e.data } : {}), ...(e.trackId !== undefined ? { trackId: e.trackId } : {}) });
    },
    update: (uid, t, data) => log.push({ phase: 'update', type: types.get(uid), uid, at: t, data } as never),
    end: (uid, t, data) => log.push({ phase: 'end', type: types.get(uid)!, uid, at: t, data }),
  };
  return { log, sink };
}

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
  it('raises restricted_zone_entry per track on entry and ends it on exit', () => {
    const { log, sink } = recorder();
    const rules = new ZoneRules(camera, 'UTC', sink, () => undefined);
    rules.update([at(1, 0.8, 0.8)], [], W, H, 1000);
    rules.update([at(1, 0.8, 0.3)], [], W, H, 2000);
    rules.update([at(1, 0.8, 0.3)], [], W, H, 3000);
    // Stepping out for one frame (feet jitter on the edge) is not leaving.
    rules.update([at(1, 0.8, 0.55)], [], W, H, 4000);
    rules.update([at(1, 0.8, 0.3)], [], W, H, 5000);
    for (let t = 6000; t <= 8000; t += 1000) rules.update([at(1, 0.8, 0.8)], [], W, H, t);
    const entries = log.filter((e) => e.type === 'restricted_zone_entry');
    expect(entries.map((e) => [e.phase, e.at])).toEqual([['start', 2000], ['end', 6000]]);
    expect(entries[0]!.trackId).toBe(1);
    expect(entries[1]!.data).toEqual({ dwellSeconds: 4 });
  });

  it('starts queue_long only after the queue stayed long for 10 s and ends it after 10 s short', () => {
    const { log, sink } = recorder();
    const rules = new ZoneRules(camera, 'UTC', sink, () => undefined);
    const queue = [at(1, 0.1, 0.2), at(2, 0.1, 0.4), at(3, 0.1, 0.6)];
    for (let t = 0; t <= 9000; t += 1000) rules.update(queue, [], W, H, t);
    expect(log.filter((e) => e.type === 'queue_long')).toHaveLength(0);
    rules.update(queue, [], W, H, 10_000);
    expect(log.filter((e) => e.type === 'queue_long').map((e) => e.phase)).toEqual(['start']);
    // A brief dip below the threshold does not end it.
    rules.update(queue.slice(0, 2), [], W, H, 11_000);
    rules.update(queue, [], W, H, 12_000);
    // Two people leave (their tracks end); the queue stays short for 10 s.
    rules.update(queue.slice(0, 1), queue.slice(1), W, H, 13_000);
    for (let t = 14_000; t <= 23_000; t += 1000) rules.update(queue.slice(0, 1), [], W, H, t);
    expect(log.filter((e) => e.type === 'queue_long').map((e) => e.phase)).toEqual(['start', 'end']);
  });

  it('reports loitering after the dwell time and crowding above the count, and per-minute stats', () => {
    const { log, sink } = recorder();
    const minutes: MinuteStat[] = [];
    const rules = new ZoneRules(camera, 'UTC', sink, (m) => minutes.push(m));
    const crowd = [at(1, 0.7, 0.7), at(2, 0.8, 0.8), at(3, 0.9, 0.9)];
    for (let t = 0; t <= 31_000; t += 1000) rules.update(crowd, [], W, H, t);
    expect(log.filter((e) => e.type === 'crowding' && e.phase === 'start')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'loitering' && e.phase === 'start').map((e) => e.trackId)).toEqual([1, 2, 3]);
    rules.update([at(1, 0.1, 0.5)], crowd.slice(1), W, H, 32_000); // 1 walks to the line, 2 and 3 leave
    for (let t = 33_000; t <= 61_000; t += 1000) rules.update([at(1, 0.1, 0.5)], [], W, H, t);
    const hall = minutes.find((m) => m.zoneId === 'hall')!;
    expect(hall).toMatchObject({ minute: 0, maxCount: 3 });
    expect(hall.avgCount).toBeCloseTo((32 * 3) / 60, 1);
    expect(log.filter((e) => e.type === 'loitering' && e.phase === 'end')).toHaveLength(3);
  });

  it('summarises each track when it ends: first/last seen, zone visits with enter/exit, best view', () => {
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
    expect(s.zones).toEqual([
      { zoneId: 'line', enter: 1000, exit: 3000 },
      { zoneId: 'hall', enter: 3000, exit: 7500 },
    ]);
    expect(summaries.openCount).toBe(0);
  });
});
