import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assembleClip, type SegmentBuffer } from '../../streams/segments';
import type { ClipStore, NewClip } from '../store/clips';
import type { ClipsConfig } from './config';
import { planClip, type ClipReason } from './window';

/** Events that get no clip: the camera is offline, there is nothing to record. */
const NO_CLIP_TYPES = new Set(['camera_offline']);
const TICK_MS = 500;
/** Assemblies at once (each a short stream-copy ffmpeg, ~0.2 core-s): more wait their turn. */
const MAX_ASSEMBLIES = 2;

export interface ClipLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ClipRecorderOptions {
  config: ClipsConfig;
  /** Clips go to <dir>/<camera>/<YYYY-MM-DD>/<event uid>.mp4 */
  dir: string;
  store: ClipStore;
  buffer: (cameraId: string) => SegmentBuffer | undefined;
  log: ClipLog;
  now?: () => number;
}

interface Pending {
  uid: string;
  cameraId: string;
  fromMs: number;
  /** fromMs + maxClipSeconds */
  capMs: number;
  toMs: number | undefined;
  release: () => void;
}

/** A file or folder name from an id: never `.` or `..`, which would name a parent folder. */
const safeName = (s: string) => {
  const name = s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  return /^\.*$/.test(name) ? name.replace(/\./g, '_') || '_' : name;
};

/**
 * Turns events into clips: on start it pins the camera's buffer from `preRollSeconds` before; once
 * the buffer holds the window's end (postRoll after the event's end, capped), or a grace period after
 * it has passed without video (an outage), it joins the segments into an MP4 and saves the row.
 */
export class ClipRecorder {
  private readonly pending = new Map<string, Pending>();
  private readonly working = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private assembling = 0;
  private readonly turns: Array<() => void> = [];

  constructor(private readonly o: ClipRecorderOptions) {
    this.now = o.now ?? Date.now;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        o.log.error({ err }, 'clip recorder tick failed');
      }
    }, TICK_MS);
    this.timer.unref();
  }

  /** Waiting for its post-roll (the page says "being recorded"). */
  isPending(uid: string): boolean {
    return this.pending.has(uid);
  }

  eventStarted(e: { uid: string; cameraId: string; type: string; at: number }): void {
    if (this.closed || NO_CLIP_TYPES.has(e.type) || this.pending.has(e.uid)) return;
    const buffer = this.o.buffer(e.cameraId);
    if (!buffer) return;
    const fromMs = e.at - this.o.config.preRollSeconds * 1000;
    this.pending.set(e.uid, { uid: e.uid, cameraId: e.cameraId, fromMs, capMs: fromMs + this.o.config.maxClipSeconds * 1000, toMs: undefined, release: buffer.hold(fromMs) });
  }

  eventEnded(uid: string, at: number): void {
    const p = this.pending.get(uid);
    if (p) p.toMs = Math.min(at + this.o.config.postRollSeconds * 1000, p.capMs);
  }

  /** Finishes every pending clip with the video there is, then waits for the assemblies. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const at = this.now();
    for (const p of [...this.pending.values()]) {
      const toMs = Math.min(p.toMs ?? p.capMs, at);
      this.finish(p, toMs, toMs < (p.toMs ?? p.capMs) ? ['gateway_stopped'] : []);
    }
    await Promise.all(this.working);
  }

  private tick(): void {
    const at = this.now();
    const graceMs = 2 * this.o.config.segmentSeconds * 1000 + 3000;
    for (const p of [...this.pending.values()]) {
      // An event longer than maxClipSeconds: the clip is its first maxClipSeconds.
      const capped = p.toMs === undefined && at >= p.capMs;
      const toMs = p.toMs ?? (capped ? p.capMs : undefined);
      if (toMs === undefined) continue;
      const buffer = this.o.buffer(p.cameraId);
      if ((buffer?.latestEndMs() ?? 0) >= toMs) this.finish(p, toMs, capped ? ['max_clip_seconds'] : []);
      else if (at >= toMs + graceMs) this.finish(p, toMs, capped ? ['max_clip_seconds'] : []);
    }
  }

  private finish(p: Pending, toMs: number, extra: ClipReason[]): void {
    this.pending.delete(p.uid);
    const job = this.make(p, toMs, extra)
      .catch((err: unknown) => this.o.log.error({ err, camera: p.cameraId, event: p.uid }, 'clip failed'))
      .finally(() => {
        p.release();
        this.working.delete(job);
      });
    this.working.add(job);
  }

  private async make(p: Pending, toMs: number, extra: ClipReason[]): Promise<void> {
    const buffer = this.o.buffer(p.cameraId);
    const base = { eventUid: p.uid, cameraId: p.cameraId, createdAt: this.now() };
    const none = (reason: ClipReason) => this.save({ ...base, path: null, startedAt: p.fromMs, endedAt: toMs, durationMs: 0, bytes: 0, truncated: true, reason });
    const unsupported = buffer?.status().unsupported;
    if (!buffer || unsupported) return none('unsupported_codec');
    const plan = planClip(buffer.window(p.fromMs, toMs), p.fromMs, toMs);
    if (!plan) return none(buffer.status().paused ? 'buffer_paused' : 'no_video');
    const day = new Date(plan.startMs).toISOString().slice(0, 10);
    const dir = join(this.o.dir, safeName(p.cameraId), day);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${safeName(p.uid)}.mp4`);
    let made;
    try {
      made = await this.inTurn(() => assembleClip(plan.segments.map((s) => s.path), path, { durationSeconds: (plan.endMs - plan.startMs) / 1000, codec: buffer.status().codec }));
    } catch (err) {
      this.o.log.error({ err, camera: p.cameraId, event: p.uid }, 'clip assembly failed');
      return none('assembly_failed');
    }
    const reasons = [...new Set([...plan.reasons, ...extra])];
    this.save({ ...base, path, startedAt: plan.startMs, endedAt: plan.endMs, durationMs: Math.round(made.durationSeconds * 1000), bytes: made.bytes, truncated: reasons.length > 0, reason: reasons.join(',') || null });
    if (reasons.length) this.o.log.warn({ camera: p.cameraId, event: p.uid, reasons }, 'clip truncated');
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    // A finished assembly hands its slot straight to the next in line.
    if (this.assembling >= MAX_ASSEMBLIES) await new Promise<void>((resolve) => this.turns.push(resolve));
    else this.assembling++;
    try {
      return await work();
    } finally {
      const next = this.turns.shift();
      if (next) next();
      else this.assembling--;
    }
  }

  private save(clip: NewClip): void {
    this.o.store.save(clip);
    // The disk bound: oldest clips go first.
    for (const victim of this.o.store.evictOver(this.o.config.maxDiskMiB * 1024 * 1024)) {
      try {
        unlinkSync(victim);
      } catch {
        // gone already; the retention sweep removes strays
      }
    }
  }
}
