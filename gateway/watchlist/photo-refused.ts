/** Why a photo cannot be used: too large, not an image, no usable face, or the checks are busy. */
export type PhotoRefusalKind = 'too_large' | 'not_an_image' | 'no_usable_face' | 'busy';

/** A photo the watchlist refuses, naming the field it came in (photo[i]); the API maps the kind to an HTTP status. */
export class PhotoRefused extends Error {
  constructor(
    readonly kind: PhotoRefusalKind,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PhotoRefused';
  }
}
