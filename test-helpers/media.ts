import { ensureMedia, type MediaName } from '../scripts/media';
import { readVideoFrame } from '../models/cli/video-frame';
import type { RgbFrame } from '../models/image';

export function mediaPath(name: MediaName): string {
  return ensureMedia([name])[name];
}

/** Decodes frame `index` (0-based) of a cached video to RGB24 with ffmpeg. */
export function videoFrame(name: MediaName, index: number): RgbFrame {
  return readVideoFrame(mediaPath(name), index);
}
