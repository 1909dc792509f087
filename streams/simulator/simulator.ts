import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { terminate, trackChild } from '../ffmpeg/children';
import { simulatorMedia, type SimResolution, type SimSource } from './media';

/** Debian's python3-gi loads only in the system interpreter, not in another python3 on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';
const SERVER_SCRIPT = join(import.meta.dirname, 'rtsp_server.py');

export interface SimulatedCamera {
  /** Mount path without the slash, e.g. `cam1`. */
  name: string;
  resolution?: SimResolution;
  /** What the camera sees (default: the street video). */
  source?: SimSource;
  /** When set, the camera is served on the secure port and demands these credentials. */
  credentials?: { user: string; password: string };
}

export interface SimulatorOptions {
  cameras: SimulatedCamera[];
  /** 0 picks a free port. */
  port?: number;
  securePort?: number;
  startTimeoutMs?: number;
}

/**
 * A real RTSP server on 127.0.0.1 (GStreamer's gst-rtsp-server, run by rtsp_server.py) serving
 * looping H.264 cameras from real street video. Kill and restart it on the same ports to inject faults.
 */
export class CameraSimulator {
  private child: ChildProcess | undefined;
  private stderrTail = '';

  private constructor(
    private readonly options: SimulatorOptions,
    public port: number,
    public securePort: number | undefined,
  ) {}

  static async start(options: SimulatorOptions): Promise<CameraSimulator> {
    const sim = new CameraSimulator(options, options.port ?? 0, options.securePort);
    await sim.launch();
    return sim;
  }

  /** rtsp://127.0.0.1:PORT/name; with credentials embedded for a secure camera unless `credentials: false`. */
  url(name: string, { credentials = true }: { credentials?: boolean } = {}): string {
    const cam = this.options.cameras.find((c) => c.name === name);
    if (!cam) throw new Error(`simulator has no camera '${name}'`);
    if (!cam.credentials) return `rtsp://127.0.0.1:${this.port}/${name}`;
    const auth = credentials ? `${encodeURIComponent(cam.credentials.user)}:${encodeURIComponent(cam.credentials.password)}@` : '';
    return `rtsp://${auth}127.0.0.1:${this.securePort}/${name}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops cleanly (SIGTERM, SIGKILL after 2 s). */
  async stop(): Promise<void> {
    if (this.child) await terminate(this.child);
    this.child = undefined;
  }

  /** Dies abruptly, as a crashed camera server would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.child = undefined;
  }

  /** Starts again on the same ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  private async launch(): Promise<void> {
    if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} not found: the simulator needs Debian's python3-gi and gst-rtsp-server`);
    const mounts = this.options.cameras.map((c) => ({
      path: `/${c.name}`,
      file: simulatorMedia(c.resolution ?? '720p', c.source),
      user: c.credentials?.user ?? null,
      password: c.credentials?.password ?? null,
    }));
    const config = { host: '127.0.0.1', port: this.port, securePort: this.securePort ?? 0, mounts };
    const child = spawn(SYSTEM_PYTHON, [SERVER_SCRIPT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    const lines = createInterface({ input: child.stdout! });
    const ready = await new Promise<{ port: number; securePort?: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP simulator not ready after ${this.options.startTimeoutMs ?? 30_000} ms: ${this.stderrTail}`)), this.options.startTimeoutMs ?? 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`RTSP simulator exited with ${code} before it was ready: ${this.stderrTail.trim()}`));
      });
      lines.on('line', (line) => {
        if (!line.startsWith('READY ')) return;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as { port: number; securePort?: number });
      });
    });
    this.port = ready.port;
    this.securePort = ready.securePort;
  }
}
