import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { resolveFfmpeg } from '../ffmpeg/binary';
import { terminate, trackChild } from '../ffmpeg/children';
import { inputOptions, inputPath } from '../camera/args';
import type { ParsedCameraSource } from '../camera/config';
import { streamsLog } from '../log';
import { writeFfmpegWrapper } from './ffmpeg-wrapper';

interface Mpeg1Muxer extends EventEmitter {
  stream: ChildProcess;
}
type Mpeg1MuxerClass = new (options: { url: string; ffmpegPath: string; ffmpegOptions: Record<string, string | number> }) => Mpeg1Muxer;

const require = createRequire(import.meta.url);
const Mpeg1MuxerCtor = require('node-rtsp-stream/mpeg1muxer') as Mpeg1MuxerClass;

/** A viewer that cannot keep up loses data rather than growing our memory. */
const MAX_BUFFERED_BYTES = 4 * 2 ** 20;
const RESTART_DELAY_MS = 2000;

export interface RelayOptions {
  /** Width of the relayed video (height keeps the aspect ratio). */
  width: number;
  bitrateKbps: number;
}

/**
 * One camera relayed as MPEG-TS/MPEG-1 (node-rtsp-stream's muxer, rate 25 as MPEG-1 requires) to
 * its websocket viewers. Its ffmpeg is separate from the detection stream's, so a relay failure
 * cannot touch detection; it restarts while viewers remain.
 */
export class Relay {
  private readonly viewers = new Set<WebSocket>();
  private muxer: Mpeg1Muxer | undefined;
  private wrapper: { path: string; remove: () => void } | undefined;
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
    return this.muxer?.stream.pid;
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws);
    ws.once('close', () => this.viewers.delete(ws));
    if (!this.muxer && !this.restartTimer) this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    for (const ws of this.viewers) ws.close(1001, 'relay stopped');
    this.viewers.clear();
    const proc = this.muxer?.stream;
    this.muxer = undefined;
    if (proc) await terminate(proc);
    this.wrapper?.remove();
    this.wrapper = undefined;
  }

  private spawn(): void {
    const binary = resolveFfmpeg();
    const leading = ['-loglevel', 'error', ...inputOptions({ ...this.camera, keyframesOnly: false }, binary.options)];
    this.wrapper ??= writeFfmpegWrapper(binary.path, leading);
    const muxer = new Mpeg1MuxerCtor({
      url: inputPath(this.camera.url),
      ffmpegPath: this.wrapper.path,
      ffmpegOptions: {
        '-r': 25,
        '-vf': `scale=${this.options.width}:-2`,
        '-b:v': `${this.options.bitrateKbps}k`,
        '-bf': 0,
        '-an': '',
      },
    });
    this.muxer = muxer;
    trackChild(muxer.stream);
    muxer.on('mpeg1data', (data: Buffer) => this.broadcast(data));
    muxer.on('ffmpegStderr', () => undefined);
    muxer.stream.once('exit', (code, signal) => {
      if (this.muxer === muxer) this.muxer = undefined;
      if (this.closed || this.viewers.size === 0) return;
      streamsLog().warn({ camera: this.camera.id, code, signal }, 'live relay ffmpeg exited; restarting');
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
