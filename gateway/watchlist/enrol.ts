import { decodeImage, type Face, type FaceEngine, type RgbFrame } from '../../models';
import { ApiError } from '../api/errors';

/** Photos bigger than this are refused before decoding. */
export const MAX_PHOTO_BYTES = 6 * 2 ** 20;
const MIN_FACE_PX = 40;

/**
 * One embedding per enrolment photo: the photo must be an image with exactly one face large enough
 * to align. Each refusal is a 4xx naming the photo.
 */
export async function embedEnrolmentPhoto(engine: FaceEngine, bytes: Buffer, field: string): Promise<Float32Array> {
  return (await enrolmentFace(engine, bytes, field)).face.embedding;
}

/** The decoded photo and its one usable face, or the enrolment refusal (shared by enrol and its preview). */
export async function enrolmentFace(engine: FaceEngine, bytes: Buffer, field: string): Promise<{ frame: RgbFrame; face: Face }> {
  if (bytes.length > MAX_PHOTO_BYTES) throw new ApiError(413, `${field} is ${bytes.length} bytes; the limit is ${MAX_PHOTO_BYTES}`, field);
  let frame;
  try {
    frame = await decodeImage(bytes);
  } catch {
    throw new ApiError(415, `${field} is not an image sharp can read (JPEG, PNG, WebP, ...)`, field);
  }
  const faces = await engine.analyze(frame);
  if (faces.length === 0) throw new ApiError(422, `${field}: no face found`, field);
  if (faces.length > 1) throw new ApiError(422, `${field}: ${faces.length} faces found; use a photo of one person`, field);
  const face = faces[0]!;
  if (face.score < 0.9) throw new ApiError(422, `${field}: the face is not clear enough (score ${face.score.toFixed(2)} < 0.90)`, field);
  const size = Math.max(face.box.x2 - face.box.x1, face.box.y2 - face.box.y1);
  if (!face.aligned || size < MIN_FACE_PX) throw new ApiError(422, `${field}: the face is ${Math.round(size)} px; at least ${MIN_FACE_PX} px is needed`, field);
  return { frame, face };
}
