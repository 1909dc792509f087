import type { WebSocket } from 'ws';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { probeFfmpeg } from '../ffmpeg/probe';
import { launchFfmpeg, type FfmpegProcess } from '../ffmpeg/launcher';
import { inputOptions, inputPath } from '../camera/args';
import type { ParsedCameraSource } from '../camera/config';
import { ffmpegOutputMask } from '../camera/redact';
import { streamsLog } from '../log';

/** A viewer that cannot keep up loses data rather than growing our memory. */
const MAX_BUFFERED_BYTES = 4 * 2 ** 20;
const RESTART_DELAY_MS = 2000;

export interface RelayOptions {
  /** Width of the relayed video (height keeps the aspect ratio). */
  width: number;
  bitrateKbps: number;
}

/**
 * The relay's ffmpeg arguments: the camera's input options, then MPEG-1 video (rate 25, as MPEG-1
 * requires, no B-frames) in MPEG-TS to stdout, the stream jsmpeg players read.
 */
export function relayArgs(camera: ParsedCameraSource, options: RelayOptions): string[] {
  const binary = resolveFfmpeg();
  return [
    '-loglevel', 'error', ...inputOptions({ ...camera, keyframesOnly: false, fastDecode: false }, probeFfmpeg(binary.path)), '-i', inputPath(camera.url),
    '-f', 'mpegts', '-codec:v', 'mpeg1video', '-r', '25', '-vf', `scale=${options.width}:-2`, '-b:v', `${options.bitrateKbps}k`, '-bf', '0', '-an', '-',
  ];
}

/**
 * One camera relayed as MPEG-TS/MPEG-1 to its websocket viewers. Its ffmpeg is separate from the
 * detection stream's, so a relay failure cannot touch detection; it restarts while viewers remain.
 */
export class Relay {
  private readonly viewers = new Set<WebSocket>();
  private proc: FfmpegProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;
  bytesSent = 0;
  restarts = 0;

  constructor(
    readonly camera: ParsedCameraSource,
    private readonly options: RelayOptions,
  ) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws);
    ws.once('close', () => this.viewers.delete(ws));
    if (!this.proc && !this.restartTimer) this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    for (const ws of this.viewers) ws.close(1001, 'relay stopped');
    this.viewers.clear();
    const proc = this.proc;
    this.proc = undefined;
    await proc?.stop();
  }

  private spawn(): void {
    const proc = launchFfmpeg(relayArgs(this.camera, this.options));
    this.proc = proc;
    proc.stdout.on('data', (data: Buffer) => this.broadcast(data));
    void proc.exited.then(({ code, signal, message }) => {
      if (this.proc === proc) this.proc = undefined;
      if (this.closed || this.viewers.size === 0) return;
      const detail = ffmpegOutputMask(this.camera.url)(message).split('\n')[0]!.slice(0, 300);
      streamsLog().warn({ camera: this.camera.id, code, signal, detail }, 'live relay ffmpeg exited; restarting');
      this.restarts++;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.closed && this.viewers.size > 0) this.spawn();
      }, RESTART_DELAY_MS);
    });
  }

  private broadcast(data: Buffer): void {
    for (const ws of this.viewers) {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      ws.send(data, { binary: true });
      this.bytesSent += data.length;
    }
  }
}
