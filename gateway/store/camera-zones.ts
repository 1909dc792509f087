import { z } from 'zod';
import { formatPath, ZoneSchema, type CameraConfig, type ZoneConfig } from '../config';
import type { Db } from './db';

/** Bounds the per-frame point-in-polygon work a saved zone set can ask for. */
const MAX_ZONES = 32;
const MAX_POINTS = 64;

/** A camera's zone list: the config file's ZoneSchema per zone, ids unique within the camera. */
export const ZoneListSchema = z
  .array(ZoneSchema)
  .max(MAX_ZONES, `at most ${MAX_ZONES} zones per camera`)
  .superRefine((zones, ctx) => {
    const seen = new Set<string>();
    zones.forEach((zone, i) => {
      if (seen.has(zone.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate zone id '${zone.id}'` });
      seen.add(zone.id);
      if (zone.points.length > MAX_POINTS) ctx.addIssue({ code: 'custom', path: [i, 'points'], message: `polygon has more than ${MAX_POINTS} points` });
    });
  });

export interface SavedZones {
  cameraId: string;
  zones: ZoneConfig[];
  updatedBy: string;
  updatedAt: number;
}

/** Zones saved from the dashboard (table camera_zones) and the configured cameras (table cameras). */
export class CameraZoneStore {
  constructor(private readonly db: Db) {}

  /** The saved zones of a camera; throws naming the camera and field when they no longer validate. */
  get(cameraId: string): SavedZones | undefined {
    const row = this.db.prepare('SELECT zones, updated_by AS updatedBy, updated_at AS updatedAt FROM camera_zones WHERE camera_id = ?').get(cameraId) as
      | { zones: string; updatedBy: string; updatedAt: number }
      | undefined;
    if (!row) return undefined;
    const parsed = ZoneListSchema.safeParse(JSON.parse(row.zones));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`saved zones of camera '${cameraId}' are not valid: ${formatPath(['zones', ...issue.path])}: ${issue.message}`);
    }
    return { cameraId, zones: parsed.data, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  }

  /** Saves the set; `alsoInTransaction` (e.g. the audit entry) commits with it or not at all. */
  save(cameraId: string, zones: readonly ZoneConfig[], updatedBy: string, at: number, alsoInTransaction?: () => void): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO camera_zones (camera_id, zones, updated_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (camera_id) DO UPDATE SET zones = excluded.zones, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(cameraId, JSON.stringify(zones), updatedBy, at);
      alsoInTransaction?.();
    })();
  }

  /**
   * The configured cameras with their saved zones in place of the file's (copies; the config is left
   * as loaded). A saved set that no longer validates is reported and the file's zones are kept.
   */
  withSavedZones(cameras: readonly CameraConfig[], onInvalid: (cameraId: string, err: Error) => void): CameraConfig[] {
    return cameras.map((camera) => {
      try {
        const saved = this.get(camera.id);
        return saved ? { ...camera, zones: saved.zones } : { ...camera };
      } catch (err) {
        onInvalid(camera.id, err as Error);
        return { ...camera };
      }
    });
  }

  /** Upserts every configured camera into the cameras table; the health columns (state, reason) are kept. */
  registerCameras(cameras: readonly CameraConfig[], at: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO cameras (id, name, enabled, updated_at) VALUES (@id, @name, @enabled, @at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      for (const c of cameras) upsert.run({ id: c.id, name: c.name ?? null, enabled: c.enabled ? 1 : 0, at });
    })();
  }

  /** A camera's latest stream state (streaming, stalled, failed...) and the reason, for reports after the fact. */
  recordState(cameraId: string, state: string, reason: string | null, at: number): void {
    this.db.prepare('UPDATE cameras SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason, at, cameraId);
  }
}
