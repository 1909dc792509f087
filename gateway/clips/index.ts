import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SegmentBuffer, type SegmentBufferStatus } from '../../streams/segments';
import type { Db } from '../store';
import { ClipStore } from '../store/clips';
import type { ClipsConfig } from './config';
import { ClipRecorder, type ClipLog } from './recorder';

export { ClipsConfigSchema, type ClipsConfig } from './config';
export { CLIP_REASONS, planClip, type ClipReason } from './window';
export { ClipRecorder } from './recorder';

/** What the API and pages know of an event's clip. */
export type ClipView =
  | { state: 'none' }
  | { state: 'recording' }
  | { state: 'unavailable'; reasons: string[] }
  | { state: 'ready'; startedAt: number; endedAt: number; durationMs: number; bytes: number; truncated: boolean; reasons: string[] };

export interface ClipUsage {
  clips: { count: number; bytes: number; maxBytes: number };
  cameras: Array<{ cameraId: string } & SegmentBufferStatus>;
}

/** The API's view of clips (ApiDeps.clips): status, the file to serve, disk use for ops. */
export interface ClipAccess {
  ofEvent(eventUid: string): ClipView;
  /** The MP4 of a ready clip, if its file is there. */
  file(eventUid: string): string | undefined;
  usage(): ClipUsage;
}

export interface ClipsOptions {
  config: ClipsConfig;
  /** storage.dataDir: clips in <dataDir>/clips, buffers in <dataDir>/clip-buffer/<camera>. */
  dataDir: string;
  db: Db;
  log: ClipLog;
  now?: () => number;
}

/** Evidence clips for a gateway: per-camera segment buffers, the recorder and the API's access, from one factory. */
export class Clips {
  readonly access: ClipAccess;
  readonly dir: string;
  private readonly buffers = new Map<string, SegmentBuffer>();
  private readonly store: ClipStore;
  private readonly recorder: ClipRecorder;

  constructor(private readonly o: ClipsOptions) {
    this.dir = join(o.dataDir, 'clips');
    this.store = new ClipStore(o.db);
    this.recorder = new ClipRecorder({ config: o.config, dir: this.dir, store: this.store, buffer: (id) => this.buffers.get(id), log: o.log, ...(o.now ? { now: o.now } : {}) });
    const maxBytes = o.config.maxDiskMiB * 1024 * 1024;
    this.access = {
      ofEvent: (uid) => this.view(uid),
      file: (uid) => {
        const clip = this.store.ofEvent(uid);
        return clip?.path && existsSync(clip.path) ? clip.path : undefined;
      },
      usage: () => ({
        clips: { ...this.store.usage(), maxBytes },
        cameras: [...this.buffers.entries()].map(([cameraId, b]) => ({ cameraId, ...b.status() })),
      }),
    };
  }

  /** The segment buffer to hand a clip-enabled camera's stream (`new CameraStream(source, { segments })`). */
  bufferFor(cameraId: string): SegmentBuffer {
    let buffer = this.buffers.get(cameraId);
    if (!buffer) {
      const c = this.o.config;
      // Pre-roll plus two segments (the one being closed, keyframe slack) and 2 s of dating slack.
      const root = join(this.o.dataDir, 'clip-buffer');
      const dir = join(root, cameraId);
      // The buffer's folder is emptied and removed: it must be a child of clip-buffer/, whatever the id.
      if (dirname(dir) !== root) throw new Error(`camera id '${cameraId}' cannot name a clip buffer folder`);
      buffer = new SegmentBuffer({ dir, segmentSeconds: c.segmentSeconds, keepSeconds: c.preRollSeconds + 2 * c.segmentSeconds + 2 });
      this.buffers.set(cameraId, buffer);
    }
    return buffer;
  }

  /** From the event sink's start. */
  eventStarted(e: { uid: string; cameraId: string; type: string; at: number }): void {
    this.recorder.eventStarted(e);
  }

  /** From the event sink's end. */
  eventEnded(uid: string, at: number): void {
    this.recorder.eventEnded(uid, at);
  }

  /**
   * Removes the buffer folders of cameras not running now (a run-time camera removed, a camera taken
   * out of the configuration, a crash before a buffer was closed); answers how many. Call once the
   * cameras of this boot have their buffers.
   */
  sweepStaleBuffers(): number {
    const root = join(this.o.dataDir, 'clip-buffer');
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      return 0;
    }
    const stale = entries.filter((name) => !this.buffers.has(name));
    for (const name of stale) rmSync(join(root, name), { recursive: true, force: true });
    return stale.length;
  }

  /** Finishes pending clips with the video there is; call after the cameras stopped, before the database closes. */
  async close(): Promise<void> {
    await this.recorder.close();
    for (const b of this.buffers.values()) b.close();
  }

  private view(uid: string): ClipView {
    if (this.recorder.isPending(uid)) return { state: 'recording' };
    const clip = this.store.ofEvent(uid);
    if (!clip) return { state: 'none' };
    const reasons = clip.reason ? clip.reason.split(',') : [];
    if (!clip.path || !existsSync(clip.path)) return { state: 'unavailable', reasons };
    return { state: 'ready', startedAt: clip.startedAt, endedAt: clip.endedAt, durationMs: clip.durationMs, bytes: clip.bytes, truncated: clip.truncated, reasons };
  }
}

export function createClips(options: ClipsOptions): Clips {
  return new Clips(options);
}
