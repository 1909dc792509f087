import { randomUUID } from 'node:crypto';
import type { Detection } from '../../models';
import type { CameraHealth, CameraStream } from '../../streams';
import type { CameraConfig } from '../config';
import type { InferencePool } from '../inference';
import { Tracker, trackerOptionsFor, type BoxXYXY } from '../tracking';
import { footPoint, pointInPolygon } from '../zones';
import type { EventSink } from './events';
import { FacePath, type FacePathOptions } from './face-path';
import { MotionGate } from './motion';
import { percentile } from '../util/percentile';
import { threadCpuClock } from '../util/thread-cpu';

/** The main thread's CPU clock (ms): stage costs are CPU spent, not waits for a core. */
const cpuNow = threadCpuClock();
import { ZoneRules, type MinuteStat } from './rules';
import { TrackSummaries, type TrackSummary } from './track-summary';
import type { FrameObservation } from './frame-observation';

export type { FrameObservation } from './frame-observation';

/**
 * What the pipeline needs of a camera: a CameraStream, or anything else that hands out its frames.
 * Each frame's buffer becomes the pipeline's: it moves to the inference worker (no copy), so a
 * source must not hand the same buffer out twice (CameraStream allocates one per frame).
 */
export type FrameSource = Pick<CameraStream, 'start' | 'stop' | 'next' | 'health'>;

export interface PipelineDeps {
  stream: FrameSource;
  pool: InferencePool;
  sink: EventSink;
  onMinute: (s: MinuteStat) => void;
  /** `models.personThreshold`: the score at which a detection starts a track, so is counted (trackerOptionsFor). */
  personThreshold: number;
  timeZone: string;
  /** A camera not streaming for this long raises camera_offline. */
  offlineAfterMs?: number;
  /** Face recognition, for cameras that have it on. */
  faces?: FacePathOptions;
  /** Called when an event starts, with the frame it started on and the people's boxes. */
  /** Called with each person's summary when their track ends. */
  onTrackEnded?: (s: TrackSummary) => void;
  onSnapshot?: (uid: string, cameraId: string, frame: { data: Uint8Array; width: number; height: number }, boxes: BoxXYXY[], at: number) => void;
  /** Called after the rules for every detected frame: what was detected, tracked and counted. */
  onFrame?: (f: FrameObservation) => void;
}

export interface PipelineLive {
  camera: CameraHealth;
  zones: ReturnType<ZoneRules['liveZones']>;
  activeTracks: number;
  detectedFrames: number;
  motionSkipped: number;
  watchlistMatches: number;
  /** Frame capture to rules applied, ms. */
  latencyMs: { p50: number; p99: number };
}

/**
 * One camera's hot path: frames (streams/) → motion gate → shared inference pool → tracker → zone
 * rules → events. Awaiting each detection is the backpressure: frames that arrive meanwhile are
 * replaced in the stream's one-frame mailbox and counted as dropped.
 */
export class CameraPipeline {
  private readonly tracker: Tracker;
  private readonly gate = new MotionGate();
  private rules: ZoneRules;
  private config: CameraConfig;
  private readonly summaries: TrackSummaries;
  private readonly latencies: number[] = [];
  /** Main-thread milliseconds of this camera's frames: the motion check, and tracking with the rules. */
  private readonly spent = { motionMs: 0, trackingMs: 0 };
  /** Frames the motion gate kept from the detector (none while the gate is off: it still watches for tampering). */
  private motionSkipped = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private activeTracks = 0;
  private detectedFrames = 0;
  private tamperUid: string | undefined;
  private offlineUid: string | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly facePath: FacePath | undefined;
  private currentFrame: { data: Uint8Array; width: number; height: number } | undefined;
  private currentBoxes: BoxXYXY[] = [];
  /** Forwards events and snapshots the frame each one starts on. */
  private readonly sink: EventSink = {
    start: (e) => {
      this.deps.sink.start(e);
      if (this.currentFrame) this.deps.onSnapshot?.(e.uid, this.camera.id, this.currentFrame, this.currentBoxes, e.at);
    },
    update: (uid, at, data) => this.deps.sink.update(uid, at, data),
    end: (uid, at, data) => this.deps.sink.end(uid, at, data),
  };

  constructor(
    camera: CameraConfig,
    private readonly deps: PipelineDeps,
  ) {
    this.config = camera;
    this.tracker = new Tracker(trackerOptionsFor(deps.personThreshold));
    this.summaries = new TrackSummaries(camera.id, (s) => deps.onTrackEnded?.(s));
    this.rules = new ZoneRules(camera, deps.timeZone, this.sink, deps.onMinute, this.summaries);
    this.facePath = camera.faceRecognition && deps.faces ? new FacePath(camera.id, deps.faces, this.sink) : undefined;
  }

  /** The camera's configuration, with the zones in effect now. */
  get camera(): CameraConfig {
    return this.config;
  }

  /**
   * Puts new zones into effect between two frames without touching the stream: the old rules end
   * (see ZoneRules.close: open zone events end, in-zone waits and dwell restart) and new ones start
   * from the next frame, keeping the current minute's statistics of zones that kept id and type.
   */
  setZones(zones: CameraConfig['zones'], now = Date.now()): void {
    const previous = this.rules;
    previous.close(now);
    this.config = { ...this.config, zones };
    this.rules = new ZoneRules(this.config, this.deps.timeZone, this.sink, this.deps.onMinute, this.summaries);
    this.rules.adoptMinutes(previous);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.deps.stream.start();
    this.loop = this.run();
    this.healthTimer = setInterval(() => this.checkOffline(Date.now()), 1000);
    this.healthTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.healthTimer);
    await this.deps.stream.stop();
    await this.loop;
    const now = Date.now();
    const ended = this.tracker.flush();
    this.rules.update([], ended, this.camera.detectSize.width, this.camera.detectSize.height, now);
    // Conditions (a long queue, a crowd) would otherwise stay open in the store across the restart.
    this.rules.close(now, 'gateway_stopped');
    this.summaries.end(ended);
  }

  live(now = Date.now()): PipelineLive {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      camera: this.deps.stream.health(),
      zones: this.rules.liveZones(now),
      activeTracks: this.activeTracks,
      detectedFrames: this.detectedFrames,
      motionSkipped: this.motionSkipped,
      watchlistMatches: this.facePath?.matches ?? 0,
      latencyMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)) },
    };
  }

  /** Frames handled so far and the main-thread milliseconds they cost (see frame-costs.ts). */
  costs(): { detectedFrames: number; handledFrames: number; motionMs: number; trackingMs: number } {
    return { detectedFrames: this.detectedFrames, handledFrames: this.detectedFrames + this.motionSkipped, ...this.spent };
  }

  private async run(): Promise<void> {
    const { stream, pool } = this.deps;
    while (this.running) {
      const frame = await stream.next();
      if (!frame) break;
      const checked = cpuNow();
      const motion = this.gate.check(frame, frame.capturedAt);
      this.spent.motionMs += cpuNow() - checked;
      this.tamper(motion.tamper, frame.capturedAt);
      if (!motion.detect && this.camera.motionGate) {
        this.motionSkipped++;
        continue;
      }
      // The pool moves the buffer to its worker and back into job.data: from here on the frame is `job`.
      const job = { data: frame.data as Uint8Array, width: frame.width, height: frame.height, capturedAt: frame.capturedAt };
      let detections: Detection[] | null;
      try {
        detections = await pool.submit(this.camera.id, job);
      } catch {
        continue;
      }
      if (!detections) continue;
      const tracked = cpuNow();
      this.detectedFrames++;
      this.track(detections, job);
      this.spent.trackingMs += cpuNow() - tracked;
      this.latencies.push(Date.now() - job.capturedAt);
      if (this.latencies.length > 2000) this.latencies.splice(0, 1000);
    }
  }

  /** Tracker, zone rules, observers and the face path for one detected frame. */
  private track(detections: Detection[], frame: { data: Uint8Array; width: number; height: number; capturedAt: number }): void {
    const people = detections.filter((d) => d.label === 'person' && !this.masked(d, frame.width, frame.height));
    const persons = people.map((d) => ({ box: d.box, score: d.score }));
    const { active, ended } = this.tracker.update(persons, frame.capturedAt, frame);
    this.activeTracks = active.length;
    this.currentFrame = frame;
    this.currentBoxes = active.map((t) => t.box);
    this.summaries.observe(active, frame.capturedAt);
    this.rules.update(active, ended, frame.width, frame.height, frame.capturedAt);
    this.deps.onFrame?.({
      at: frame.capturedAt,
      width: frame.width,
      height: frame.height,
      detections: persons,
      tracks: active.map((t) => ({ id: t.id, box: { ...t.box }, score: t.score })),
      zones: this.rules.liveZones(frame.capturedAt),
    });
    this.summaries.end(ended);
    this.facePath?.forget(ended);
    this.facePath?.offer(frame, active);
  }

  private masked(d: Detection, width: number, height: number): boolean {
    if (this.camera.masks.length === 0) return false;
    const [x, y] = footPoint(d.box, width, height);
    return this.camera.masks.some((m) => pointInPolygon(x, y, m));
  }

  private tamper(kind: string | undefined, at: number): void {
    if (kind && !this.tamperUid) {
      this.tamperUid = randomUUID();
      this.sink.start({ uid: this.tamperUid, cameraId: this.camera.id, type: 'camera_tampered', severity: 'high', at, data: { kind } });
    } else if (!kind && this.tamperUid) {
      this.deps.sink.end(this.tamperUid, at, {});
      this.tamperUid = undefined;
    }
  }

  private checkOffline(now: number): void {
    const h = this.deps.stream.health();
    const down = h.state !== 'streaming' && h.state !== 'stalled' && h.state !== 'stopped';
    if (down && !this.offlineUid && now - h.since >= (this.deps.offlineAfterMs ?? 30_000)) {
      this.offlineUid = randomUUID();
      this.sink.start({ uid: this.offlineUid, cameraId: this.camera.id, type: 'camera_offline', severity: 'high', at: now, data: { state: h.state, reason: h.reason ?? null, detail: h.detail ?? null } });
    } else if (h.state === 'streaming' && this.offlineUid) {
      this.deps.sink.end(this.offlineUid, now, {});
      this.offlineUid = undefined;
    }
  }
}
