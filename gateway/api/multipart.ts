import type { Context } from 'hono';
import { ApiError } from './errors';

export const MAX_PHOTOS = 5;

type Form = Record<string, string | File | Array<string | File>>;

/** The multipart body of an upload, or a 415/400 that says what to send. */
export async function multipartForm(c: Context, expected: string): Promise<Form> {
  if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    throw new ApiError(415, `send multipart/form-data with ${expected}`, 'content-type');
  }
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    throw new ApiError(400, 'body is not valid multipart/form-data', 'body');
  }
}

/** The files of the form's `photo` field: 1 to MAX_PHOTOS of them. */
export function photoFiles(form: Form): File[] {
  const photo = form.photo;
  const photos = (Array.isArray(photo) ? photo : photo ? [photo] : []).filter((p): p is File => typeof p !== 'string');
  if (photos.length === 0) throw new ApiError(400, 'at least one photo file is needed', 'photo');
  if (photos.length > MAX_PHOTOS) throw new ApiError(400, `at most ${MAX_PHOTOS} photos`, 'photo');
  return photos;
}
