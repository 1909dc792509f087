import type { Box } from '../detector';

/** An integer pixel region inside a frame. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A square of side `scale` x the box's longer side, centred on the box, clipped to the frame
 * (so it may come out non-square at the frame's edges).
 */
export function squareRegion(box: Box, scale: number, frameWidth: number, frameHeight: number): Region {
  const side = Math.max(box.x2 - box.x1, box.y2 - box.y1) * scale;
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  const left = Math.max(0, Math.floor(cx - side / 2));
  const top = Math.max(0, Math.floor(cy - side / 2));
  const right = Math.min(frameWidth, Math.ceil(cx + side / 2));
  const bottom = Math.min(frameHeight, Math.ceil(cy + side / 2));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** 68-point indices (iBUG layout) averaged into the five ArcFace keypoints. */
const FIVE_POINT_SOURCES: readonly (readonly number[])[] = [
  [37, 38, 40, 41], // left eye (image left)
  [43, 44, 46, 47], // right eye
  [30], // nose tip
  [48, 60], // left mouth corner
  [54, 64], // right mouth corner
];

/** Eyes, nose tip and mouth corners [x0, y0, ...] from 68 landmarks [x0, y0, ...]. */
export function fivePointsFrom68(landmarks: ArrayLike<number>): Float32Array {
  const out = new Float32Array(10);
  FIVE_POINT_SOURCES.forEach((indices, k) => {
    let x = 0;
    let y = 0;
    for (const i of indices) {
      x += landmarks[2 * i]!;
      y += landmarks[2 * i + 1]!;
    }
    out[2 * k] = x / indices.length;
    out[2 * k + 1] = y / indices.length;
  });
  return out;
}

/**
 * How frontal a face looks, 0..1, from the nose tip's horizontal position between the eyes
 * (1 when centred, falling to 0 as the head turns to a profile).
 */
export function frontality(points: Float32Array): number {
  const [lx, , rx, , nx] = points as unknown as number[];
  const span = rx! - lx!;
  if (span <= 0) return 0;
  const t = (nx! - lx!) / span;
  return Math.max(0, 1 - Math.abs(t - 0.5) * 2);
}
