import { readFileSync, statSync, unlinkSync } from 'node:fs';
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
export const RUN_FILE = /^(r\d+)(?:-(\d{6,})\.ts|\.csv)$/;
/** Dating uses the smallest offset among this many recent segments, so it follows a camera clock that drifts. */
const DATING_WINDOW = 30;
/** Frames kept for dating by frame arrival (10 s at 5 fps). */
const FRAME_WINDOW = 50;

// %06d grows past 6 digits after 10^6 segments (23 days of 2 s segments in one run).
const segmentIndex = (file: string): number => Number(/-(\d{6,})\.ts$/.exec(file)?.[1] ?? -1);

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
 * One ffmpeg run's segments, read from its CSV list, which ffmpeg rewrites with its newest entries
 * as each segment closes (`-segment_list_size`, so the list stays small however long the run). The
 * run's clock is dated by wall time: ffmpeg lists a segment as it closes, so "seen at minus stream
 * end" is at least the true offset, and its smallest value over recent segments is the best estimate.
 */
export class RunLog {
  readonly list: string;
  live = true;
  /** Its codec cannot make clips: listed files are deleted at once. */
  unsupported = false;
  /** Wall ms at stream time 0 by when segments were listed, once one was. */
  listOffsetMs: number | undefined;
  segments: RawSegment[] = [];
  /** The newest segment number listed so far (files numbered below it and not indexed are lost). */
  lastIndex = -1;
  private readonly candidates: number[] = [];
  private readonly frameCandidates: number[] = [];

  constructor(
    readonly id: string,
    private readonly dir: string,
  ) {
    this.list = join(dir, `${id}.csv`);
  }

  /** Reads the list and takes the segments listed since the last read (`at`: now, wall ms). */
  read(at: number): void {
    let text: string;
    try {
      text = readFileSync(this.list, 'utf8');
    } catch {
      return; // not written yet
    }
    // Whole lines only: ffmpeg may be rewriting the list right now.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const listed of parseSegmentList(complete)) {
      const index = segmentIndex(listed.file);
      if (index <= this.lastIndex) continue;
      this.lastIndex = index;
      const path = join(this.dir, listed.file);
      // A run's first segment starts where the stream's clock starts, not where its first keyframe
      // is (measured on the simulator: listed from 0 s, decodable from ~1.5 s), so its span would
      // overstate the video in it and a clip starting there would come out short: it is dropped.
      if (this.unsupported || index === 0) {
        removeFile(path);
        continue;
      }
      this.candidates.push(at - listed.end * 1000);
      if (this.candidates.length > DATING_WINDOW) this.candidates.shift();
      this.listOffsetMs = Math.min(...this.candidates);
      this.segments.push({ path, start: listed.start, end: listed.end, bytes: fileBytes(path) });
    }
  }

  /**
   * A decoded frame of this run with its stream time arrived at `capturedAt`. Events are dated by
   * frame arrival, which trails the packets by the decode (~0.4 s measured on the simulator): dating
   * segments by the same clock puts an event's moment at the right place in its clip.
   */
  noteFrame(capturedAt: number, streamTime: number): void {
    this.frameCandidates.push(capturedAt - streamTime * 1000);
    if (this.frameCandidates.length > FRAME_WINDOW) this.frameCandidates.shift();
  }

  /** Wall ms at stream time 0 by when decoded frames reached the gateway (the clock events are dated by); taken when asked, not per frame. */
  get frameOffsetMs(): number | undefined {
    return this.frameCandidates.length ? Math.min(...this.frameCandidates) : undefined;
  }

  /** Wall ms at stream time 0: by frames when there are any, else by the list. */
  get offsetMs(): number | undefined {
    return this.frameOffsetMs ?? this.listOffsetMs;
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
