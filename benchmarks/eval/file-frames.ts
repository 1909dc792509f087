/**
 * A video file as a pull-based camera for the pipeline: ffmpeg (resolved and launched as streams/
 * does) decodes every `every`-th frame (exact frame numbers: `select=not(mod(n\,every))`), scales it
 * to the detect size as streams/camera/args.ts does for a camera without letterbox, and hands out
 * each frame when the pipeline asks: none is dropped, ffmpeg waits while a few are buffered.
 * capturedAt = t0 + frameNumber * (1000 / fps), so frame numbers come back from the time.
 */
import type { CameraHealth, Frame } from '../../streams';
import { FrameCutter } from '../../streams/camera/frame-cutter';
import { resolveFfmpeg } from '../../streams/ffmpeg/binary';
import { launchFfmpeg, type FfmpegProcess } from '../../streams/ffmpeg/launcher';
import { probeFfmpeg } from '../../streams/ffmpeg/probe';
import type { FrameSource } from '../../gateway/pipeline/camera-pipeline';

export interface FileFramesOptions {
  cameraId: string;
  path: string;
  /** The video's frame rate (frames per second). */
  fps: number;
  /** Keep every n-th frame (fps / detectFps). */
  every: number;
  width: number;
  height: number;
  /** capturedAt of frame 0 (ms). */
  t0: number;
  /** Hand out at most this many frames (a shorter run); default: the whole file. */
  maxFrames?: number;
}

/** Frames buffered before ffmpeg's output is paused. */
const HIGH_WATER = 4;

export class FileFrames implements FrameSource {
  private proc: FfmpegProcess | undefined;
  private readonly queue: Frame[] = [];
  private waiting: ((f: Frame | null) => void) | undefined;
  private ended = false;
  private delivered = 0;
  private decoded = 0;
  private readonly startedAt = Date.now();
  private stopping = false;
  /** Set when ffmpeg failed before the end of the file. */
  error: string | undefined;
  readonly frameMs: number;
  /** Settles once next() has answered null: the consumer is done with every frame. */
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly o: FileFramesOptions) {
    this.frameMs = 1000 / o.fps;
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  /** The video frame number a capturedAt stands for. */
  frameOf(capturedAt: number): number {
    return Math.round((capturedAt - this.o.t0) / this.frameMs);
  }

  get framesDelivered(): number {
    return this.delivered;
  }

  start(): void {
    if (this.proc) return;
    const binary = resolveFfmpeg();
    const { width: w, height: h, every } = this.o;
    const args = [
      '-nostdin', '-hide_banner', '-v', 'error', '-i', this.o.path,
      '-vf', `select=not(mod(n\\,${every})),scale=${w}:${h}:flags=bilinear`,
      probeFfmpeg(binary.path).frameTiming, 'passthrough',
      '-an', '-sn', '-dn', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ];
    const proc = launchFfmpeg(args, { binary });
    this.proc = proc;
    const cutter = new FrameCutter(w * h * 3, (data) => {
      const n = this.decoded++ * every;
      const frame: Frame = { cameraId: this.o.cameraId, seq: n, capturedAt: this.o.t0 + n * this.frameMs, streamTime: n / this.o.fps, width: w, height: h, data };
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        this.hand(resolve, frame);
      } else {
        this.queue.push(frame);
        if (this.queue.length >= HIGH_WATER) proc.stdout.pause();
      }
    });
    proc.stdout.on('data', (chunk: Buffer) => cutter.push(chunk));
    void proc.exited.then((exit) => {
      if (exit.code !== 0 && !this.stopping) this.error = exit.message;
      this.ended = true;
      if (this.waiting) this.hand(this.waiting, null);
      this.waiting = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.ended = true;
    this.queue.length = 0;
    if (this.waiting) this.hand(this.waiting, null);
    this.waiting = undefined;
    await this.proc?.stop(1000);
  }

  next(): Promise<Frame | null> {
    if (this.o.maxFrames !== undefined && this.delivered >= this.o.maxFrames) return this.none();
    const frame = this.queue.shift();
    if (frame) {
      if (this.queue.length < HIGH_WATER) this.proc?.stdout.resume();
      return new Promise((resolve) => this.hand(resolve, frame));
    }
    if (this.ended) return this.none();
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.proc?.stdout.resume();
    });
  }

  private none(): Promise<null> {
    this.finish();
    return Promise.resolve(null);
  }

  private hand(resolve: (f: Frame | null) => void, frame: Frame | null): void {
    if (frame) this.delivered++;
    else this.finish();
    resolve(frame);
  }

  health(): CameraHealth {
    const { cameraId, path, width, height } = this.o;
    return {
      cameraId,
      url: path,
      state: this.ended ? 'stopped' : 'streaming',
      since: this.startedAt,
      framesIn: this.decoded,
      framesDelivered: this.delivered,
      framesDropped: 0,
      reconnects: 0,
      lastFrameAgeMs: 0,
      measuredFps: this.o.fps / this.o.every,
      ffmpegCpuSeconds: 0,
      ffmpegVersion: resolveFfmpeg().version,
      width,
      height,
    };
  }
}
