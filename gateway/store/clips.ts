import type { Db } from './db';

export interface NewClip {
  eventUid: string;
  cameraId: string;
  /** The MP4, or null when none could be made (see reason). */
  path: string | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  bytes: number;
  truncated: boolean;
  reason: string | null;
  createdAt: number;
}

export interface StoredClip extends NewClip {
  id: number;
}

/** A row as SQLite gives it back: `truncated` is 0 or 1. */
type ClipRow = Omit<StoredClip, 'truncated'> & { truncated: number };

const COLUMNS = `id, event_uid AS eventUid, camera_id AS cameraId, path, started_at AS startedAt, ended_at AS endedAt,
  duration_ms AS durationMs, bytes, truncated, reason, created_at AS createdAt`;

const stored = (row: ClipRow | undefined): StoredClip | undefined => (row ? { ...row, truncated: row.truncated === 1 } : undefined);

/** Evidence clips (the clips table): which MP4 belongs to which event, its span and whether it was cut short. Never synced. */
export class ClipStore {
  private readonly insert;
  private readonly byUid;
  private readonly total;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO clips (event_uid, camera_id, path, started_at, ended_at, duration_ms, bytes, truncated, reason, created_at)
       VALUES (@eventUid, @cameraId, @path, @startedAt, @endedAt, @durationMs, @bytes, @truncated, @reason, @createdAt)
       ON CONFLICT (event_uid) DO UPDATE SET path = excluded.path, started_at = excluded.started_at, ended_at = excluded.ended_at,
         duration_ms = excluded.duration_ms, bytes = excluded.bytes, truncated = excluded.truncated, reason = excluded.reason, created_at = excluded.created_at`,
    );
    this.byUid = db.prepare(`SELECT ${COLUMNS} FROM clips WHERE event_uid = ?`);
    this.total = db.prepare('SELECT COUNT(path) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM clips WHERE path IS NOT NULL');
  }

  save(clip: NewClip): void {
    this.insert.run({ ...clip, truncated: clip.truncated ? 1 : 0 });
  }

  ofEvent(eventUid: string): StoredClip | undefined {
    return stored(this.byUid.get(eventUid) as ClipRow | undefined);
  }

  /** Clip files on disk: how many and their bytes. */
  usage(): { count: number; bytes: number } {
    return this.total.get() as { count: number; bytes: number };
  }

  /**
   * Deletes the oldest clips (rows and the paths returned for unlinking) until their files total at
   * most `maxBytes`; rows without a file are not counted and stay until retention.
   */
  evictOver(maxBytes: number): string[] {
    return this.db.transaction(() => {
      const { bytes } = this.usage();
      let over = bytes - maxBytes;
      if (over <= 0) return [];
      const rows = this.db.prepare('SELECT id, path, bytes FROM clips WHERE path IS NOT NULL ORDER BY created_at, id').iterate() as IterableIterator<{ id: number; path: string; bytes: number }>;
      const victims: Array<{ id: number; path: string }> = [];
      for (const row of rows) {
        if (over <= 0) break;
        victims.push(row);
        over -= row.bytes;
      }
      const del = this.db.prepare('DELETE FROM clips WHERE id = ?');
      for (const v of victims) del.run(v.id);
      return victims.map((v) => v.path);
    })();
  }

  /**
   * Deletes clips older than `cutoff` (created) and those whose event no longer exists (events
   * retention); returns their files for unlinking.
   */
  deleteExpired(cutoff: number): string[] {
    return this.db.transaction(() => {
      const where = 'created_at < ? OR event_uid NOT IN (SELECT uid FROM events)';
      const rows = this.db.prepare(`SELECT path FROM clips WHERE ${where}`).all(cutoff) as Array<{ path: string | null }>;
      this.db.prepare(`DELETE FROM clips WHERE ${where}`).run(cutoff);
      return rows.flatMap((r) => (r.path ? [r.path] : []));
    })();
  }

  /** Every clip path a row names (the orphan sweep keeps these). */
  paths(): Set<string> {
    return new Set((this.db.prepare('SELECT path FROM clips WHERE path IS NOT NULL').all() as Array<{ path: string }>).map((r) => r.path));
  }
}
