/** A 2D affine as [a, b, c, d, e, f]: x' = a x + b y + c, y' = d x + e y + f. */
export type Affine = [number, number, number, number, number, number];

/** The ArcFace 112x112 template: left eye, right eye, nose tip, left and right mouth corners. */
export const ARCFACE_TEMPLATE: readonly number[] = [
  38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041,
];

/**
 * Least-squares similarity transform (rotation, uniform scale, translation; Umeyama's closed form
 * in 2D) mapping points `from` onto points `to`, both flat [x0, y0, x1, y1, ...].
 */
export function estimateSimilarity(from: ArrayLike<number>, to: ArrayLike<number>): Affine {
  const n = from.length / 2;
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[2 * i]!; fy += from[2 * i + 1]!;
    tx += to[2 * i]!; ty += to[2 * i + 1]!;
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  let norm = 0, dot = 0, cross = 0;
  for (let i = 0; i < n; i++) {
    const px = from[2 * i]! - fx, py = from[2 * i + 1]! - fy;
    const qx = to[2 * i]! - tx, qy = to[2 * i + 1]! - ty;
    norm += px * px + py * py;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  if (norm === 0) throw new Error('similarity needs points that are not all identical');
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Cosine similarity of two embeddings (dot product when both are L2-normalised). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`embeddings differ in length: ${a.length} vs ${b.length}`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** L2-normalises in place and returns the array. */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}
