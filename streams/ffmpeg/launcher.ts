import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { resolveFfmpeg, type FfmpegBinary } from './binary';
import { terminate, trackChild } from './children';
import { closingError, keepWholeLines } from './stderr';

/** Raw stderr kept while ffmpeg runs, whole lines, for the exit message. */
const STDERR_KEEP = 16 * 1024;

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /**
   * `ffmpeg exited`, `ffmpeg exited with code 1: <its closing error lines>`, `ffmpeg was killed with
   * signal SIGTERM` or `ffmpeg could not start: ENOENT`. Raw ffmpeg text: mask it before showing it.
   */
  message: string;
  /** The end of stderr, at most 16 KiB of whole lines. Raw: mask it before showing it. */
  stderrTail: string;
}

export interface LaunchOptions {
  /** The binary to run (default: `resolveFfmpeg()`). */
  binary?: FfmpegBinary;
  /** Each stderr line as it comes. Raw ffmpeg text: it may name the camera's URL with its password. */
  onStderrLine?: (line: string) => void;
}

/** One running ffmpeg, tracked so that it never outlives the process (see children.ts). */
export interface FfmpegProcess {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly stdout: Readable;
  /** Settles (never rejects) once ffmpeg has exited and its pipes are drained. */
  readonly exited: Promise<FfmpegExit>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

function exitMessage(code: number | null, signal: NodeJS.Signals | null, stderrTail: string, spawnError: NodeJS.ErrnoException | undefined): string {
  if (spawnError) return `ffmpeg could not start: ${spawnError.code ?? spawnError.message}`;
  if (signal) return `ffmpeg was killed with signal ${signal}`;
  if (code === 0) return 'ffmpeg exited';
  return `ffmpeg exited with code ${code}: ${closingError(stderrTail)}`;
}

/**
 * The one way streams/ starts ffmpeg (camera stream, snapshot, live relay): spawns the chosen
 * binary with `args` (stdin closed, stdout and stderr piped), tracks the child, reads stderr line
 * by line and reports how it ended. Callers build the arguments; the camera path builds them with
 * fluent-ffmpeg.
 */
export function launchFfmpeg(args: readonly string[], options: LaunchOptions = {}): FfmpegProcess {
  const binary = options.binary ?? resolveFfmpeg();
  const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let stderrTail = '';
  let partial = '';
  let spawnError: NodeJS.ErrnoException | undefined;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderrTail = keepWholeLines(stderrTail + text, STDERR_KEEP);
    const lines = (partial + text).split(/\r\n|\r|\n/);
    partial = lines.pop() ?? '';
    if (options.onStderrLine) for (const line of lines) options.onStderrLine(line);
  });
  child.once('error', (err: NodeJS.ErrnoException) => {
    spawnError = err;
  });
  const exited = new Promise<FfmpegExit>((resolve) => {
    child.once('close', (code, signal) => {
      if (partial && options.onStderrLine) options.onStderrLine(partial);
      resolve({ code, signal, message: exitMessage(code, signal, stderrTail, spawnError), stderrTail });
    });
  });
  return {
    child,
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    exited,
    stop: (graceMs?: number) => terminate(child, graceMs),
  };
}
