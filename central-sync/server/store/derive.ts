import type { QueueStatPayload, SyncRecord } from '../../wire';
import type { CameraState } from './types';

/** What newly stored records change in the derived tables; both stores apply it the same way. */
export interface EventInsert {
  uid: string;
  cameraId: string;
  zoneId: string | null;
  type: string;
  severity: string;
  at: number;
  data: Record<string, unknown>;
}

export interface EventUpdate {
  seq: number;
  at: number;
  phase: 'update' | 'end';
  data: Record<string, unknown>;
}

/** A queue_stat record's payload is stored as it is. */
export type QueueStatUpsert = QueueStatPayload;

export type CameraHealthUpsert = CameraState;

export interface DerivedRows {
  /** First record per uid. */
  events: EventInsert[];
  /** Per event uid, in seq order. */
  updates: Map<string, EventUpdate[]>;
  /** One per (camera, zone, minute): the highest seq wins, as a later record corrects an earlier one. */
  queueStats: QueueStatUpsert[];
  /** The newest per camera. */
  cameraHealth: CameraHealthUpsert[];
}

/** `records` ascending by seq. */
export function deriveRows(records: readonly SyncRecord[]): DerivedRows {
  const events = new Map<string, EventInsert>();
  const updates = new Map<string, EventUpdate[]>();
  const stats = new Map<string, QueueStatUpsert>();
  const health = new Map<string, CameraHealthUpsert>();
  for (const r of records) {
    switch (r.kind) {
      case 'event': {
        const p = r.payload;
        if (!events.has(p.uid)) {
          events.set(p.uid, { uid: p.uid, cameraId: p.cameraId, zoneId: p.zoneId ?? null, type: p.type, severity: p.severity, at: p.at, data: p.data });
        }
        break;
      }
      case 'event_update': {
        const p = r.payload;
        const list = updates.get(p.uid) ?? [];
        list.push({ seq: r.seq, at: p.at, phase: p.phase, data: p.data });
        updates.set(p.uid, list);
        break;
      }
      case 'queue_stat': {
        const p = r.payload;
        stats.set(JSON.stringify([p.cameraId, p.zoneId, p.minute]), { ...p });
        break;
      }
      case 'camera_health': {
        const p = r.payload;
        const prev = health.get(p.cameraId);
        if (!prev || p.at >= prev.at) health.set(p.cameraId, { cameraId: p.cameraId, state: p.state, reason: p.reason, at: p.at });
        break;
      }
    }
  }
  return { events: [...events.values()], updates, queueStats: [...stats.values()], cameraHealth: [...health.values()] };
}

export interface EventState {
  data: Record<string, unknown>;
  updatedAt: number;
  endedAt: number | null;
}

/**
 * Updates merge into the event's data key by key in seq order (a later value replaces an earlier
 * one); the first `end` sets ended_at and later ones do not move it.
 */
export function applyUpdates(state: EventState, updates: readonly EventUpdate[]): EventState {
  let { data, updatedAt, endedAt } = state;
  for (const u of [...updates].sort((a, b) => a.seq - b.seq)) {
    data = { ...data, ...u.data };
    updatedAt = Math.max(updatedAt, u.at);
    if (u.phase === 'end' && endedAt === null) endedAt = u.at;
  }
  return { data, updatedAt, endedAt };
}

/** Adds updates held back earlier (their event had not arrived) to this batch's, per uid. */
export function withPending(batch: ReadonlyMap<string, EventUpdate[]>, pending: ReadonlyArray<EventUpdate & { uid: string }>): Map<string, EventUpdate[]> {
  const all = new Map([...batch].map(([uid, list]) => [uid, [...list]]));
  for (const { uid, ...u } of pending) all.set(uid, [...(all.get(uid) ?? []), u]);
  return all;
}
