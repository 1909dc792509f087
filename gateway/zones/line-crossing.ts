import { DIRECTIONS } from '../config/schema';

type Point = readonly [number, number];
export type InDirection = keyof typeof DIRECTIONS;

/** Feet closer to the line than this (normalised) are on it, on neither side. */
export const ON_LINE_MARGIN = 0.005;

export interface Crossing {
  trackId: number;
  direction: 'in' | 'out';
  at: number;
}

interface Run {
  side: 1 | -1;
  since: number;
  first: Point;
}

interface TrackSide {
  /** The side the person is on: the first side seen, or the latest one held for the side delay. */
  side: 1 | -1;
  /** The latest foot point seen on `side`. */
  anchor: Point;
  /** The latest run of sightings on one side (frames unseen or on the line do not break it). */
  run: Run;
}

/**
 * Counts people crossing a line segment AB per track, on the foot point, with side inertia: a
 * person is on a side after `sideAfterMs` there, so feet jittering on the line cross nothing. A
 * crossing counts when the side changes and the path from the last point on the old side to the
 * first on the new one passes through the segment (not around its ends); a track that ends on the
 * other side before the delay still counts once. In = moving across in `inDirection` on screen.
 */
export class LineCrossings {
  private readonly tracks = new Map<number, TrackSide>();
  private readonly a: Point;
  private readonly b: Point;
  /** Unit normal of AB: a point's side is the sign of its dot product with (p - A). */
  private readonly normal: Point;
  private readonly inSide: 1 | -1;

  constructor(
    points: ReadonlyArray<Point>,
    inDirection: InDirection,
    private readonly sideAfterMs: number,
  ) {
    this.a = points[0]!;
    this.b = points[1]!;
    const [dx, dy] = [this.b[0] - this.a[0], this.b[1] - this.a[1]];
    const length = Math.hypot(dx, dy);
    this.normal = [-dy / length, dx / length];
    const [vx, vy] = DIRECTIONS[inDirection];
    this.inSide = this.normal[0] * vx + this.normal[1] * vy > 0 ? 1 : -1;
  }

  /** One frame: the foot points of the tracks seen now, and the ids of tracks that ended now. */
  step(feet: ReadonlyArray<{ id: number; foot: Point }>, ended: Iterable<number>, now: number): Crossing[] {
    const crossings: Crossing[] = [];
    for (const { id, foot } of feet) {
      const distance = this.distance(foot);
      if (Math.abs(distance) < ON_LINE_MARGIN) continue;
      const side = distance > 0 ? 1 : -1;
      const t = this.tracks.get(id);
      if (!t) {
        this.tracks.set(id, { side, anchor: foot, run: { side, since: now, first: foot } });
        continue;
      }
      if (t.run.side !== side) t.run = { side, since: now, first: foot };
      if (side === t.side) {
        t.anchor = foot;
      } else if (now - t.run.since >= this.sideAfterMs) {
        const crossing = this.crossing(id, t, now);
        if (crossing) crossings.push(crossing);
        t.side = side;
        t.anchor = foot;
      }
    }
    for (const id of ended) {
      const t = this.tracks.get(id);
      if (!t) continue;
      this.tracks.delete(id);
      // Ended on the other side before the side delay (e.g. walked out of view just after crossing).
      const crossing = t.run.side !== t.side ? this.crossing(id, t, now) : undefined;
      if (crossing) crossings.push(crossing);
    }
    return crossings;
  }

  /** Tracks with a side on record (bounded: a track's entry goes when it ends). */
  get size(): number {
    return this.tracks.size;
  }

  clear(): void {
    this.tracks.clear();
  }

  private distance(p: Point): number {
    return this.normal[0] * (p[0] - this.a[0]) + this.normal[1] * (p[1] - this.a[1]);
  }

  /** The crossing from t.side to t.run.side, when the path between them passes through AB. */
  private crossing(trackId: number, t: TrackSide, now: number): Crossing | undefined {
    const p = t.anchor;
    const q = t.run.first;
    const dp = this.distance(p);
    const dq = this.distance(q);
    const k = dp / (dp - dq);
    const x = [p[0] + (q[0] - p[0]) * k, p[1] + (q[1] - p[1]) * k];
    const [dx, dy] = [this.b[0] - this.a[0], this.b[1] - this.a[1]];
    const along = ((x[0]! - this.a[0]) * dx + (x[1]! - this.a[1]) * dy) / (dx * dx + dy * dy);
    if (along < 0 || along > 1) return undefined;
    return { trackId, direction: t.run.side === this.inSide ? 'in' : 'out', at: now };
  }
}
