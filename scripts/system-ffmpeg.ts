/**
 * The demo's ffmpeg on a first run: the system's (Debian's) when there is one; else, when this
 * process may install it, Debian's ffmpeg; else the binary shipped by npm, said once.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { AptInstaller } from './apt-install';

/** Whether `path` is a file this process may run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `path` (a PATH value). */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(executable);
}

export interface SystemFfmpegOptions {
  env?: NodeJS.ProcessEnv;
  /** Set when this process may install Debian packages (root with apt-get). */
  installer?: AptInstaller;
  print?: (line: string) => void;
}

export type FfmpegChoice = 'configured' | 'system' | 'installed' | 'npm';

export function ensureSystemFfmpeg(options: SystemFfmpegOptions = {}): FfmpegChoice {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => console.log(line));
  if (env.FFMPEG_PATH) return 'configured';
  if (onPath('ffmpeg', env.PATH)) return 'system';
  if (options.installer?.install('ffmpeg', ['ffmpeg']) && onPath('ffmpeg', env.PATH)) return 'installed';
  const why = options.installer ? 'could not be installed' : 'is not installed and this is not root (apt-get install ffmpeg installs it)';
  print(`ffmpeg: the system's ${why}; using the copy shipped by npm (@ffmpeg-installer/ffmpeg)`);
  return 'npm';
}
