import { randomUUID } from 'node:crypto';
import type { Severity } from '../store';
import type { EventSink } from './events';

/** People listed in an incident's data: the newest are kept. */
export const MAX_INCIDENT_PEOPLE = 50;

export interface IncidentPerson {
  trackId: number;
  enteredAt: number;
  leftAt: number | null;
}

/** An incident's event data: the full state at each start, update and end (the store keeps the latest, the timeline each). */
export interface IncidentData {
  zone: string;
  incident: true;
  /** People in it now. */
  inside: number;
  /** Distinct people so far. */
  total: number;
  people: IncidentPerson[];
  change?: { kind: 'entered' | 'left'; trackId: number; at: number };
  /** At the end only. */
  durationSeconds?: number;
  reason?: string;
}

export interface IncidentKind {
  cameraId: string;
  zoneId: string;
  zoneName: string;
  type: string;
  severity: Severity;
}

/**
 * One zone-level incident at a time (restricted-zone occupancy, loitering, crowding) instead of one
 * event per track: it starts with the first person who joins, is updated as each joins or leaves,
 * and ends once nobody has been in it for the cool-down (expire) or when the caller ends it; whoever
 * joins after that starts a new one.
 */
export class Incident {
  private uid: string | undefined;
  private startedAt = 0;
  /** The latest time given to the sink for this event: the timeline stays in order. */
  private lastAt = 0;
  /** The listing (capped, newest kept). */
  private readonly people = new Map<number, IncidentPerson>();
  /** Who is in now (not capped). */
  private readonly in = new Set<number>();
  /** Distinct people so far (one who re-enters while still listed is not counted again). */
  private total = 0;
  private emptySince: number | undefined;

  constructor(
    private readonly sink: EventSink,
    private readonly kind: IncidentKind,
    private readonly coolDownMs: number,
  ) {}

  get open(): boolean {
    return this.uid !== undefined;
  }

  has(trackId: number): boolean {
    return this.in.has(trackId);
  }

  /** A person is in (entered at `enteredAt`, noticed at `at`): starts the incident or updates it. */
  join(trackId: number, enteredAt: number, at: number): void {
    if (this.in.has(trackId)) return;
    const known = this.people.get(trackId);
    this.people.delete(trackId); // re-inserted: the newest are kept
    if (!known) this.total++;
    this.in.add(trackId);
    this.people.set(trackId, { trackId, enteredAt: known?.enteredAt ?? enteredAt, leftAt: null });
    this.trim();
    this.emptySince = undefined;
    const change = { kind: 'entered' as const, trackId, at };
    if (!this.uid) {
      this.uid = randomUUID();
      this.startedAt = at;
      this.lastAt = at;
      const { cameraId, zoneId, type, severity } = this.kind;
      this.sink.start({ uid: this.uid, cameraId, zoneId, type, severity, at, data: { ...this.data(), change } });
    } else {
      this.sink.update(this.uid, this.clock(at), { ...this.data(), change });
    }
  }

  /** A person is out since `at`. */
  leave(trackId: number, at: number): void {
    if (!this.uid || !this.in.delete(trackId)) return;
    const person = this.people.get(trackId);
    if (person) person.leftAt = at;
    if (this.in.size === 0) this.emptySince = at;
    this.sink.update(this.uid, this.clock(at), { ...this.data(), change: { kind: 'left', trackId, at } });
  }

  /** Ends the incident once it has been empty for the cool-down; it ended when the last person left. */
  expire(now: number): void {
    if (this.uid && this.emptySince !== undefined && now - this.emptySince >= this.coolDownMs) this.end(this.emptySince);
  }

  /** Ends it at `now` (whoever is still in leaves then), with a reason when the rule set stops. */
  end(now: number, reason?: string): void {
    if (!this.uid) return;
    for (const p of this.people.values()) if (p.leftAt === null) p.leftAt = now;
    this.in.clear();
    const at = this.clock(now);
    this.sink.end(this.uid, at, { ...this.data(), durationSeconds: Math.round((at - this.startedAt) / 1000), ...(reason ? { reason } : {}) });
    this.uid = undefined;
    this.people.clear();
    this.total = 0;
    this.emptySince = undefined;
  }

  private data(): IncidentData {
    return { zone: this.kind.zoneName, incident: true, inside: this.in.size, total: this.total, people: [...this.people.values()].map((p) => ({ ...p })) };
  }

  private clock(at: number): number {
    this.lastAt = Math.max(this.lastAt, at);
    return this.lastAt;
  }

  private trim(): void {
    for (const id of this.people.keys()) {
      if (this.people.size <= MAX_INCIDENT_PEOPLE) break;
      this.people.delete(id);
    }
  }
}
