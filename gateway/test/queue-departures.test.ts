import { describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import { ZoneRules, type MinuteStat } from '../pipeline/rules';
import type { Track } from '../tracking';
import { isHead, QueueAnalytics } from '../zones';
import { at, H, W } from './rules-harness';

const camera = CameraConfigSchema.parse({
  id: 'cam',
  url: 'rtsp://x',
  zones: [{ id: 'q', type: 'queue', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]], maxLength: 20, maxWaitSeconds: 3600 }],
});
const silent = { start: () => undefined, update: () => undefined, end: () => undefined };
const IN = 0.2;
const OUT = 0.8;

/** A queue rule set fed one frame per second, with its per-minute stats collected. */
function queueRig() {
  const minutes: MinuteStat[] = [];
  const rules = new ZoneRules(camera, 'UTC', silent, (m) => minutes.push(m));
  let t = 0;
  return {
    minutes,
    /** `frames` frames of these tracks seen (others unseen), `ended` ended on the first of them. */
    run(frames: number, seen: Track[], ended: Track[] = []) {
      for (let i = 0; i < frames; i++) rules.update(seen, i === 0 ? ended : [], W, H, (t += 1000));
    },
    live: () => rules.liveZones(t)[0]!,
    /** Rolls the minute over and returns the departures of the minute(s) written so far. */
    departures() {
      rules.update([], [], W, H, (t = (Math.floor(t / 60_000) + 1) * 60_000));
      return minutes.reduce((n, m) => n + m.departures, 0);
    },
  };
}

describe('queue departures robust to tracking splits', () => {
  it('counts no departure for a track that vanishes and comes back under the same id within the exit delay', () => {
    const rig = queueRig();
    rig.run(5, [at(1, IN, 0.5), at(2, IN, 0.6)]);
    rig.run(1, [at(2, IN, 0.6)]); // 1 unseen for a frame
    rig.run(5, [at(1, IN, 0.5), at(2, IN, 0.6)]);
    expect(rig.live()).toMatchObject({ count: 2, serviceDepartures: 0, estimatedWaitSeconds: null });
    expect(rig.departures()).toBe(0);
  });

  it('counts no departure for a person lost for longer than the exit delay and re-associated, and keeps their waiting clock', () => {
    const rig = queueRig();
    rig.run(10, [at(1, IN, 0.5)]);
    rig.run(6, []); // occluded 6 s, still held by the tracker
    expect(rig.live().count).toBe(0);
    rig.run(3, [at(1, IN, 0.5)]); // the tracker re-associated them: same id
    expect(rig.live()).toMatchObject({ count: 1, serviceDepartures: 0 });
    expect(rig.departures()).toBe(0);
  });

  it('counts a departure once a lost person\'s track ends, or they are seen outside the queue', () => {
    const rig = queueRig();
    rig.run(10, [at(1, IN, 0.5), at(2, IN, 0.6)]);
    rig.run(4, []);
    expect(rig.departures()).toBe(0); // both pending: not yet known to be gone
    rig.run(1, [at(2, OUT, 0.6)], [at(1, IN, 0.5)]); // 1 ended, 2 seen outside
    expect(rig.departures()).toBe(2);
  });

  it('rests the service rate on departures from the head of the queue: a head leaver counts, one leaving from the back does not', () => {
    const rig = queueRig();
    const queue = [at(1, IN, 0.2), at(2, IN, 0.3), at(3, IN, 0.4), at(4, IN, 0.5), at(5, IN, 0.6), at(6, IN, 0.7)];
    rig.run(3, queue.slice(0, 3));
    rig.run(3, queue); // 4-6 joined later
    rig.run(5, [at(1, OUT, 0.2), ...queue.slice(1)]); // 1, longest waiting, walks away: served
    expect(rig.live()).toMatchObject({ count: 5, serviceDepartures: 1 });
    rig.run(5, [at(1, OUT, 0.2), ...queue.slice(1, 5), at(6, OUT, 0.7)]); // 6, newest, gives up
    expect(rig.live()).toMatchObject({ count: 4, serviceDepartures: 1 });
    expect(rig.live().estimatedWaitSeconds).toBeGreaterThan(0);
    expect(rig.departures()).toBe(2); // both are departures in the minute's stats
  });

  it('defines the head as the longest-waiting third, at least the longest-waiting person', () => {
    expect([isHead(0, 1), isHead(0, 3), isHead(1, 3), isHead(1, 4), isHead(2, 4), isHead(2, 9), isHead(3, 9)]).toEqual([true, true, false, true, false, true, false]);
  });

  it('estimates the wait from service departures only, and says how many it rests on', () => {
    const q = new QueueAnalytics();
    for (let id = 1; id <= 4; id++) q.enter(id, id * 1000);
    q.leave(4, 60_000); // the newest gives up: no service
    expect(q.snapshot(60_000)).toMatchObject({ count: 3, serviceDepartures: 0, estimatedWaitSeconds: null });
    q.leave(1, 120_000);
    expect(q.snapshot(120_000)).toMatchObject({ count: 2, serviceDepartures: 1, serviceRatePerMinute: 0.5, estimatedWaitSeconds: 240 });
  });
});
