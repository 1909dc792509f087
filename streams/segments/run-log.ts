import { closeSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseSegmentList } from './segment-list';

export interface RawSegment {
  path: string;
  /** Seconds of the run's stream time. */
  start: number;
  end: number;
  bytes: number;
}

/** A run's files: `<id>-NNNNNN.ts` segments and the `<id>.csv` list. */
export const RUN_FILE = /^(r\d+)(?:-\d{6}\.ts|\.csv)$/;

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already, or not removable now: the sweep retries
  }
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * One ffmpeg run's segments, read from its CSV list as ffmpeg appends to it. The run's clock is
 * dated by wall time: ffmpeg lists a segment as it closes, so "seen at minus stream end" is at
 * least the true offset, and its smallest value over the run is the best estimate.
 */
export class RunLog {
  readonly list: string;
  live = true;
  /** Its codec cannot make clips: listed files are deleted at once. */
  unsupported = false;
  /** Wall ms at stream time 0, once a segment was listed. */
  offsetMs: number | undefined;
  segments: RawSegment[] = [];
  private readOffset = 0;
  private partial = '';

  constructor(
    readonly id: string,
    private readonly dir: string,
  ) {
    this.list = join(dir, `${id}.csv`);
  }

  /** Reads the lines appended since the last read (`at`: now, wall ms). */
  read(at: number): void {
    let fd: number;
    try {
      fd = openSync(this.list, 'r');
    } catch {
      return; // not written yet
    }
    try {
      const chunk = Buffer.alloc(64 * 1024);
      let n: number;
      while ((n = readSync(fd, chunk, 0, chunk.length, this.readOffset)) > 0) {
        this.readOffset += n;
        this.partial += chunk.subarray(0, n).toString('utf8');
      }
    } finally {
      closeSync(fd);
    }
    const cut = this.partial.lastIndexOf('\n');
    if (cut < 0) return;
    const complete = this.partial.slice(0, cut);
    this.partial = this.partial.slice(cut + 1);
    for (const listed of parseSegmentList(complete)) {
      const path = join(this.dir, listed.file);
      if (this.unsupported) {
        removeFile(path);
        continue;
      }
      this.offsetMs = Math.min(this.offsetMs ?? Infinity, at - listed.end * 1000);
      this.segments.push({ path, start: listed.start, end: listed.end, bytes: fileBytes(path) });
    }
  }

  /** Deletes the segments `drop` picks (files and entries). */
  drop(pick: (s: RawSegment) => boolean): void {
    const keep: RawSegment[] = [];
    for (const s of this.segments) {
      if (pick(s)) removeFile(s.path);
      else keep.push(s);
    }
    this.segments = keep;
  }
}
