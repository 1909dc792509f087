import { describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import { ZoneRules } from '../pipeline/rules';
import { ZonePresence } from '../zones';
import { at, H, W } from './rules-harness';

const ids = (...n: number[]) => new Set(n);
const none = new Set<number>();

describe('zone inertia', () => {
  it('counts a person as in only after enterAfterSeconds inside, with the first frame inside as the entry time', () => {
    const p = new ZonePresence({ enterAfterMs: 1000, exitAfterMs: 2000 });
    expect(p.step(ids(1), ids(1), none, 0)).toEqual([]);
    expect(p.step(ids(1), ids(1), none, 800)).toEqual([]);
    expect(p.count).toBe(0);
    expect(p.step(ids(1), ids(1), none, 1000)).toEqual([{ kind: 'enter', trackId: 1, at: 0 }]);
    expect(p.count).toBe(1);
  });

  it('does not count a foot inside for less than enterAfterSeconds (seen outside in between restarts the clock)', () => {
    const p = new ZonePresence({ enterAfterMs: 1000, exitAfterMs: 2000 });
    const changes = [
      ...p.step(ids(1), ids(1), none, 0),
      ...p.step(ids(1), ids(1), none, 600),
      ...p.step(none, ids(1), none, 800), // seen outside
      ...p.step(ids(1), ids(1), none, 1000),
      ...p.step(ids(1), ids(1), none, 1800),
    ];
    expect(changes).toEqual([]);
    expect(p.step(ids(1), ids(1), none, 2000)).toEqual([{ kind: 'enter', trackId: 1, at: 1000 }]);
  });

  it('lets a person out after exitAfterSeconds outside (exit time: first frame outside), not after a shorter excursion', () => {
    const p = new ZonePresence({ enterAfterMs: 0, exitAfterMs: 2000 });
    p.step(ids(1), ids(1), none, 0);
    expect(p.step(none, ids(1), none, 1000)).toEqual([]);
    expect(p.step(none, ids(1), none, 2900)).toEqual([]);
    expect(p.step(ids(1), ids(1), none, 3000)).toEqual([]); // back in before the delay: never left
    expect(p.step(none, ids(1), none, 4000)).toEqual([]);
    expect(p.step(none, ids(1), none, 6000)).toEqual([{ kind: 'exit', trackId: 1, at: 4000, how: 'outside' }]);
    expect(p.count).toBe(0);
  });

  it('lets an unseen (still tracked) person out after exitAfterSeconds, and an ended track at once', () => {
    const p = new ZonePresence({ enterAfterMs: 0, exitAfterMs: 2000 });
    p.step(ids(1, 2), ids(1, 2), none, 0);
    expect(p.step(none, none, none, 1000)).toEqual([]);
    expect(p.step(none, none, ids(2), 1500)).toEqual([{ kind: 'exit', trackId: 2, at: 1000, how: 'ended' }]);
    expect(p.step(none, none, none, 3000)).toEqual([{ kind: 'exit', trackId: 1, at: 1000, how: 'unseen' }]);
  });

  it('applies per-zone enterAfterSeconds / exitAfterSeconds to zone visits, while the live count follows who is seen inside', () => {
    const camera = CameraConfigSchema.parse({
      id: 'cam',
      url: 'rtsp://x',
      zones: [
        { id: 'slow', type: 'counter', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]], enterAfterSeconds: 3, exitAfterSeconds: 0 },
        { id: 'default', type: 'counter', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] },
      ],
    });
    const log: string[] = [];
    const visits = { enterZone: (id: number, zone: string, t: number) => log.push(`${t} ${id} enters ${zone}`), exitZone: (id: number, zone: string, t: number) => log.push(`${t} ${id} leaves ${zone}`) };
    const rules = new ZoneRules(camera, 'UTC', { start: () => undefined, update: () => undefined, end: () => undefined }, () => undefined, visits);
    const step = (fx: number, t: number) => {
      rules.update([at(1, fx, 0.5)], [], W, H, t);
      return rules.liveZones(t).map((z) => z.count);
    };
    expect(step(0.2, 0)).toEqual([1, 1]); // seen inside both: counted at once
    expect(step(0.2, 1000)).toEqual([1, 1]);
    expect(log).toEqual(['0 1 enters default']); // entered the default zone after 1 s, dated its first frame
    step(0.2, 3000);
    expect(log).toEqual(['0 1 enters default', '0 1 enters slow']);
    expect(step(0.8, 3200)).toEqual([0, 0]); // steps out: the slow zone lets go at once, the default after 2 s
    expect(log.slice(2)).toEqual(['3200 1 leaves slow']);
    step(0.8, 5200);
    expect(log.slice(2)).toEqual(['3200 1 leaves slow', '3200 1 leaves default']);
  });
});
