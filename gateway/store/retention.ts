import type { Db } from './db';
import { ClipStore } from './clips';
import { removeClipFiles, removeSnapshotFiles, snapshotsDirOf, type ClipFileResult, type SnapshotFileResult } from './retention-files';

export interface RetentionPolicy {
  eventsDays: number;
  statsDays: number;
  snapshotsDays: number;
  faceCropsDays: number;
  /** Access-audit rows (who read face data) are kept this long, then deleted. */
  auditDays: number;
  /** Evidence clips (rows and MP4 files); absent: clips are not touched (clips.maxDiskMiB still bounds them). */
  clipsDays?: number;
}

export interface RetentionResult {
  events: number;
  stats: number;
  tracks: number;
  /** Snapshot files whose rows were deleted (removed from disk, see `files`). */
  snapshotFiles: string[];
  /** Events whose data lost its face crop. */
  faceCrops: number;
  /** Timeline rows (event_updates) whose data lost its face crop. */
  timelineFaceCrops: number;
  audit: number;
  /** What happened on disk: deleted rows' files, swept files with no row, emptied day directories. */
  files: SnapshotFileResult;
  /** Clips deleted (past clipsDays, or their event was deleted) and clip files swept. */
  clips: ClipFileResult;
}

export interface RetentionFiles {
  /** Where snapshots are kept; by default `snapshots` beside the database file (the service's layout); null: no sweep. */
  snapshotsDir?: string | null;
  /** A file with no row younger than this is a snapshot being written: it is not swept. */
  orphanGraceMs?: number;
  /** Where clips are kept (<dataDir>/clips); absent or null: no sweep of clip files no row names. */
  clipsDir?: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Deletes what is past its retention. Face crops of people not on the watchlist live only inside
 * event data (the event and its timeline rows; the sync outbox strips its own copies) and snapshots,
 * so they go with their events and snapshots, whichever is sooner (faceCropsDays caps both).
 * Watchlist embeddings stay until the person is removed.
 */
export function applyRetention(db: Db, policy: RetentionPolicy, now: number, options: RetentionFiles = {}): RetentionResult {
  const rows = deleteExpired(db, policy, now);
  // After the commit: a crash before the unlink leaves files with no row, which the sweep removes.
  const dir = options.snapshotsDir === undefined ? snapshotsDirOf(db) : options.snapshotsDir;
  const files = removeSnapshotFiles(db, rows.snapshotFiles, dir, now, options.orphanGraceMs);
  // Clips go after the events: a clip whose event was just deleted goes too.
  const clips = new ClipStore(db);
  const expiredClips = policy.clipsDays === undefined ? [] : clips.deleteExpired(now - policy.clipsDays * DAY_MS);
  return { ...rows, files, clips: removeClipFiles(expiredClips, options.clipsDir ?? null, clips.paths(), now, options.orphanGraceMs) };
}

function deleteExpired(db: Db, policy: RetentionPolicy, now: number): Omit<RetentionResult, 'files' | 'clips'> {
  return db.transaction(() => {
    const snapshotCutoff = now - Math.min(policy.snapshotsDays, policy.faceCropsDays) * DAY_MS;
    const eventCutoff = now - policy.eventsDays * DAY_MS;
    const snapshots = db
      .prepare('SELECT path, blurred_path FROM snapshots WHERE taken_at < ? OR event_id IN (SELECT id FROM events WHERE started_at < ?)')
      .all(snapshotCutoff, eventCutoff) as Array<{ path: string; blurred_path: string | null }>;
    db.prepare('DELETE FROM snapshots WHERE taken_at < ? OR event_id IN (SELECT id FROM events WHERE started_at < ?)').run(snapshotCutoff, eventCutoff);
    const faceCropCutoff = now - policy.faceCropsDays * DAY_MS;
    const faceCrops = db
      .prepare(`UPDATE events SET data = json_remove(data, '$.faceCrop') WHERE started_at < ? AND json_extract(data, '$.faceCrop') IS NOT NULL`)
      .run(faceCropCutoff).changes;
    // The timeline holds copies too: the start row has the event's first data, update rows theirs.
    const timelineFaceCrops = db
      .prepare(
        `UPDATE event_updates SET data = json_remove(data, '$.faceCrop')
         WHERE event_id IN (SELECT id FROM events WHERE started_at < ?) AND json_extract(data, '$.faceCrop') IS NOT NULL`,
      )
      .run(faceCropCutoff).changes;
    const events = db.prepare('DELETE FROM events WHERE started_at < ?').run(eventCutoff).changes;
    const stats = db.prepare('DELETE FROM queue_stats WHERE minute < ?').run(Math.floor((now - policy.statsDays * DAY_MS) / 60_000)).changes;
    const tracks = db.prepare('DELETE FROM tracks WHERE last_seen < ?').run(eventCutoff).changes;
    const audit = db.prepare('DELETE FROM audit_log WHERE at < ?').run(now - policy.auditDays * DAY_MS).changes;
    return { events, stats, tracks, faceCrops, timelineFaceCrops, audit, snapshotFiles: snapshots.flatMap((s) => (s.blurred_path ? [s.path, s.blurred_path] : [s.path])) };
  })();
}
