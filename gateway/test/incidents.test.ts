import { describe, expect, it } from 'vitest';
import { CameraConfigSchema } from '../config';
import { MAX_INCIDENT_PEOPLE, Incident } from '../pipeline/incident';
import { ZoneRules } from '../pipeline/rules';
import type { Track } from '../tracking';
import { at, H, recorder, W } from './rules-harness';

const INSIDE = 0.8; // x of feet inside the zones below (right half); 0.2 is outside
const cameraWith = (zone: Record<string, unknown>) =>
  CameraConfigSchema.parse({ id: 'cam', url: 'rtsp://x', zones: [{ id: 'z', name: 'Vault', points: [[0.6, 0], [1, 0], [1, 1], [0.6, 1]], ...zone }] });

/** Runs frames every 500 ms from `from` to `to` (inclusive); `who(t)` says who is where. */
function play(rules: ZoneRules, from: number, to: number, who: (t: number) => Track[]): void {
  for (let t = from; t <= to; t += 500) rules.update(who(t), [], W, H, t);
}

/** People by id standing inside the zone while `t` is within their [enter, leave) window, else outside. */
const visits = (windows: Record<number, [number, number]>) => (t: number) =>
  Object.entries(windows).map(([id, [a, b]]) => at(Number(id), t >= a && t < b ? INSIDE : 0.2, 0.5));

describe('incidents instead of one event per track', () => {
  it('three people entering a restricted zone one after another make one incident, updated at each entry and exit, ended after the cool-down', () => {
    const { of, sink } = recorder();
    const rules = new ZoneRules(cameraWith({ type: 'restricted' }), 'UTC', sink, () => undefined);
    play(rules, 0, 60_000, visits({ 1: [0, 15_000], 2: [5_000, 20_000], 3: [10_000, 20_000] }));
    const events = of('restricted_zone_entry');
    expect(new Set(events.map((e) => e.uid)).size).toBe(1);
    expect(events.map((e) => [e.phase, (e.data.change as { kind: string; trackId: number } | undefined)?.kind, (e.data.change as { trackId: number } | undefined)?.trackId])).toEqual([
      ['start', 'entered', 1],
      ['update', 'entered', 2],
      ['update', 'entered', 3],
      ['update', 'left', 1],
      ['update', 'left', 2],
      ['update', 'left', 3],
      ['end', undefined, undefined],
    ]);
    const [start, , , , , , end] = events;
    expect(start).toMatchObject({ at: 0, data: { zone: 'Vault', incident: true, inside: 1, total: 1, people: [{ trackId: 1, enteredAt: 0, leftAt: null }] } });
    expect(start!.trackId).toBeUndefined();
    expect(events[2]!.data).toMatchObject({ inside: 3, total: 3 });
    // Empty since 20 s (the last two left then); ended 30 s later, dated when it emptied.
    expect(end).toMatchObject({ at: 20_000, data: { inside: 0, total: 3, durationSeconds: 20 } });
    expect(end!.data.people).toEqual([
      { trackId: 1, enteredAt: 0, leftAt: 15_000 },
      { trackId: 2, enteredAt: 5_000, leftAt: 20_000 },
      { trackId: 3, enteredAt: 10_000, leftAt: 20_000 },
    ]);
  });

  it('keeps one incident when the zone is empty for less than the cool-down, and opens a new one after a longer quiet', () => {
    const { of, sink } = recorder();
    const rules = new ZoneRules(cameraWith({ type: 'restricted', coolDownSeconds: 10 }), 'UTC', sink, () => undefined);
    // 1 in 0-5 s, 2 in 12-15 s (empty 7 s < 10 s), 3 in 40-45 s (empty 25 s > 10 s).
    play(rules, 0, 70_000, visits({ 1: [0, 5_000], 2: [12_000, 15_000], 3: [40_000, 45_000] }));
    const events = of('restricted_zone_entry');
    const uids = [...new Set(events.map((e) => e.uid))];
    expect(uids).toHaveLength(2);
    const first = events.filter((e) => e.uid === uids[0]);
    expect(first.at(-1)).toMatchObject({ phase: 'end', at: 15_000, data: { total: 2, durationSeconds: 15 } });
    const second = events.filter((e) => e.uid === uids[1]);
    expect(second.map((e) => e.phase)).toEqual(['start', 'update', 'end']);
    expect(second[0]).toMatchObject({ at: 40_000, data: { total: 1, people: [{ trackId: 3 }] } });
  });

  it('raises nothing while the restricted zone is unarmed, and opens the incident with whoever is inside when it arms', () => {
    const { log, sink } = recorder();
    // Armed Mondays 18:00-07:00 UTC; 2026-11-25 is a Wednesday.
    const rules = new ZoneRules(cameraWith({ type: 'restricted', schedule: { windows: [{ days: ['mon'], start: '18:00', end: '07:00' }] } }), 'UTC', sink, () => undefined);
    const wednesdayNoon = Date.parse('2026-11-25T12:00:00Z');
    play(rules, wednesdayNoon, wednesdayNoon + 60_000, visits({ 1: [wednesdayNoon, wednesdayNoon + 50_000] }));
    expect(log).toEqual([]);
    const mondayEvening = Date.parse('2026-11-23T17:59:50Z');
    play(rules, mondayEvening, mondayEvening + 20_000, visits({ 2: [mondayEvening, mondayEvening + 60_000] }));
    expect(log.map((e) => [e.phase, e.at])).toEqual([['start', Date.parse('2026-11-23T18:00:00Z')]]);
    expect(log[0]!.data).toMatchObject({ people: [{ trackId: 2, enteredAt: mondayEvening }] });
  });

  it('makes one loitering incident per count zone listing the loiterers, not those passing through', () => {
    const { of, sink } = recorder();
    const rules = new ZoneRules(cameraWith({ type: 'count', loiterSeconds: 20, coolDownSeconds: 5 }), 'UTC', sink, () => undefined);
    // 1 and 2 stay 40 s and 30 s, 3 passes through in 10 s.
    play(rules, 0, 60_000, visits({ 1: [0, 40_000], 2: [5_000, 35_000], 3: [8_000, 18_000] }));
    const events = of('loitering');
    expect(new Set(events.map((e) => e.uid)).size).toBe(1);
    expect(events.map((e) => [e.phase, e.at])).toEqual([['start', 20_000], ['update', 25_000], ['update', 35_000], ['update', 40_000], ['end', 40_000]]);
    expect(events.at(-1)!.data).toMatchObject({ total: 2, people: [{ trackId: 1, enteredAt: 0, leftAt: 40_000 }, { trackId: 2, enteredAt: 5_000, leftAt: 35_000 }] });
    expect(events[0]!).toMatchObject({ type: 'loitering' });
  });

  it('makes one crowding incident while the zone is crowded, updated as people come and go, ended after the cool-down', () => {
    const { of, sink } = recorder();
    const rules = new ZoneRules(cameraWith({ type: 'count', crowdingAbove: 2, coolDownSeconds: 15 }), 'UTC', sink, () => undefined);
    // Three in from 0 s (counted from 1 s); a fourth 20-25 s; two leave at 30 s (not crowded from 30 s, out at 32 s).
    play(rules, 0, 80_000, visits({ 1: [0, 30_000], 2: [0, 30_000], 3: [0, 70_000], 4: [20_000, 25_000] }));
    const events = of('crowding');
    expect(new Set(events.map((e) => e.uid)).size).toBe(1);
    const phases = events.map((e) => [e.phase, e.at, e.data.inside]);
    expect(phases[0]).toEqual(['start', 11_000, 1]);
    expect(phases.slice(1, 3)).toEqual([['update', 11_000, 2], ['update', 11_000, 3]]);
    expect(phases.slice(3, 5)).toEqual([['update', 20_000, 4], ['update', 25_000, 3]]);
    // Counted out at 32 s (exit delay), so not crowded from 32 s; ended 15 s later, dated 32 s.
    expect(events.at(-1)).toMatchObject({ phase: 'end', at: 32_000, data: { total: 4, durationSeconds: 21 } });
  });

  it('ends open incidents with the reason when the rule set closes, keeping the full state', () => {
    const { log, sink } = recorder();
    const rules = new ZoneRules(cameraWith({ type: 'restricted' }), 'UTC', sink, () => undefined);
    play(rules, 0, 3000, visits({ 1: [0, 10_000] }));
    rules.close(4000, 'gateway_stopped');
    expect(log.map((e) => e.phase)).toEqual(['start', 'end']);
    expect(log[1]).toMatchObject({ at: 4000, data: { reason: 'gateway_stopped', inside: 0, total: 1, durationSeconds: 4, people: [{ trackId: 1, leftAt: 4000 }] } });
  });

  it(`lists at most ${MAX_INCIDENT_PEOPLE} people, the newest, while counting everyone`, () => {
    const { log, sink } = recorder();
    const incident = new Incident(sink, { cameraId: 'cam', zoneId: 'z', zoneName: 'z', type: 'restricted_zone_entry', severity: 'high' }, 30_000);
    for (let id = 1; id <= 60; id++) incident.join(id, id * 1000, id * 1000);
    const last = log.at(-1)!.data as { inside: number; total: number; people: Array<{ trackId: number }> };
    expect(last.inside).toBe(60);
    expect(last.total).toBe(60);
    expect(last.people.map((p) => p.trackId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
  });
});
