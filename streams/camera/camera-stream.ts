import { EventEmitter } from 'node:events';
import { streamsLog } from '../log';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { probeFfmpeg } from '../ffmpeg/probe';
import { launchFfmpeg, type FfmpegProcess } from '../ffmpeg/launcher';
import { Backoff, withJitter } from './backoff';
import { detectionArgs } from './command';
import { parseCameraSource, type CameraSource, type ParsedCameraSource } from './config';
import { processCpuSeconds } from './cpu';
import type { Frame } from './frame';
import { FrameCutter } from './frame-cutter';
import type { CameraHealth, CameraState } from './health';
import { LatestFrame } from './latest-frame';
import { classifyStderr, FATAL_REASONS, parseShowinfo, type FailureReason } from './reasons';
import { ffmpegOutputMask, redactUrl } from './redact';
import { grabSnapshot } from './snapshot';
import { inputVideoCodec } from '../segments/codec';
import type { SegmentSink } from '../segments/buffer';

const FPS_WINDOW_MS = 5000;
const TICK_MS = 250;

export interface CameraStreamEvents {
  state: [health: CameraHealth];
}

/** Run-time parts handed in by the owner (not configuration). */
export interface CameraStreamOptions {
  /** The clip buffer: the same ffmpeg also copies the original video into its segments. */
  segments?: SegmentSink;
}

/**
 * One camera: one supervised ffmpeg that decodes, samples (fps) and scales in C and writes RGB24
 * to a pipe. The consumer pulls frames with `next()`; the newest frame wins. A watchdog restarts a
 * silent ffmpeg; every exit is a reconnect with backoff, or `failed` (slow retries) for causes
 * reconnecting cannot fix.
 */
export class CameraStream extends EventEmitter<CameraStreamEvents> {
  readonly config: ParsedCameraSource;
  private readonly mailbox = new LatestFrame();
  private readonly cutter: FrameCutter;
  private readonly backoff: Backoff;
  private readonly log;
  /** Masks the camera's credentials in every string that comes from ffmpeg, as it comes in. */
  private readonly mask: (text: string) => string;
  private readonly frameTimes: number[] = [];
  private readonly ptsByIndex = new Map<number, number>();
  private proc: FfmpegProcess | undefined;
  private state: CameraState = 'stopped';
  private reason: FailureReason | undefined;
  private detail: string | undefined;
  private since = Date.now();
  private retryAt: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private spawnedAt = 0;
  private streamingSince: number | undefined;
  private lastFrameAt: number | undefined;
  private lastReason: { reason: FailureReason; line: string } | undefined;
  private seq = 0;
  private indexInRun = 0;
  private framesIn = 0;
  private reconnects = 0;
  private runs = 0;
  private cpuDone = 0;
  private cpuCurrent = 0;
  private stopping = false;
  private watchdogFired: string | undefined;
  private fatalInARow = 0;
  private readonly segments: SegmentSink | undefined;
  private codecSeen = false;

  constructor(source: CameraSource, options: CameraStreamOptions = {}) {
    super();
    this.config = parseCameraSource(source);
    this.segments = options.segments;
    this.mask = ffmpegOutputMask(this.config.url);
    const { width, height } = this.config.detectSize;
    this.cutter = new FrameCutter(width * height * 3, (data) => this.onFrame(data));
    const b = this.config.backoff;
    this.backoff = new Backoff(b.initialMs, b.maxMs, b.jitter);
    this.log = streamsLog().child({ camera: this.config.id });
  }

  get id(): string {
    return this.config.id;
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.stopping = false;
    this.mailbox.reopen();
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    this.spawn();
  }

  /** Stops ffmpeg (SIGTERM, then SIGKILL) and wakes pending `next()` calls with null. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.ticker);
    this.mailbox.close();
    await this.proc?.stop();
    this.segments?.runEnded();
    this.setState('stopped');
  }

  /** The newest frame not yet taken, waiting for one if needed; null once stopped or aborted. */
  next(signal?: AbortSignal): Promise<Frame | null> {
    return this.mailbox.next(signal);
  }

  /** The waiting frame, if any, without waiting. */
  take(): Frame | undefined {
    return this.mailbox.take();
  }

  /** A full-resolution JPEG from a separate short-lived ffmpeg; the detection stream is untouched. */
  snapshot(timeoutMs = 15_000): Promise<Buffer> {
    return grabSnapshot(this.config, timeoutMs);
  }

  health(): CameraHealth {
    const now = Date.now();
    return {
      cameraId: this.config.id,
      url: redactUrl(this.config.url),
      state: this.state,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
      since: this.since,
      ...(this.retryAt ? { retryAt: this.retryAt } : {}),
      framesIn: this.framesIn,
      framesDelivered: this.mailbox.delivered,
      framesDropped: this.mailbox.dropped,
      reconnects: this.reconnects,
      lastFrameAgeMs: this.lastFrameAt === undefined ? null : now - this.lastFrameAt,
      measuredFps: this.measuredFps(now),
      ffmpegCpuSeconds: Math.round((this.cpuDone + this.cpuCurrent) * 100) / 100,
      ffmpegVersion: resolveFfmpeg().version,
      width: this.config.detectSize.width,
      height: this.config.detectSize.height,
    };
  }

  private spawn(): void {
    const binary = resolveFfmpeg();
    const cam = this.config;
    this.cutter.reset();
    this.ptsByIndex.clear();
    this.indexInRun = 0;
    this.lastReason = undefined;
    this.retryAt = undefined;
    if (this.runs++ > 0) this.reconnects++;
    this.spawnedAt = Date.now();
    this.setState('starting');
    const segmentRun = this.segments?.beginRun();
    // Once a codec was refused, runs go without the segment output and its codec is not re-checked.
    this.codecSeen = segmentRun === undefined;
    // ffmpeg's text enters here and only here: stderr lines (masked in onStderr) and the exit
    // message, which carries its closing error lines.
    const proc = launchFfmpeg(detectionArgs(cam, probeFfmpeg(binary.path), segmentRun), { binary, onStderrLine: (line) => this.onStderr(line) });
    this.proc = proc;
    proc.stdout.on('data', (chunk: Buffer) => this.cutter.push(chunk));
    void proc.exited.then((exit) => {
      if (this.proc === proc) this.onExit(this.mask(exit.message));
    });
  }

  /** Only numbers and a reason are read from the raw line; the text kept is masked first, then cut. */
  private onStderr(raw: string): void {
    const info = parseShowinfo(raw);
    if (info) {
      this.ptsByIndex.set(info.index, info.ptsTime);
      return;
    }
    if (!this.codecSeen) this.noteCodec(raw);
    const reason = classifyStderr(raw);
    if (reason && !this.lastReason) this.lastReason = { reason, line: this.mask(raw).trim().slice(0, 300) };
  }

  private onFrame(data: Buffer): void {
    const now = Date.now();
    const index = this.indexInRun++;
    const pts = this.ptsByIndex.get(index);
    this.ptsByIndex.delete(index);
    this.framesIn++;
    this.lastFrameAt = now;
    this.frameTimes.push(now);
    if (this.state !== 'streaming') {
      this.fatalInARow = 0;
      this.streamingSince = now;
      this.reason = undefined;
      this.detail = undefined;
      this.setState('streaming');
    }
    if (pts !== undefined) this.segments?.noteFrame(now, pts);
    const { width, height } = this.config.detectSize;
    this.mailbox.put({
      cameraId: this.config.id,
      seq: this.seq++,
      capturedAt: now,
      streamTime: pts ?? index / this.config.detectFps,
      width,
      height,
      data,
    });
  }

  /** The input's codec, from the first stream line of a run: the clip buffer keeps only what a browser MP4 can carry. */
  private noteCodec(line: string): void {
    const codec = inputVideoCodec(line);
    if (!codec) return;
    this.codecSeen = true;
    if (this.segments && !this.segments.noteCodec(codec)) this.log.warn({ codec }, 'camera cannot give clips: its codec cannot go into a browser MP4 by stream copy (H.264 or H.265 needed)');
  }

  private onExit(message: string): void {
    this.proc = undefined;
    this.segments?.runEnded();
    this.cpuDone += this.cpuCurrent;
    this.cpuCurrent = 0;
    if (this.stopping) return;
    const now = Date.now();
    if (this.streamingSince !== undefined && now - this.streamingSince >= this.config.backoff.resetAfterMs) this.backoff.reset();
    this.streamingSince = undefined;
    const cause = this.lastReason ?? (this.watchdogFired ? { reason: 'no_frames' as const, line: this.watchdogFired } : { reason: 'exited' as const, line: message.split('\n')[0]!.slice(0, 300) });
    this.watchdogFired = undefined;
    this.reason = cause.reason;
    this.detail = cause.line;
    this.fatalInARow = FATAL_REASONS.has(cause.reason) ? this.fatalInARow + 1 : 0;
    const fatal = this.fatalInARow >= this.config.backoff.failAfterAttempts;
    const delay = fatal ? Math.round(withJitter(this.config.backoff.failedRetryMs, this.config.backoff.jitter)) : this.backoff.next();
    this.retryAt = now + delay;
    this.log.warn({ reason: cause.reason, detail: cause.line, retryInMs: delay }, fatal ? 'camera failed' : 'camera reconnecting');
    this.setState(fatal ? 'failed' : 'reconnecting', now);
    this.retryTimer = setTimeout(() => {
      if (!this.stopping) this.spawn();
    }, delay);
  }

  private tick(): void {
    const now = Date.now();
    if (this.proc?.pid) {
      const cpu = processCpuSeconds(this.proc.pid);
      if (cpu !== undefined) this.cpuCurrent = cpu;
    }
    if (!this.proc || this.stopping) return;
    const framedThisRun = this.lastFrameAt !== undefined && this.lastFrameAt > this.spawnedAt;
    const silentFor = now - (framedThisRun ? this.lastFrameAt! : this.spawnedAt);
    const limit = framedThisRun ? this.config.watchdogMs : this.config.startTimeoutMs;
    if (silentFor >= limit && !this.watchdogFired) {
      this.watchdogFired = `no frame for ${Math.round(silentFor / 1000)} s: watchdog killed ffmpeg`;
      void this.proc.stop(1000);
    } else if (this.state === 'streaming' && silentFor >= this.config.stallAfterMs) {
      this.setState('stalled');
    }
  }

  private measuredFps(now: number): number {
    while (this.frameTimes.length && this.frameTimes[0]! < now - FPS_WINDOW_MS) this.frameTimes.shift();
    const n = this.frameTimes.length;
    if (n < 2) return 0;
    const span = this.frameTimes[n - 1]! - this.frameTimes[0]!;
    return span > 0 ? Math.round(((n - 1) / span) * 1000 * 10) / 10 : 0;
  }

  private setState(state: CameraState, at = Date.now()): void {
    if (state === this.state) return;
    this.state = state;
    this.since = at;
    if (state === 'streaming') this.log.info('camera streaming');
    this.emit('state', this.health());
  }
}
