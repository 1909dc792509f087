import type { z } from 'zod';
import type { CameraHealthPayloadSchema, QueueStatPayload } from '../../central-sync/wire';
import type { MinuteStat } from '../pipeline/rules';
import type { Db } from '../store';
import { OUTBOX_PRIORITY } from '../store/events';

type CameraHealthPayload = z.infer<typeof CameraHealthPayloadSchema>;

const isCount = (n: number | null | undefined): n is number => typeof n === 'number';

export interface CameraHealthChange {
  cameraId: string;
  state: string;
  reason: string | null;
  /** When the state changed. */
  at: number;
}

/**
 * Outbox rows for what is not an event. Call inside the transaction that writes the record itself
 * (the BatchedWriter's), so the outbox never misses or invents a change.
 */
export class OutboxWriter {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO sync_outbox (kind, priority, created_at, payload) VALUES (?, ?, ?, ?)');
  }

  /** `s.minute` counts minutes since the epoch (as in queue_stats); the wire wants the minute's start in ms. */
  queueStat(s: MinuteStat): void {
    const start = s.minute * 60_000;
    const payload: QueueStatPayload = {
      cameraId: s.cameraId,
      zoneId: s.zoneId,
      minute: start,
      avgCount: s.avgCount,
      maxCount: s.maxCount,
      departures: s.departures,
      estWaitS: s.estWaitSeconds === null ? null : Math.round(s.estWaitSeconds),
      occupiedRatio: s.occupiedRatio,
      // Line zones only: other zones' payloads stay as a version 1 gateway sent them.
      ...(isCount(s.crossingsIn) || isCount(s.crossingsOut) ? { crossingsIn: s.crossingsIn ?? null, crossingsOut: s.crossingsOut ?? null } : {}),
    };
    this.insert.run('queue_stat', OUTBOX_PRIORITY.queueStat, start + 60_000, JSON.stringify(payload));
  }

  cameraHealth(h: CameraHealthChange): void {
    const payload: CameraHealthPayload = { cameraId: h.cameraId, state: h.state, reason: h.reason?.slice(0, 500) ?? null, at: h.at };
    this.insert.run('camera_health', OUTBOX_PRIORITY.cameraHealth, h.at, JSON.stringify(payload));
  }
}
