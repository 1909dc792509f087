/** Boxes and points as the evaluation scores them: boxes in the ground truth's pixels, points normalised 0..1. */
import { iou as iouXYXY } from '../../gateway/tracking';
import { footPoint, pointInPolygon } from '../../gateway/zones';

/** [x1, y1, x2, y2] in the ground truth video's pixels. */
export type Box = readonly [number, number, number, number];
export type Point = readonly [number, number];

const xyxy = (b: Box) => ({ x1: b[0], y1: b[1], x2: b[2], y2: b[3] });

/** The gateway's IoU, on the evaluation's box tuples. */
export const iou = (a: Box, b: Box): number => iouXYXY(xyxy(a), xyxy(b));

export const boxHeight = (b: Box): number => b[3] - b[1];

/** Where a person stands: the gateway's foot point (bottom centre of the box, normalised). */
export const footOf = (b: Box, width: number, height: number): Point => footPoint(xyxy(b), width, height);

export function inPolygon(p: Point, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  return pointInPolygon(p[0], p[1], polygon as Array<[number, number]>);
}

/** A box from the detector's frame (fromW x fromH) in the ground truth's pixels (toW x toH), for a camera scaled without letterbox. */
export function scaleBox(b: { x1: number; y1: number; x2: number; y2: number }, from: { width: number; height: number }, to: { width: number; height: number }): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return [b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy];
}
