import sharp from 'sharp';
import type { Face, FaceEngine, RgbFrame } from '../../models';
import { PhotoRefused } from './photo-refused';
import { PHOTO_CHECKS } from './photo-slots';

/** Photos bigger than this are refused before decoding. */
export const MAX_PHOTO_BYTES = 6 * 2 ** 20;
/**
 * Photos with more pixels than this are refused from their header, before decoding: a few KB of PNG
 * can hold 16000x16000 pixels (768 MB decoded). 25 megapixels takes a 24 MP camera's photo (75 MB decoded).
 */
export const MAX_PHOTO_PIXELS = 25_000_000;
const MIN_FACE_PX = 40;

/**
 * One embedding per enrolment photo: the photo must be an image with exactly one face large enough
 * to align. Each refusal is a PhotoRefused naming the photo; at most PHOTO_CHECKS run at once.
 */
export async function embedEnrolmentPhoto(engine: FaceEngine, bytes: Buffer, field: string): Promise<Float32Array> {
  return PHOTO_CHECKS.run(field, async () => (await enrolmentFace(engine, bytes, field)).face.embedding);
}

/** Decodes a photo to RGB after its header showed a size within the limits; never more than MAX_PHOTO_PIXELS. */
async function decodePhoto(bytes: Buffer, field: string): Promise<RgbFrame> {
  const notAnImage = () => new PhotoRefused('not_an_image', `${field} is not an image sharp can read (JPEG, PNG, WebP, ...)`, field);
  if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoRefused('too_large', `${field} is ${bytes.length} bytes; the limit is ${MAX_PHOTO_BYTES}`, field);
  // sharp throws synchronously on an empty buffer, so the constructor runs inside the promise chain.
  const { width, height } = await Promise.resolve()
    .then(() => sharp(bytes).metadata())
    .catch(() => {
      throw notAnImage();
    });
  if (!width || !height) throw notAnImage();
  if (width * height > MAX_PHOTO_PIXELS) {
    throw new PhotoRefused('too_large', `${field} is ${width}x${height} pixels; the limit is ${MAX_PHOTO_PIXELS / 1e6} megapixels`, field);
  }
  try {
    // The same pipeline as models' decodeImage, with the pixel limit enforced by the decoder too.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS }).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    throw notAnImage();
  }
}

/**
 * The decoded photo and its one usable face, or the enrolment refusal (shared by enrol and its
 * preview; callers hold a PHOTO_CHECKS slot around it and what they do with the frame).
 */
export async function enrolmentFace(engine: FaceEngine, bytes: Buffer, field: string): Promise<{ frame: RgbFrame; face: Face }> {
  const frame = await decodePhoto(bytes, field);
  const faces = await engine.analyze(frame);
  if (faces.length === 0) throw new PhotoRefused('no_usable_face', `${field}: no face found`, field);
  if (faces.length > 1) throw new PhotoRefused('no_usable_face', `${field}: ${faces.length} faces found; use a photo of one person`, field);
  const face = faces[0]!;
  if (face.score < 0.9) throw new PhotoRefused('no_usable_face', `${field}: the face is not clear enough (score ${face.score.toFixed(2)} < 0.90)`, field);
  const size = Math.max(face.box.x2 - face.box.x1, face.box.y2 - face.box.y1);
  if (!face.aligned || size < MIN_FACE_PX) throw new PhotoRefused('no_usable_face', `${field}: the face is ${Math.round(size)} px; at least ${MIN_FACE_PX} px is needed`, field);
  return { frame, face };
}
