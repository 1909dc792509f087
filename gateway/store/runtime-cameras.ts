import { CameraConfigSchema, formatPath, type CameraConfig } from '../config';
import type { Db } from './db';

export interface RuntimeCamera {
  camera: CameraConfig;
  addedBy: string;
  addedAt: number;
  /** The ONVIF device service address it was found on, if any. */
  device?: string;
}

interface Row {
  id: string;
  config: string;
  addedBy: string;
  addedAt: number;
  device: string | null;
}

/** The stored camera, validated again with the config file's schema; throws naming the camera and field. */
function cameraOf(row: Row): CameraConfig {
  let json: unknown;
  try {
    json = JSON.parse(row.config);
  } catch {
    throw new Error(`stored camera '${row.id}' is not valid JSON`);
  }
  const parsed = CameraConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`stored camera '${row.id}' is not valid: ${formatPath(['camera', ...issue.path])}: ${issue.message}`);
  }
  const { role: _deprecated, ...camera } = parsed.data;
  if (camera.id !== row.id) throw new Error(`stored camera '${row.id}' is not valid: camera.id: differs from its row`);
  return camera;
}

/** Cameras added at run time (table runtime_cameras): who added each and when. */
export class RuntimeCameraStore {
  constructor(private readonly db: Db) {}

  /** Every stored camera, oldest first; a row that no longer validates is reported and left out. */
  list(onInvalid: (id: string, err: Error) => void = () => undefined): RuntimeCamera[] {
    const rows = this.db.prepare('SELECT id, config, added_by AS addedBy, added_at AS addedAt, device FROM runtime_cameras ORDER BY added_at, id').all() as Row[];
    const out: RuntimeCamera[] = [];
    for (const row of rows) {
      try {
        out.push({ camera: cameraOf(row), addedBy: row.addedBy, addedAt: row.addedAt, ...(row.device ? { device: row.device } : {}) });
      } catch (err) {
        onInvalid(row.id, err as Error);
      }
    }
    return out;
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM runtime_cameras WHERE id = ?').get(id) !== undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM runtime_cameras').get() as { n: number }).n;
  }

  /**
   * Stores the camera; `alsoInTransaction` (the audit entry, starting the camera) commits with it or
   * not at all: if it throws, the row is not kept. An id already stored throws.
   */
  add(entry: RuntimeCamera, alsoInTransaction?: () => void): void {
    const camera = cameraOf({ id: entry.camera.id, config: JSON.stringify(entry.camera), addedBy: entry.addedBy, addedAt: entry.addedAt, device: null });
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO runtime_cameras (id, config, added_by, added_at, device) VALUES (?, ?, ?, ?, ?)')
        .run(camera.id, JSON.stringify(camera), entry.addedBy, entry.addedAt, entry.device ?? null);
      alsoInTransaction?.();
    })();
  }

  /** Deletes the row; `alsoInTransaction` as in add. False when there was none. */
  remove(id: string, alsoInTransaction?: () => void): boolean {
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM runtime_cameras WHERE id = ?').run(id).changes > 0;
      if (removed) alsoInTransaction?.();
      return removed;
    })();
  }
}
