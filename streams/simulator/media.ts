import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../media/cache-dir';
import { ensureMedia } from '../media/debian-media';
import { resolveFfmpeg } from '../ffmpeg/binary';

export const SIM_RESOLUTIONS = { '576p': 576, '720p': 720, '1080p': 1080 } as const;
export type SimResolution = keyof typeof SIM_RESOLUTIONS;
export const SIM_FPS = 15;
/** A keyframe every 2 s, as a typical IP camera is configured. */
export const SIM_GOP = SIM_FPS * 2;
/** `street`: vtest.avi, people walking. `still`: one frame of it held for 20 s (a static scene). */
export type SimSource = 'street' | 'still';

/** Frame 100 of vtest.avi as a PNG, for the static scene. */
function stillFrame(dir: string): string {
  const png = join(dir, 'vtest-frame100.png');
  if (!existsSync(png)) {
    const video = ensureMedia(['vtest.avi'])['vtest.avi'];
    execFileSync(resolveFfmpeg().path, ['-v', 'error', '-y', '-i', video, '-vf', 'select=eq(n\\,100)', '-frames:v', '1', png]);
  }
  return png;
}

/**
 * vtest.avi (a real street scene from opencv-doc) as H.264 at the given height and 15 fps with a
 * keyframe every 2 s, transcoded once into the cache.
 */
export function simulatorMedia(resolution: SimResolution, source: SimSource = 'street'): string {
  const height = SIM_RESOLUTIONS[resolution];
  const dir = join(cacheDir(), 'sim');
  const target = join(dir, `vtest-${source === 'still' ? 'still-' : ''}${resolution}-${SIM_FPS}fps-g${SIM_GOP}.mp4`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const video = source === 'still' ? stillFrame(dir) : ensureMedia(['vtest.avi'])['vtest.avi'];
  const tmp = `${target}.${process.pid}.tmp.mp4`;
  const input = source === 'still' ? ['-loop', '1', '-t', '20', '-i', video] : ['-i', video];
  const still = source === 'still' ? ['-frames:v', String(SIM_FPS * 20)] : [];
  execFileSync(resolveFfmpeg().path, [
    '-v', 'error', '-y', ...input,
    '-vf', `scale=-2:${height}`, '-r', String(SIM_FPS), ...still,
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-g', String(SIM_GOP), '-keyint_min', String(SIM_GOP), '-sc_threshold', '0',
    '-an', '-movflags', '+faststart', tmp,
  ], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  renameSync(tmp, target);
  return target;
}
