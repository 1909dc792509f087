import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * node-rtsp-stream puts every option it is given after `-i`, where input options (RTSP transport,
 * socket timeout) do nothing. It does let us choose the ffmpeg binary, so it gets a tiny script that
 * execs the real ffmpeg with our input options first (exec: the pid it tracks is ffmpeg itself).
 */
export function writeFfmpegWrapper(ffmpegPath: string, leadingArgs: readonly string[]): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'live-relay-'));
  const path = join(dir, 'ffmpeg');
  writeFileSync(path, `#!/bin/sh\nexec ${[ffmpegPath, ...leadingArgs].map(quote).join(' ')} "$@"\n`);
  chmodSync(path, 0o700);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
