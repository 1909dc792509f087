import { mkdirSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { SegmentRun } from './args';
import { CLIP_CODECS } from './codec';
import { removeFile, RUN_FILE, RunLog } from './run-log';

/** A completed segment with its wall-clock span (ms since the epoch). */
export interface BufferedSegment {
  path: string;
  run: string;
  startMs: number;
  endMs: number;
  /** Where it starts in its run's stream time (seconds). */
  streamStart: number;
  bytes: number;
}

export interface SegmentBufferStatus {
  /** A run is writing segments now. */
  recording: boolean;
  /** The source's video codec, once ffmpeg has named it. */
  codec: string | null;
  /** Why this camera cannot give clips (its codec cannot go into a browser MP4), else null. */
  unsupported: string | null;
  /** Why the current run writes no segments although the codec is fine (low disk), else null. */
  paused: string | null;
  segments: number;
  bytes: number;
  oldestMs: number | null;
  newestMs: number | null;
}

/** What a camera stream needs of its segment buffer. */
export interface SegmentSink {
  /** Paths for a new ffmpeg run, or undefined when the camera cannot give clips. */
  beginRun(): SegmentRun | undefined;
  /** The run's input codec (from ffmpeg's banner); false when clips cannot be made from it. */
  noteCodec(codec: string): boolean;
  /** The run's ffmpeg has exited: its list is complete. */
  runEnded(): void;
  /** A decoded frame with its stream time (from showinfo) reached the gateway at `capturedAt`. */
  noteFrame(capturedAt: number, streamTime: number): void;
}

export interface SegmentBufferOptions {
  dir: string;
  segmentSeconds: number;
  /** Segments that ended longer ago than this are deleted unless a hold needs them. */
  keepSeconds: number;
  pollMs?: number;
  now?: () => number;
  /**
   * A run starts without the segment output when the buffer's file system has less free than this:
   * a write error would stop the detection ffmpeg too (default 256 MiB).
   */
  minFreeBytes?: number;
}

const SWEEP_EVERY = 10;

/**
 * A camera's rolling buffer of stream-copied segments on disk: reads each ffmpeg run's segment list
 * as it grows, dates each segment by wall clock, deletes what is older than `keepSeconds` unless a
 * hold (a clip being recorded) still needs it, and sweeps files no list names (a killed run's last one).
 */
export class SegmentBuffer implements SegmentSink {
  private readonly runs = new Map<string, RunLog>();
  private readonly holds = new Map<number, number>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private current: RunLog | undefined;
  private codec: string | null = null;
  private unsupported: string | null = null;
  private paused: string | null = null;
  private nextHold = 1;
  private runNo = 0;
  private polls = 0;

  constructor(private readonly options: SegmentBufferOptions) {
    this.now = options.now ?? Date.now;
    // Files of an earlier process carry no wall-clock dating: start empty.
    rmSync(options.dir, { recursive: true, force: true });
    mkdirSync(options.dir, { recursive: true });
    this.timer = setInterval(() => this.safePoll(), options.pollMs ?? 500);
    this.timer.unref();
  }

  get dir(): string {
    return this.options.dir;
  }

  beginRun(): SegmentRun | undefined {
    if (this.unsupported) return undefined;
    if (this.current) this.current.live = false;
    this.current = undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      const fs = statfsSync(this.dir);
      const free = fs.bavail * fs.bsize;
      const min = this.options.minFreeBytes ?? 256 * 2 ** 20;
      this.paused = free < min ? `${Math.round(free / 2 ** 20)} MiB free on the buffer's disk, under ${Math.round(min / 2 ** 20)} MiB` : null;
    } catch (err) {
      this.paused = `buffer folder not writable: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
    }
    if (this.paused) return undefined;
    const id = `r${this.now()}${String(this.runNo++ % 100).padStart(2, '0')}`;
    const run = new RunLog(id, this.dir);
    this.runs.set(id, run);
    this.current = run;
    return { id, pattern: join(this.dir, `${id}-%06d.ts`), list: run.list, seconds: this.options.segmentSeconds };
  }

  noteCodec(codec: string): boolean {
    this.codec = codec;
    if (CLIP_CODECS.has(codec)) return true;
    this.unsupported = `source codec ${codec}: a browser MP4 made by stream copy needs H.264 or H.265`;
    if (this.current) this.current.unsupported = true;
    for (const run of this.runs.values()) run.drop(() => true);
    return false;
  }

  noteFrame(capturedAt: number, streamTime: number): void {
    if (this.current?.live) this.current.noteFrame(capturedAt, streamTime);
  }

  runEnded(): void {
    if (this.current) this.current.live = false;
    this.safePoll();
  }

  /** Keeps segments from `fromMs` on until the returned release is called. */
  hold(fromMs: number): () => void {
    const id = this.nextHold++;
    this.holds.set(id, fromMs);
    return () => {
      this.holds.delete(id);
    };
  }

  /** Completed segments overlapping [fromMs, toMs], oldest first. */
  window(fromMs: number, toMs: number): BufferedSegment[] {
    return this.all().filter((s) => s.endMs > fromMs && s.startMs < toMs);
  }

  /** The end of the newest completed segment. */
  latestEndMs(): number | undefined {
    return this.all().at(-1)?.endMs;
  }

  status(): SegmentBufferStatus {
    const all = this.all();
    return {
      recording: Boolean(this.current?.live && !this.current.unsupported),
      codec: this.codec,
      unsupported: this.unsupported,
      paused: this.paused,
      segments: all.length,
      bytes: all.reduce((n, s) => n + s.bytes, 0),
      oldestMs: all[0]?.startMs ?? null,
      newestMs: all.at(-1)?.endMs ?? null,
    };
  }

  /** Reads new list lines, prunes, and now and then sweeps stray files (also runs on a timer). */
  poll(): void {
    const at = this.now();
    for (const run of this.runs.values()) run.read(at);
    const holds = [...this.holds.values()];
    const keepFrom = Math.min(at - this.options.keepSeconds * 1000, ...holds);
    for (const run of this.runs.values()) run.drop((s) => (run.offsetMs ?? at) + s.end * 1000 < keepFrom);
    if (this.polls++ % SWEEP_EVERY === 0) this.sweep();
  }

  /** The timer's poll: a file-system error never escapes into the process (the next poll retries). */
  private safePoll(): void {
    try {
      this.poll();
    } catch {
      // e.g. the folder vanished: the sweep recreates it, beginRun too
    }
  }

  /** Stops polling and deletes the buffer's files. */
  close(): void {
    clearInterval(this.timer);
    this.runs.clear();
    this.current = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private all(): BufferedSegment[] {
    const out: BufferedSegment[] = [];
    for (const run of this.runs.values()) {
      if (run.offsetMs === undefined) continue;
      for (const s of run.segments) out.push({ path: s.path, run: run.id, startMs: Math.round(run.offsetMs + s.start * 1000), endMs: Math.round(run.offsetMs + s.end * 1000), streamStart: s.start, bytes: s.bytes });
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  /** Removes files of unknown runs, unlisted files of ended runs, and ended runs with nothing left. */
  private sweep(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      mkdirSync(this.dir, { recursive: true });
      return;
    }
    for (const name of names) {
      const m = RUN_FILE.exec(name);
      const run = m ? this.runs.get(m[1]!) : undefined;
      if (!run) {
        removeFile(join(this.dir, name));
        continue;
      }
      if (name.endsWith('.csv')) continue;
      // A live run's newest file is being written; older unindexed ones were lost (listed and rotated out unseen).
      if (run.live && Number(m![2]) >= run.lastIndex) continue;
      const path = join(this.dir, name);
      if (!run.segments.some((s) => s.path === path)) removeFile(path);
    }
    for (const run of [...this.runs.values()]) {
      if (run.live || run.segments.length > 0 || run === this.current) continue;
      removeFile(run.list);
      this.runs.delete(run.id);
    }
  }
}
