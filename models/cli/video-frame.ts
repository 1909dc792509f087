import { execFileSync } from 'node:child_process';
import type { RgbFrame } from '../image';

function ffmpegBinary(): string {
  return process.env.FFMPEG_PATH ?? 'ffmpeg';
}

/** Decodes frame `index` (0-based) of a video file to RGB24 with ffmpeg (demo and tests only). */
export function readVideoFrame(path: string, index: number): RgbFrame {
  const size = execFileSync(ffmpegBinary().replace(/ffmpeg$/, 'ffprobe'), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path], { encoding: 'utf8' })
    .trim()
    .split(',');
  const width = Number(size[0]);
  const height = Number(size[1]);
  const data = execFileSync(
    ffmpegBinary(),
    ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 256 << 20 },
  );
  if (!(width > 0 && height > 0) || data.length !== width * height * 3) {
    throw new Error(`${path}: frame ${index} decoded to ${data.length} bytes, expected ${width}x${height}x3`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}
