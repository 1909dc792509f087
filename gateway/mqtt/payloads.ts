import type { CameraHealth } from '../../streams';
import type { LiveZone } from '../pipeline/rules';
import type { NewEvent, Severity } from '../store';
import { faceDataFields, withoutFaceData } from './face-data';

type Data = Record<string, unknown>;

/** What the rule engine gives the sink when an event starts (the store's NewEvent). */
export type StartedEvent = NewEvent;

/** `<prefix>/events`: one message per start, update and end of an event. */
export interface EventMessage {
  type: 'start' | 'update' | 'end';
  uid: string;
  /** The event's type (queue_long, restricted_zone_entry, watchlist_match...); null for an event that started before the feed. */
  event: string | null;
  camera: string | null;
  zone?: string;
  track?: number;
  severity: Severity | null;
  startedAt: string | null;
  /** When this start, update or end happened (ISO 8601, UTC). */
  at: string;
  data: Data;
  /** Face-data fields left out of `data` (mqtt.includeFaceData is off). */
  withheld?: string[];
}

/** `<prefix>/cameras/<id>/state` (retained). */
export interface CameraStateMessage {
  state: CameraHealth['state'];
  reason: string | null;
  since: string;
  fps: number;
  reconnects: number;
}

/** `<prefix>/zones/<camera>/<zone>` (retained): the zone's reading, sent when it changes. */
export interface ZoneMessage {
  type: string;
  /** People in the zone now (0 for a line). */
  count: number;
  /** Queue zones: estimated wait in seconds, null until a service departure has been seen. */
  waitSeconds?: number | null;
  serviceDepartures?: number;
  occupied?: boolean;
  crossingsIn?: number;
  crossingsOut?: number;
  at: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

interface OpenEvent {
  event: string;
  camera: string;
  zone?: string;
  track?: number;
  severity: Severity;
  startedAt: number;
}

/** Open events remembered so update and end messages name their camera and type; beyond this the older half is forgotten at once (amortised O(1): evicting one by one from a Map's front is slow). */
const MAX_OPEN_EVENTS = 10_000;

/** Builds event messages, remembering what each open event is; strips face data unless it is wanted. */
export class EventMessages {
  private open = new Map<string, OpenEvent>();

  constructor(private readonly includeFaceData: boolean) {}

  started(e: StartedEvent): { message: EventMessage; faceData: string[] } {
    const meta: OpenEvent = { event: e.type, camera: e.cameraId, severity: e.severity, startedAt: e.at, ...(e.zoneId !== undefined ? { zone: e.zoneId } : {}), ...(e.trackId !== undefined ? { track: e.trackId } : {}) };
    if (this.open.size >= MAX_OPEN_EVENTS) this.open = new Map([...this.open].slice(MAX_OPEN_EVENTS / 2));
    this.open.set(e.uid, meta);
    return this.build('start', e.uid, e.at, e.data ?? {}, meta);
  }

  updated(uid: string, at: number, data: Data): { message: EventMessage; faceData: string[] } {
    return this.build('update', uid, at, data, this.open.get(uid));
  }

  ended(uid: string, at: number, data: Data): { message: EventMessage; faceData: string[] } {
    const meta = this.open.get(uid);
    this.open.delete(uid);
    return this.build('end', uid, at, data, meta);
  }

  private build(type: EventMessage['type'], uid: string, at: number, data: Data, meta: OpenEvent | undefined): { message: EventMessage; faceData: string[] } {
    const fields = faceDataFields(data);
    const withheld = !this.includeFaceData && fields.length > 0;
    const message: EventMessage = {
      type,
      uid,
      event: meta?.event ?? null,
      camera: meta?.camera ?? null,
      ...(meta?.zone !== undefined ? { zone: meta.zone } : {}),
      ...(meta?.track !== undefined ? { track: meta.track } : {}),
      severity: meta?.severity ?? null,
      startedAt: meta ? iso(meta.startedAt) : null,
      at: iso(at),
      data: withheld ? withoutFaceData(data) : data,
      ...(withheld ? { withheld: fields } : {}),
    };
    return { message, faceData: withheld ? [] : fields };
  }
}

export function cameraStateMessage(h: CameraHealth): CameraStateMessage {
  return { state: h.state, reason: h.reason ?? null, since: iso(h.since), fps: Math.round(h.measuredFps * 10) / 10, reconnects: h.reconnects };
}

/** The zone's reading without its time: what is compared to decide whether it changed. */
export function zoneReading(z: LiveZone): Omit<ZoneMessage, 'at'> {
  return {
    type: z.type,
    count: z.count,
    ...(z.estimatedWaitSeconds !== undefined ? { waitSeconds: z.estimatedWaitSeconds } : {}),
    ...(z.serviceDepartures !== undefined ? { serviceDepartures: z.serviceDepartures } : {}),
    ...(z.occupied !== undefined ? { occupied: z.occupied } : {}),
    ...(z.crossingsIn !== undefined ? { crossingsIn: z.crossingsIn } : {}),
    ...(z.crossingsOut !== undefined ? { crossingsOut: z.crossingsOut } : {}),
  };
}
