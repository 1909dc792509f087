/**
 * Line crossings (zone type `line`, common design item 3): a foot point moving across segment AB
 * counts "in" when its side change agrees in sign with the line normal's dot product with the
 * in-direction (right = +x, down = +y on screen), "out" the other way. Implemented here from the
 * definition, independently of the rule engine, so the evaluation checks it rather than repeats it.
 */
import { footOf, type Point } from './geometry';
import type { GroundTruth } from './groundtruth';

export type InDirection = 'right' | 'left' | 'up' | 'down';

export interface LineZone {
  id: string;
  points: readonly [Point, Point];
  inDirection: InDirection;
}

const DIRECTIONS: Record<InDirection, Point> = { right: [1, 0], left: [-1, 0], up: [0, -1], down: [0, 1] };

/** z of (u x v): which side of u the vector v points to. */
const cross = (u: Point, v: Point): number => u[0] * v[1] - u[1] * v[0];

/** The crossing of the move p -> q over segment ab, if any: 'in' or 'out' per the in-direction. */
export function crossingOf(line: LineZone, p: Point, q: Point): 'in' | 'out' | undefined {
  const [a, b] = line.points;
  const ab: Point = [b[0] - a[0], b[1] - a[1]];
  const sp = cross(ab, [p[0] - a[0], p[1] - a[1]]);
  const sq = cross(ab, [q[0] - a[0], q[1] - a[1]]);
  if (sp * sq >= 0) return undefined; // same side (or touching): no crossing
  const f = sp / (sp - sq);
  const x: Point = [p[0] + f * (q[0] - p[0]), p[1] + f * (q[1] - p[1])];
  const t = ((x[0] - a[0]) * ab[0] + (x[1] - a[1]) * ab[1]) / (ab[0] ** 2 + ab[1] ** 2);
  if (t < 0 || t > 1) return undefined; // passes beside the segment
  const normalDotIn = cross(ab, DIRECTIONS[line.inDirection]);
  if (normalDotIn === 0) return undefined;
  return Math.sign(sq - sp) === Math.sign(normalDotIn) ? 'in' : 'out';
}

export interface TrueCrossing {
  id: string;
  /** The labelled frame the person was first seen past the line. */
  frame: number;
  direction: 'in' | 'out';
}

/** Each identity's foot point between consecutive labelled appearances (people marked ignore too). */
export function trueCrossings(gt: GroundTruth, line: LineZone): TrueCrossing[] {
  const lastSeen = new Map<string, Point>();
  const out: TrueCrossing[] = [];
  for (const f of gt.frames) {
    for (const person of f.people) {
      const q = footOf(person.box, gt.video.width, gt.video.height);
      const p = lastSeen.get(person.id);
      lastSeen.set(person.id, q);
      if (!p) continue;
      const direction = crossingOf(line, p, q);
      if (direction) out.push({ id: person.id, frame: f.frame, direction });
    }
  }
  return out;
}
