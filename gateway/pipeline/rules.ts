import { randomUUID } from 'node:crypto';
import type { AreaZoneConfig, CameraConfig, LineZoneConfig } from '../config';
import type { Track } from '../tracking';
import { coolDownMsOf, footPoint, inertiaOf, isArmed, LineCrossings, localDay, pointInPolygon, QueueAnalytics, ZonePresence, type PresenceChange } from '../zones';
import type { QueueStatRow } from '../store/queue-stats';
import { Hysteresis, type EventSink } from './events';
import { Incident, type IncidentKind } from './incident';

/** One zone's figures for one minute: the queue_stats row. */
export type MinuteStat = QueueStatRow;

interface Minute {
  minute: number;
  samples: number;
  sum: number;
  max: number;
  departures: number;
  occupied: number;
  crossingsIn: number;
  crossingsOut: number;
}

interface AreaState {
  zone: AreaZoneConfig;
  /** Who is in the zone, with zone inertia. */
  presence: ZonePresence;
  /**
   * People seen inside in the latest frame: what live counts and the minute figures report. Not the
   * members (zone inertia): their entry and exit delays made the count lag by seconds (eval on
   * vtest.avi: queue-a MAE 3.1% of the mean seen now, 32.6% as members, 7.8% members held unseen).
   */
  count: number;
  queue?: QueueAnalytics;
  long?: Hysteresis;
  eventUid?: string;
  crowd?: Hysteresis;
  /** When the zone stopped being crowded (the crowding incident's end, once the cool-down passed). */
  calmSince?: number;
  crowding?: Incident;
  /** Restricted zones: one incident per occupancy episode while armed. */
  intrusion?: Incident;
  loitering?: Incident;
  minute: Minute;
}

interface LineState {
  zone: LineZoneConfig;
  crossings: LineCrossings;
  /** Crossings since the start of the local day `day`. */
  today: { day: string; in: number; out: number };
  minute: Minute;
}

export interface LiveZone {
  zoneId: string;
  type: string;
  /** People seen in the zone in the latest frame (no inertia delay); 0 for a line zone. */
  count: number;
  estimatedWaitSeconds?: number | null;
  /** Queue zones: how many service departures (last 10 minutes) the wait estimate rests on. */
  serviceDepartures?: number;
  occupied?: boolean;
  /** Line zones: crossings since the start of the local day in the site's time zone. */
  crossingsIn?: number;
  crossingsOut?: number;
}

const HOLD_MS = 10_000;
const newMinute = (minute: number): Minute => ({ minute, samples: 0, sum: 0, max: 0, departures: 0, occupied: 0, crossingsIn: 0, crossingsOut: 0 });

/**
 * Turns tracked people into zone meaning for one camera: who is in which zone since when (with zone
 * inertia), queue length and waiting time, counter occupancy, line crossings, and the events
 * queue_long plus the incidents restricted_zone_entry, loitering and crowding (one per episode,
 * listing the people, see Incident) with a start/update/end lifecycle. Time comes from the frames.
 */
export class ZoneRules {
  private readonly areas: AreaState[] = [];
  private readonly lines: LineState[] = [];

  constructor(
    private readonly camera: CameraConfig,
    private readonly timeZone: string,
    private readonly sink: EventSink,
    private readonly onMinute: (s: MinuteStat) => void,
    /** Told of every zone entry and exit (the per-track summary keeps them). */
    private readonly visits?: { enterZone(trackId: number, zoneId: string, at: number): void; exitZone(trackId: number, zoneId: string, at: number): void },
  ) {
    for (const zone of camera.zones) {
      if (zone.type === 'line') {
        const sideAfterMs = inertiaOf(zone).enterAfterMs;
        this.lines.push({ zone, crossings: new LineCrossings(zone.points, zone.inDirection, sideAfterMs), today: { day: '', in: 0, out: 0 }, minute: newMinute(-1) });
      } else {
        this.areas.push(this.areaState(zone));
      }
    }
  }

  private areaState(zone: AreaZoneConfig): AreaState {
    const kind = (type: string, severity: IncidentKind['severity']): IncidentKind => ({ cameraId: this.camera.id, zoneId: zone.id, zoneName: zone.name ?? zone.id, type, severity });
    const state: AreaState = { zone, presence: new ZonePresence(inertiaOf(zone)), count: 0, minute: newMinute(-1) };
    if (zone.type === 'queue') Object.assign(state, { queue: new QueueAnalytics(), long: new Hysteresis(HOLD_MS, HOLD_MS) });
    if (zone.type === 'restricted') state.intrusion = new Incident(this.sink, kind('restricted_zone_entry', 'high'), coolDownMsOf(zone));
    if (zone.type === 'count') {
      if (zone.loiterSeconds) state.loitering = new Incident(this.sink, kind('loitering', 'low'), coolDownMsOf(zone));
      if (zone.crowdingAbove) {
        state.crowd = new Hysteresis(HOLD_MS, coolDownMsOf(zone));
        state.crowding = new Incident(this.sink, kind('crowding', 'medium'), coolDownMsOf(zone));
      }
    }
    return state;
  }

  /** One frame's confirmed tracks seen now (and those that ended) at time `now`. */
  update(active: readonly Track[], ended: readonly Track[], frameWidth: number, frameHeight: number, now: number): void {
    const endedIds = new Set(ended.map((t) => t.id));
    const seen = new Set(active.map((t) => t.id));
    const feet = active.map((t) => ({ id: t.id, foot: footPoint(t.box, frameWidth, frameHeight) }));
    for (const z of this.areas) {
      const inside = new Set<number>();
      for (const { id, foot } of feet) if (pointInPolygon(foot[0], foot[1], z.zone.points)) inside.add(id);
      for (const change of z.presence.step(inside, seen, endedIds, now)) {
        if (change.kind === 'enter') this.enter(z, change, now);
        else this.exit(z, change);
      }
      if (z.queue) z.minute.departures += z.queue.settle((id) => endedIds.has(id) || (seen.has(id) && !inside.has(id)), now);
      z.count = inside.size;
      this.zoneRules(z, now);
      this.accumulate(z, now, z.count);
    }
    for (const l of this.lines) {
      for (const c of l.crossings.step(feet, endedIds, now)) {
        this.today(l, c.at);
        if (c.direction === 'in') {
          l.today.in++;
          l.minute.crossingsIn++;
        } else {
          l.today.out++;
          l.minute.crossingsOut++;
        }
      }
      this.accumulate(l, now, 0);
    }
  }

  private enter(z: AreaState, change: PresenceChange, now: number): void {
    z.queue?.enter(change.trackId, change.at);
    this.visits?.enterZone(change.trackId, z.zone.id, change.at);
    if (z.intrusion && isArmed(z.zone.type === 'restricted' ? z.zone.schedule : undefined, new Date(now), this.timeZone)) {
      z.intrusion.join(change.trackId, change.at, change.at);
    }
    if (z.crowding?.open) z.crowding.join(change.trackId, change.at, change.at);
  }

  private exit(z: AreaState, change: PresenceChange): void {
    // A track that went unseen may come back (re-associated): its queue departure waits (QueueAnalytics.settle).
    if (z.queue?.leave(change.trackId, change.at, change.how === 'unseen')) z.minute.departures++;
    this.visits?.exitZone(change.trackId, z.zone.id, change.at);
    z.intrusion?.leave(change.trackId, change.at);
    z.loitering?.leave(change.trackId, change.at);
    z.crowding?.leave(change.trackId, change.at);
  }

  private zoneRules(z: AreaState, now: number): void {
    const zone = z.zone;
    if (zone.type === 'queue' && z.queue && z.long) {
      const s = z.queue.snapshot(now);
      const tooLong = s.count >= zone.maxLength || (s.estimatedWaitSeconds ?? 0) >= zone.maxWaitSeconds;
      const transition = z.long.step(tooLong, now);
      const data = { count: s.count, estimatedWaitSeconds: s.estimatedWaitSeconds, serviceDepartures: s.serviceDepartures, longestWaitSeconds: s.waitingSeconds[0] ?? 0 };
      if (transition === 'start') {
        z.eventUid = randomUUID();
        this.sink.start({ uid: z.eventUid, cameraId: this.camera.id, zoneId: zone.id, type: 'queue_long', severity: 'medium', at: now, data });
      } else if (transition === 'end' && z.eventUid) {
        this.sink.end(z.eventUid, now, data);
        z.eventUid = undefined;
      }
    }
    if (zone.type === 'restricted' && z.intrusion) {
      // People already inside when the schedule arms join the incident then.
      const waiting = [...z.presence.entries()].filter(([id]) => !z.intrusion!.has(id));
      if (waiting.length > 0 && isArmed(zone.schedule, new Date(now), this.timeZone)) {
        for (const [id, m] of waiting) z.intrusion.join(id, m.enteredAt, now);
      }
      z.intrusion.expire(now);
    }
    if (zone.type === 'count') {
      if (z.loitering && zone.loiterSeconds) {
        for (const [id, m] of z.presence.entries()) {
          if (!z.loitering.has(id) && now - m.enteredAt >= zone.loiterSeconds * 1000) z.loitering.join(id, m.enteredAt, now);
        }
        z.loitering.expire(now);
      }
      if (z.crowd && z.crowding && zone.crowdingAbove) {
        const crowded = z.presence.count > zone.crowdingAbove;
        if (crowded) z.calmSince = undefined;
        else z.calmSince ??= now;
        const transition = z.crowd.step(crowded, now);
        if (transition === 'start') {
          for (const [id, m] of z.presence.entries()) z.crowding.join(id, m.enteredAt, now);
        } else if (transition === 'end') {
          z.crowding.end(z.calmSince ?? now);
        }
      }
    }
  }

  /** Resets the daily line counts when the local day (site time zone) changed. */
  private today(l: LineState, at: number): void {
    const day = localDay(at, this.timeZone);
    if (l.today.day !== day) l.today = { day, in: 0, out: 0 };
  }

  /** Per-minute aggregates, emitted when the minute rolls over. */
  private accumulate(z: AreaState | LineState, now: number, count: number): void {
    const minute = Math.floor(now / 60_000);
    const m = z.minute;
    if (m.minute !== minute) {
      if (m.minute >= 0 && m.samples > 0) this.onMinute(this.minuteStat(z, m, now));
      z.minute = newMinute(minute);
    }
    z.minute.samples++;
    z.minute.sum += count;
    z.minute.max = Math.max(z.minute.max, count);
    if (count > 0) z.minute.occupied++;
  }

  private minuteStat(z: AreaState | LineState, m: Minute, now: number): MinuteStat {
    const line = z.zone.type === 'line';
    const queue = 'queue' in z ? z.queue?.snapshot(now) : undefined;
    return {
      cameraId: this.camera.id,
      zoneId: z.zone.id,
      minute: m.minute,
      avgCount: Math.round((m.sum / m.samples) * 100) / 100,
      maxCount: m.max,
      departures: m.departures,
      estWaitSeconds: queue?.estimatedWaitSeconds ?? null,
      occupiedRatio: z.zone.type === 'counter' ? Math.round((m.occupied / m.samples) * 100) / 100 : null,
      crossingsIn: line ? m.crossingsIn : null,
      crossingsOut: line ? m.crossingsOut : null,
    };
  }

  /**
   * Ends this rule set when the camera's zones are replaced or the gateway stops: open events
   * (queue_long, and the restricted, loitering and crowding incidents) end now with that reason, and
   * the people inside leave their zones now (their visits end; that is no queue departure). The next
   * rule set sees them enter afresh, so their waits and dwell times restart and an armed restricted
   * zone opens a new incident.
   */
  close(now: number, reason: 'zones_changed' | 'gateway_stopped' = 'zones_changed'): void {
    for (const z of this.areas) {
      for (const trackId of z.presence.clear()) this.visits?.exitZone(trackId, z.zone.id, now);
      for (const incident of [z.intrusion, z.loitering, z.crowding]) incident?.end(now, reason);
      if (z.eventUid) this.sink.end(z.eventUid, now, { reason });
      z.eventUid = undefined;
    }
    for (const l of this.lines) l.crossings.clear();
  }

  /** Carries the minute being counted (and a line's daily counts) over from the rule set this one replaces, for zones that kept their id and type. */
  adoptMinutes(previous: ZoneRules): void {
    for (const z of [...this.areas, ...this.lines]) {
      const old = [...previous.areas, ...previous.lines].find((o) => o.zone.id === z.zone.id && o.zone.type === z.zone.type);
      if (old) z.minute = { ...old.minute };
    }
    for (const l of this.lines) {
      const old = previous.lines.find((o) => o.zone.id === l.zone.id);
      if (old) l.today = { ...old.today };
    }
  }

  /** Live view of each zone for the API and dashboard, in the camera's zone order. */
  liveZones(now: number): LiveZone[] {
    return this.camera.zones.map((zone): LiveZone => {
      const line = this.lines.find((l) => l.zone === zone);
      if (line) {
        this.today(line, now);
        return { zoneId: zone.id, type: zone.type, count: 0, crossingsIn: line.today.in, crossingsOut: line.today.out };
      }
      const z = this.areas.find((a) => a.zone === zone)!;
      const count = z.count;
      const queue = z.queue?.snapshot(now);
      return {
        zoneId: zone.id,
        type: zone.type,
        count,
        ...(queue ? { estimatedWaitSeconds: queue.estimatedWaitSeconds, serviceDepartures: queue.serviceDepartures } : {}),
        ...(zone.type === 'counter' ? { occupied: count > 0 } : {}),
      };
    });
  }
}
