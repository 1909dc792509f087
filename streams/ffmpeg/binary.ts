import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface FfmpegBinary {
  path: string;
  /**
   * First line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.6-0+deb12u1 ...": for display only
   * (a git snapshot's says "N-47683-g0e8eb07980"); option names come from probe.ts.
   */
  version: string;
  source: 'env' | 'system' | 'npm';
}

let cached: FfmpegBinary | undefined;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && executable(candidate)) return candidate;
  }
  return undefined;
}

/** The binary shipped inside @ffmpeg-installer (an optional dependency: a package, not a download). */
function fromNpm(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path?: string };
    return installer.path && executable(installer.path) ? installer.path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * FFMPEG_PATH, else the system ffmpeg (Debian's), else the one from npm. Cached after the first call.
 * (No imports beyond node: the camera-simulator image copies this file alone.)
 */
export function resolveFfmpeg(): FfmpegBinary {
  if (cached) return cached;
  const env = process.env.FFMPEG_PATH;
  const candidates: Array<[string | undefined, FfmpegBinary['source']]> = [
    [env, 'env'],
    [onPath('ffmpeg'), 'system'],
    [fromNpm(), 'npm'],
  ];
  for (const [path, source] of candidates) {
    if (!path) continue;
    if (!executable(path)) {
      if (source === 'env') throw new Error(`FFMPEG_PATH=${path} is not an executable file`);
      continue;
    }
    const version = execFileSync(path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0] ?? 'unknown';
    cached = { path, version: version.trim(), source };
    return cached;
  }
  throw new Error('no ffmpeg found: install it (apt-get install ffmpeg), set FFMPEG_PATH, or install the optional @ffmpeg-installer/ffmpeg');
}

/** ffprobe beside the chosen ffmpeg, or on PATH. */
export function resolveFfprobe(): string {
  const beside = resolveFfmpeg().path.replace(/ffmpeg$/, 'ffprobe');
  if (executable(beside)) return beside;
  const found = onPath('ffprobe');
  if (!found) throw new Error('no ffprobe found beside ffmpeg or on PATH');
  return found;
}
