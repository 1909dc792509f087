import type { Db } from './db';

export interface SnapshotFiles {
  path: string;
  blurredPath: string | null;
}

/** Event snapshots (the snapshots table): the JPEG files of an event, original and faces blurred. */
export class SnapshotStore {
  private readonly insert;
  private readonly first;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      'INSERT INTO snapshots (event_id, camera_id, taken_at, path, blurred_path, has_faces) SELECT id, ?, ?, ?, ?, 0 FROM events WHERE uid = ?',
    );
    this.first = db.prepare('SELECT path, blurred_path AS blurredPath FROM snapshots WHERE event_id = ? ORDER BY id LIMIT 1');
  }

  /** Records the files of the event with this uid (nothing when no such event is stored). */
  add(eventUid: string, cameraId: string, takenAt: number, files: SnapshotFiles): void {
    this.insert.run(cameraId, takenAt, files.path, files.blurredPath, eventUid);
  }

  /** The event's first snapshot. */
  firstOf(eventId: number): SnapshotFiles | undefined {
    return this.first.get(eventId) as SnapshotFiles | undefined;
  }

  /** Which of these events have a face-blurred snapshot. */
  withBlurred(eventIds: readonly number[]): Set<number> {
    if (eventIds.length === 0) return new Set();
    const rows = this.db
      .prepare(`SELECT DISTINCT event_id AS id FROM snapshots WHERE blurred_path IS NOT NULL AND event_id IN (${eventIds.map(() => '?').join(', ')})`)
      .all(...eventIds) as Array<{ id: number }>;
    return new Set(rows.map((r) => r.id));
  }
}
