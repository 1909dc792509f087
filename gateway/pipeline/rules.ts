import { randomUUID } from 'node:crypto';
import type { CameraConfig, ZoneConfig } from '../config';
import type { Track } from '../tracking';
import { footPoint, isArmed, pointInPolygon, QueueAnalytics } from '../zones';
import type { QueueStatRow } from '../store/queue-stats';
import { Hysteresis, type EventSink } from './events';

/** One zone's figures for one minute: the queue_stats row. */
export type MinuteStat = QueueStatRow;

interface ZoneState {
  zone: ZoneConfig;
  inside: Map<number, number>;
  /** Tracks inside the zone but seen outside it since this time (not yet counted as leaving). */
  outsideSince: Map<number, number>;
  /** People seen standing in the zone in the latest frame: what live counts report. */
  seenNow: number;
  queue?: QueueAnalytics;
  long?: Hysteresis;
  crowd?: Hysteresis;
  eventUid?: string;
  crowdUid?: string;
  /** Open per-track events (restricted entry, loitering) by track id. */
  trackEvents: Map<number, string>;
  minute: { minute: number; samples: number; sum: number; max: number; departures: number; occupied: number };
}

const HOLD_MS = 10_000;
/** A tracked person must be outside a zone this long to have left it: feet jitter on zone edges. */
const EXIT_GRACE_MS = 2000;

/**
 * Turns tracked people into zone meaning for one camera: who is in which zone since when, queue
 * length and waiting time, counter occupancy, and the events queue_long, restricted_zone_entry,
 * loitering and crowding with a start/update/end lifecycle.
 */
export class ZoneRules {
  private readonly zones: ZoneState[];

  constructor(
    private readonly camera: CameraConfig,
    private readonly timeZone: string,
    private readonly sink: EventSink,
    private readonly onMinute: (s: MinuteStat) => void,
    /** Told of every zone entry and exit (the per-track summary keeps them). */
    private readonly visits?: { enterZone(trackId: number, zoneId: string, at: number): void; exitZone(trackId: number, zoneId: string, at: number): void },
  ) {
    this.zones = camera.zones.map((zone) => ({
      zone,
      inside: new Map(),
      outsideSince: new Map(),
      seenNow: 0,
      trackEvents: new Map(),
      ...(zone.type === 'queue' ? { queue: new QueueAnalytics(), long: new Hysteresis(HOLD_MS, HOLD_MS) } : {}),
      ...(zone.type === 'count' && zone.crowdingAbove ? { crowd: new Hysteresis(HOLD_MS, HOLD_MS) } : {}),
      minute: { minute: -1, samples: 0, sum: 0, max: 0, departures: 0, occupied: 0 },
    }));
  }

  /** One frame's confirmed tracks (and those that ended) at time `now`. */
  update(active: readonly Track[], ended: readonly Track[], frameWidth: number, frameHeight: number, now: number): void {
    const endedIds = new Set(ended.map((t) => t.id));
    const activeIds = new Set(active.map((t) => t.id));
    for (const z of this.zones) {
      const present = new Set<number>();
      for (const t of active) {
        const [x, y] = footPoint(t.box, frameWidth, frameHeight);
        if (pointInPolygon(x, y, z.zone.points)) present.add(t.id);
      }
      z.seenNow = present.size;
      for (const id of present) {
        z.outsideSince.delete(id);
        if (!z.inside.has(id)) this.enter(z, id, now);
      }
      // A track that ended has left; one seen outside has left once it stayed outside for the grace
      // period; one merely unmatched this frame (occluded) has not.
      for (const id of [...z.inside.keys()]) {
        if (present.has(id)) continue;
        if (endedIds.has(id)) {
          this.exit(z, id, z.outsideSince.get(id) ?? now);
        } else if (activeIds.has(id)) {
          const since = z.outsideSince.get(id) ?? now;
          z.outsideSince.set(id, since);
          if (now - since >= EXIT_GRACE_MS) this.exit(z, id, since);
        }
      }
      this.zoneRules(z, now);
      this.accumulate(z, now);
    }
  }

  private enter(z: ZoneState, trackId: number, now: number): void {
    z.inside.set(trackId, now);
    z.queue?.enter(trackId, now);
    this.visits?.enterZone(trackId, z.zone.id, now);
    if (z.zone.type === 'restricted' && isArmed(z.zone.schedule, new Date(now), this.timeZone)) {
      const uid = randomUUID();
      z.trackEvents.set(trackId, uid);
      this.sink.start({ uid, cameraId: this.camera.id, zoneId: z.zone.id, trackId, type: 'restricted_zone_entry', severity: 'high', at: now, data: { zone: z.zone.name ?? z.zone.id } });
    }
  }

  private exit(z: ZoneState, trackId: number, now: number): void {
    const since = z.inside.get(trackId)!;
    z.inside.delete(trackId);
    z.outsideSince.delete(trackId);
    if (z.queue?.leave(trackId, now) !== undefined) z.minute.departures++;
    this.visits?.exitZone(trackId, z.zone.id, now);
    const uid = z.trackEvents.get(trackId);
    if (uid) {
      z.trackEvents.delete(trackId);
      this.sink.end(uid, now, { dwellSeconds: Math.round((now - since) / 1000) });
    }
  }

  private zoneRules(z: ZoneState, now: number): void {
    const zone = z.zone;
    if (zone.type === 'queue' && z.queue && z.long) {
      const s = z.queue.snapshot(now);
      const tooLong = s.count >= zone.maxLength || (s.estimatedWaitSeconds ?? 0) >= zone.maxWaitSeconds;
      const transition = z.long.step(tooLong, now);
      const data = { count: s.count, estimatedWaitSeconds: s.estimatedWaitSeconds, longestWaitSeconds: s.waitingSeconds[0] ?? 0 };
      if (transition === 'start') {
        z.eventUid = randomUUID();
        this.sink.start({ uid: z.eventUid, cameraId: this.camera.id, zoneId: zone.id, type: 'queue_long', severity: 'medium', at: now, data });
      } else if (transition === 'end' && z.eventUid) {
        this.sink.end(z.eventUid, now, data);
        z.eventUid = undefined;
      }
    }
    if (zone.type === 'count') {
      if (z.crowd && zone.crowdingAbove) {
        const transition = z.crowd.step(z.seenNow > zone.crowdingAbove, now);
        if (transition === 'start') {
          z.crowdUid = randomUUID();
          this.sink.start({ uid: z.crowdUid, cameraId: this.camera.id, zoneId: zone.id, type: 'crowding', severity: 'medium', at: now, data: { count: z.seenNow } });
        } else if (transition === 'end' && z.crowdUid) {
          this.sink.end(z.crowdUid, now, { count: z.seenNow });
          z.crowdUid = undefined;
        }
      }
      if (zone.loiterSeconds) {
        for (const [trackId, since] of z.inside) {
          if (!z.trackEvents.has(trackId) && now - since >= zone.loiterSeconds * 1000) {
            const uid = randomUUID();
            z.trackEvents.set(trackId, uid);
            this.sink.start({ uid, cameraId: this.camera.id, zoneId: zone.id, trackId, type: 'loitering', severity: 'low', at: now, data: { dwellSeconds: Math.round((now - since) / 1000) } });
          }
        }
      }
    }
  }

  /** Per-minute aggregates, emitted when the minute rolls over. */
  private accumulate(z: ZoneState, now: number): void {
    const minute = Math.floor(now / 60_000);
    const m = z.minute;
    if (m.minute !== minute) {
      if (m.minute >= 0 && m.samples > 0) {
        const s = z.queue?.snapshot(now);
        this.onMinute({
          cameraId: this.camera.id,
          zoneId: z.zone.id,
          minute: m.minute,
          avgCount: Math.round((m.sum / m.samples) * 100) / 100,
          maxCount: m.max,
          departures: m.departures,
          estWaitSeconds: s?.estimatedWaitSeconds ?? null,
          occupiedRatio: z.zone.type === 'counter' ? Math.round((m.occupied / m.samples) * 100) / 100 : null,
        });
      }
      z.minute = { minute, samples: 0, sum: 0, max: 0, departures: 0, occupied: 0 };
    }
    const count = z.seenNow;
    z.minute.samples++;
    z.minute.sum += count;
    z.minute.max = Math.max(z.minute.max, count);
    if (count > 0) z.minute.occupied++;
  }

  /**
   * Ends this rule set when the camera's zones are replaced or the gateway stops: open events
   * (queue_long, crowding, restricted entry, loitering) end now with that reason, and the people inside leave
   * their zones now (their visits end; that is no queue departure). The next rule set sees them
   * enter afresh, so their waits and dwell times restart and an armed restricted zone raises a new entry.
   */
  close(now: number, reason: 'zones_changed' | 'gateway_stopped' = 'zones_changed'): void {
    const ended = { reason };
    for (const z of this.zones) {
      for (const trackId of z.inside.keys()) this.visits?.exitZone(trackId, z.zone.id, now);
      for (const uid of z.trackEvents.values()) this.sink.end(uid, now, ended);
      if (z.eventUid) this.sink.end(z.eventUid, now, ended);
      if (z.crowdUid) this.sink.end(z.crowdUid, now, ended);
      z.inside.clear();
      z.outsideSince.clear();
      z.trackEvents.clear();
      z.eventUid = undefined;
      z.crowdUid = undefined;
    }
  }

  /** Carries the minute being counted over from the rule set this one replaces, for zones that kept their id and type. */
  adoptMinutes(previous: ZoneRules): void {
    for (const z of this.zones) {
      const old = previous.zones.find((o) => o.zone.id === z.zone.id && o.zone.type === z.zone.type);
      if (old) z.minute = { ...old.minute };
    }
  }

  /** Live view of each zone for the API and dashboard. */
  liveZones(now: number): Array<{ zoneId: string; type: string; count: number; estimatedWaitSeconds?: number | null; occupied?: boolean }> {
    return this.zones.map((z) => ({
      zoneId: z.zone.id,
      type: z.zone.type,
      count: z.seenNow,
      ...(z.queue ? { estimatedWaitSeconds: z.queue.snapshot(now).estimatedWaitSeconds } : {}),
      ...(z.zone.type === 'counter' ? { occupied: z.seenNow > 0 } : {}),
    }));
  }
}
