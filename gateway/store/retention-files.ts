import { readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from './db';

/**
 * A snapshot's files are written before its row is (the row waits in the batched writer), so a file
 * with no row is swept only once it is older than this; by then it was left by a crash or a failed unlink.
 */
export const ORPHAN_GRACE_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** The service's layout: <snapshots>/<camera>/<YYYY-MM-DD, UTC>/<event uid>[-blurred].jpg */
const DAY_DIR = /^\d{4}-\d{2}-\d{2}$/;

export interface SnapshotFileResult {
  /** Files of deleted rows removed from disk (a file already gone counts). */
  removed: number;
  /** Files with no row, older than the grace period, removed. */
  orphans: number;
  /** Day directories left empty, removed. */
  dayDirs: number;
  /** Files that could not be removed (they have no row now: the next sweep retries them). */
  failed: number;
}

/** The service keeps snapshots beside its database: <dataDir>/gateway.sqlite and <dataDir>/snapshots. */
export function snapshotsDirOf(db: Db): string | null {
  return db.memory || !db.name ? null : join(dirname(db.name), 'snapshots');
}

function unlinked(path: string): 'removed' | 'failed' {
  try {
    unlinkSync(path);
    return 'removed';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'removed' : 'failed';
  }
}

/** Entries of a directory; none when it cannot be read (gone, or no permission: the next run retries). */
function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

const subdirectories = (dir: string) => entries(dir).filter((d) => d.isDirectory()).map((d) => d.name);

/**
 * Sweeps `<dir>/<camera>/<YYYY-MM-DD>/*<extension>` (snapshots and clips are laid out so) for files no
 * row names (`known`: resolved paths) older than `graceMs`, and removes day directories left empty
 * once their day is over by `graceMs`.
 */
function sweepDatedFiles(dir: string, extension: string, known: ReadonlySet<string>, now: number, graceMs: number): { orphans: number; failed: number; dayDirs: number } {
  const result = { orphans: 0, failed: 0, dayDirs: 0 };
  for (const camera of subdirectories(dir)) {
    for (const day of subdirectories(join(dir, camera)).filter((d) => DAY_DIR.test(d))) {
      const dayDir = join(dir, camera, day);
      for (const file of entries(dayDir).filter((f) => f.isFile() && f.name.endsWith(extension)).map((f) => f.name)) {
        const path = join(dayDir, file);
        if (known.has(resolve(path))) continue;
        try {
          if (statSync(path).mtimeMs > now - graceMs) continue;
        } catch {
          continue;
        }
        if (unlinked(path) === 'removed') result.orphans++;
        else result.failed++;
      }
      const dayOver = Date.parse(`${day}T00:00:00Z`) + DAY_MS + graceMs < now;
      if (dayOver && entries(dayDir).length === 0) {
        try {
          rmdirSync(dayDir);
          result.dayDirs++;
        } catch {
          // a file arrived meanwhile: the directory stays
        }
      }
    }
  }
  return result;
}

/**
 * Removes the files of deleted snapshot rows, then sweeps `dir` for snapshot files no row names
 * (older than `graceMs`) and for day directories left empty (once their day is over by `graceMs`).
 * Synchronous: it runs from the hourly retention, over one site's few days of snapshots.
 */
export function removeSnapshotFiles(db: Db, deleted: readonly string[], dir: string | null, now: number, graceMs = ORPHAN_GRACE_MS): SnapshotFileResult {
  const result: SnapshotFileResult = { removed: 0, orphans: 0, dayDirs: 0, failed: 0 };
  for (const path of deleted) result[unlinked(path)]++;
  if (!dir) return result;
  const rows = db.prepare('SELECT path, blurred_path AS blurredPath FROM snapshots').all() as Array<{ path: string; blurredPath: string | null }>;
  const known = new Set(rows.flatMap((r) => (r.blurredPath ? [r.path, r.blurredPath] : [r.path])).map((p) => resolve(p)));
  const swept = sweepDatedFiles(dir, '.jpg', known, now, graceMs);
  result.orphans += swept.orphans;
  result.failed += swept.failed;
  result.dayDirs += swept.dayDirs;
  return result;
}

export interface ClipFileResult {
  /** Rows deleted (past clipsDays, or with their event) whose files were removed (a file already gone counts). */
  removed: number;
  /** Clip files no row names, older than the grace period, removed (a crash between file and row, an evicted file left behind). */
  orphans: number;
  failed: number;
}

/**
 * Removes the files of deleted clip rows, then sweeps `<dir>/<camera>/<day>/*.mp4` for files no row
 * names (older than `graceMs`: a clip is written before its row) and removes day directories left empty.
 */
export function removeClipFiles(deleted: readonly string[], dir: string | null, known: ReadonlySet<string>, now: number, graceMs = ORPHAN_GRACE_MS): ClipFileResult {
  const result: ClipFileResult = { removed: 0, orphans: 0, failed: 0 };
  for (const path of deleted) {
    if (unlinked(path) === 'removed') result.removed++;
    else result.failed++;
  }
  if (!dir) return result;
  const swept = sweepDatedFiles(dir, '.mp4', new Set([...known].map((p) => resolve(p))), now, graceMs);
  result.orphans += swept.orphans;
  result.failed += swept.failed;
  return result;
}
