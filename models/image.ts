import sharp from 'sharp';
import { ModelError } from './errors';

/** A packed RGB24 image: `data.length === width * height * 3`. */
export interface RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Throws a ModelError naming `field` when the frame is not a well-formed RGB24 image. */
export function assertRgbFrame(frame: RgbFrame, field = 'frame'): void {
  if (!frame || !(frame.data instanceof Uint8Array)) {
    throw new ModelError(`${field}.data must be a Uint8Array of RGB pixels`, `${field}.data`);
  }
  const { width, height } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ModelError(`${field} has size ${width}x${height}; width and height must be positive integers`, field);
  }
  const expected = width * height * 3;
  if (frame.data.length !== expected) {
    throw new ModelError(
      `${field}.data has ${frame.data.length} bytes, expected ${expected} (${width}x${height}x3)`,
      `${field}.data`,
    );
  }
}

/** Decodes an image file or buffer to RGB24; greyscale and alpha images become 3-channel RGB. */
export async function decodeImage(input: string | Buffer): Promise<RgbFrame> {
  try {
    const { data, info } = await sharp(input)
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    const what = typeof input === 'string' ? input : 'image buffer';
    throw new ModelError(`cannot decode ${what}: ${(err as Error).message}`, what);
  }
}
