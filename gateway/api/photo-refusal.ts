import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { PhotoRefusalKind, PhotoRefused } from '../watchlist';
import { ApiError } from './errors';

/** The HTTP status of each reason the watchlist refuses a photo. */
const STATUS: Record<PhotoRefusalKind, ContentfulStatusCode> = {
  too_large: 413,
  not_an_image: 415,
  no_usable_face: 422,
  busy: 503,
};

export const photoRefusalStatus = (kind: PhotoRefusalKind): ContentfulStatusCode => STATUS[kind];

/** A refused photo as the API answers it: the status of its kind, its message and field. */
export const photoRefusalError = (err: PhotoRefused): ApiError => new ApiError(STATUS[err.kind], err.message, err.field);
