import { execFileSync } from 'node:child_process';
import { ensureMedia, type MediaName } from '../scripts/media';
import type { RgbFrame } from '../models/image';

export function mediaPath(name: MediaName): string {
  return ensureMedia([name])[name];
}

function ffmpegBinary(): string {
  return process.env.FFMPEG_PATH ?? 'ffmpeg';
}

/** Decodes frame `index` (0-based) of a video to RGB24 with ffmpeg. */
export function videoFrame(name: MediaName, index: number): RgbFrame {
  const path = mediaPath(name);
  const probe = execFileSync(ffmpegBinary(), ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  const size = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim().split(',');
  const width = Number(size[0]);
  const height = Number(size[1]);
  if (probe.length !== width * height * 3) throw new Error(`${name} frame ${index}: got ${probe.length} bytes`);
  return { data: new Uint8Array(probe.buffer, probe.byteOffset, probe.length), width, height };
}
