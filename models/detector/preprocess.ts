import sharp from 'sharp';
import type { RgbFrame } from '../image';
import type { InputTransform } from './types';

export type ResizeMode = 'stretch' | 'letterbox';

/** Grey padding used by the YOLO toolchains for letterboxing. */
const LETTERBOX_GREY = { r: 114, g: 114, b: 114 };

/**
 * Resizes an RGB24 frame to the model's input size with sharp (bilinear, in C) and writes the
 * packed RGB24 result into `dest` at `offset`. Returns how to map model pixels back to the frame.
 * A frame already at the input size (ffmpeg scaled it) is copied with no resampling.
 */
export async function resizeInto(
  frame: RgbFrame,
  width: number,
  height: number,
  mode: ResizeMode,
  dest: Uint8Array,
  offset: number,
): Promise<InputTransform> {
  const srcWidth = frame.width;
  const srcHeight = frame.height;
  if (srcWidth === width && srcHeight === height) {
    dest.set(frame.data, offset);
    return { scaleX: 1, scaleY: 1, padX: 0, padY: 0, srcWidth, srcHeight };
  }
  const raw = { raw: { width: srcWidth, height: srcHeight, channels: 3 as const } };
  if (mode === 'stretch') {
    const out = await sharp(frame.data, raw).resize(width, height, { kernel: 'linear', fit: 'fill' }).raw().toBuffer();
    dest.set(out, offset);
    return { scaleX: width / srcWidth, scaleY: height / srcHeight, padX: 0, padY: 0, srcWidth, srcHeight };
  }
  const scale = Math.min(width / srcWidth, height / srcHeight);
  const innerW = Math.max(1, Math.round(srcWidth * scale));
  const innerH = Math.max(1, Math.round(srcHeight * scale));
  const left = Math.floor((width - innerW) / 2);
  const top = Math.floor((height - innerH) / 2);
  const out = await sharp(frame.data, raw)
    .resize(innerW, innerH, { kernel: 'linear', fit: 'fill' })
    .extend({ left, top, right: width - innerW - left, bottom: height - innerH - top, background: LETTERBOX_GREY })
    .raw()
    .toBuffer();
  dest.set(out, offset);
  return { scaleX: innerW / srcWidth, scaleY: innerH / srcHeight, padX: left, padY: top, srcWidth, srcHeight };
}

/** Maps a box from model-input pixels to source-frame pixels, clipped to the frame. */
export function toSourceBox(
  t: InputTransform,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): { x1: number; y1: number; x2: number; y2: number } {
  const clipX = (v: number): number => Math.min(t.srcWidth, Math.max(0, (v - t.padX) / t.scaleX));
  const clipY = (v: number): number => Math.min(t.srcHeight, Math.max(0, (v - t.padY) / t.scaleY));
  return { x1: clipX(x1), y1: clipY(y1), x2: clipX(x2), y2: clipY(y2) };
}
