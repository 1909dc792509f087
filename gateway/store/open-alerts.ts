import type { Db } from './db';

export interface OpenAlertRow {
  id: number;
  uid: string;
  cameraId: string;
  zoneId: string | null;
  type: string;
  severity: string;
  startedAt: number;
  data: Record<string, unknown>;
}

export interface OpenAlertFilter {
  types: readonly string[];
  /** Started at or after this. */
  from: number;
  camera?: string;
  limit: number;
}

/** Events of some types that have not ended yet, newest first (the queue board's alerts). */
export class OpenAlertStore {
  constructor(private readonly db: Db) {}

  list(filter: OpenAlertFilter): OpenAlertRow[] {
    if (filter.types.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT id, uid, camera_id AS cameraId, zone_id AS zoneId, type, severity, started_at AS startedAt, data
         FROM events WHERE type IN (${filter.types.map(() => '?').join(', ')}) AND ended_at IS NULL
         AND started_at >= ? AND (? IS NULL OR camera_id = ?)
         ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(...filter.types, filter.from, filter.camera ?? null, filter.camera ?? null, filter.limit) as Array<Omit<OpenAlertRow, 'data'> & { data: string }>;
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  }
}
