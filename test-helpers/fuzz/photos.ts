import sharp from 'sharp';
import { mediaPath } from '../media';
import type { Rng } from './prng';
import type { Hostile } from './values';

export interface PhotoSet {
  all: ReadonlyArray<readonly [number, string, Uint8Array]>;
}

/** A PNG whose header claims `width`×`height` over a 1×1 image's data (its CRC no longer matches). */
function lyingPng(onePixel: Buffer, width: number, height: number): Uint8Array {
  const copy = Buffer.from(onePixel);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  return new Uint8Array(copy);
}

/**
 * Upload payloads for the enrolment routes, weighted: mostly cheap refusals (not an image, broken
 * headers, no face), a few that decode big, and a real portrait now and then so a hostile name
 * next to a usable photo reaches the store.
 */
export async function hostilePhotos(): Promise<PhotoSet> {
  const onePixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer();
  const grey = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#336699' } }).jpeg().toBuffer();
  const portrait = await sharp(mediaPath('astronaut.png')).resize(256).jpeg({ quality: 80 }).toBuffer();
  const bigPlain = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#ffffff' } }).png({ compressionLevel: 9 }).toBuffer();
  const svg = (w: number, h: number) => new Uint8Array(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="red"/></svg>`));
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s));
  return {
    all: [
      [4, 'empty file', new Uint8Array(0)],
      [4, 'text, not an image', utf8('definitely not a jpeg')],
      [3, 'JPEG magic only', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])],
      [3, 'truncated JPEG', new Uint8Array(grey.subarray(0, grey.length >> 1))],
      [3, '1×1 PNG', new Uint8Array(onePixel)],
      [3, '96×96 grey JPEG (no face)', new Uint8Array(grey)],
      [2, 'PNG claiming 100000×100000', lyingPng(onePixel, 100_000, 100_000)],
      [2, 'PNG claiming 0×0', lyingPng(onePixel, 0, 0)],
      [2, 'SVG 100000×100000', svg(100_000, 100_000)],
      [1, 'SVG 3000×3000', svg(3000, 3000)],
      [1, 'PNG 4000×4000 white', new Uint8Array(bigPlain)],
      [1, 'SVG with external image', utf8('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><image xlink:href="file:///etc/passwd" width="64" height="64"/></svg>')],
      [2, 'portrait with one face', new Uint8Array(portrait)],
    ],
  };
}

export function pickPhoto(rng: Rng, set: PhotoSet): Hostile<Uint8Array> {
  const [label, bytes] = rng.weighted(set.all.map(([w, l, b]) => [w, [l, b] as const] as const));
  return { value: bytes, label: `photo ${label}` };
}
