/** Boxes and points as the evaluation scores them: boxes in the ground truth's pixels, points normalised 0..1. */
import { pointInPolygon } from '../../gateway/zones';

/** [x1, y1, x2, y2] in the ground truth video's pixels. */
export type Box = readonly [number, number, number, number];
export type Point = readonly [number, number];

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

export const boxHeight = (b: Box): number => b[3] - b[1];

/** Where a person stands: the bottom centre of the box, normalised (as gateway/zones footPoint). */
export function footOf(b: Box, width: number, height: number): Point {
  return [(b[0] + b[2]) / 2 / width, b[3] / height];
}

export function inPolygon(p: Point, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  return pointInPolygon(p[0], p[1], polygon as Array<[number, number]>);
}

/** A box from the detector's frame (fromW x fromH) in the ground truth's pixels (toW x toH), for a camera scaled without letterbox. */
export function scaleBox(b: { x1: number; y1: number; x2: number; y2: number }, from: { width: number; height: number }, to: { width: number; height: number }): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return [b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy];
}
