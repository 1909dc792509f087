import { iou, type BoxXYXY } from './box';
import { KEEP_ALIVE_SCORE, personScores } from './thresholds';

export interface TrackerDetection {
  box: BoxXYXY;
  score: number;
}

export interface TrackerOptions {
  /** Detections at or above this start tracks and are matched first. */
  highScore: number;
  /** Detections between this and highScore only keep existing tracks alive (ByteTrack's second pass). */
  lowScore: number;
  /** Minimum IoU between a predicted track box and a detection to match them. */
  matchIou: number;
  /** A track unseen for this long ends (covers occlusions of about a second). */
  maxLostMs: number;
  /** Hits before a new track is confirmed (reported). */
  confirmHits: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { highScore: 0.45, lowScore: KEEP_ALIVE_SCORE, matchIou: 0.2, maxLostMs: 1500, confirmHits: 2 };

/** The tracker for `models.personThreshold`: it starts tracks (and counts) at that score, see personScores. */
export function trackerOptionsFor(personThreshold: number): Partial<TrackerOptions> {
  const scores = personScores(personThreshold);
  return { highScore: scores.personThreshold, lowScore: scores.keepAlive };
}

export interface Track {
  id: number;
  box: BoxXYXY;
  score: number;
  confirmed: boolean;
  hits: number;
  firstSeen: number;
  lastSeen: number;
  /** Centre velocity in pixels per ms (constant-velocity motion model). */
  vx: number;
  vy: number;
}

export interface TrackerUpdate {
  /** Confirmed tracks matched in this frame. */
  active: Track[];
  /** Confirmed tracks that ended (unseen for maxLostMs). */
  ended: Track[];
}

const centre = (b: BoxXYXY): [number, number] => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2];

/**
 * ByteTrack-style multi-object tracker: boxes predicted with a constant-velocity model, matched by
 * IoU to high-score detections first and then to low-score ones, so a person who is briefly
 * occluded or scores low keeps the same ID. Time-aware, so a camera's frame rate may vary.
 */
export class Tracker {
  private readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  get size(): number {
    return this.tracks.length;
  }

  update(detections: readonly TrackerDetection[], now: number): TrackerUpdate {
    const o = this.options;
    const predicted = this.tracks.map((t) => this.predict(t, now));
    const high = detections.filter((d) => d.score >= o.highScore);
    const low = detections.filter((d) => d.score >= o.lowScore && d.score < o.highScore);
    const matchedTracks = new Set<number>();
    const first = this.match(predicted, high, matchedTracks);
    const second = this.match(
      predicted.map((p, i) => (this.tracks[i]!.confirmed ? p : undefined)),
      low,
      matchedTracks,
    );
    for (const [ti, d] of [...first.pairs, ...second.pairs]) this.correct(this.tracks[ti]!, d, now);
    for (const d of first.unmatched) {
      this.tracks.push({ id: this.nextId++, box: { ...d.box }, score: d.score, confirmed: o.confirmHits <= 1, hits: 1, firstSeen: now, lastSeen: now, vx: 0, vy: 0 });
    }
    const ended: Track[] = [];
    this.tracks = this.tracks.filter((t, i) => {
      if (i < predicted.length && !matchedTracks.has(i)) {
        if (!t.confirmed) return false;
        if (now - t.lastSeen > o.maxLostMs) {
          ended.push(t);
          return false;
        }
      }
      return true;
    });
    const active = this.tracks.filter((t) => t.confirmed && t.lastSeen === now);
    return { active, ended };
  }

  /** Ends every track (camera stopped). */
  flush(): Track[] {
    const ended = this.tracks.filter((t) => t.confirmed);
    this.tracks = [];
    return ended;
  }

  private predict(t: Track, now: number): BoxXYXY {
    const dt = now - t.lastSeen;
    return { x1: t.box.x1 + t.vx * dt, y1: t.box.y1 + t.vy * dt, x2: t.box.x2 + t.vx * dt, y2: t.box.y2 + t.vy * dt };
  }

  private correct(t: Track, d: TrackerDetection, now: number): void {
    const dt = now - t.lastSeen;
    if (dt > 0) {
      const [cx, cy] = centre(t.box);
      const [nx, ny] = centre(d.box);
      const alpha = t.hits === 1 ? 1 : 0.5;
      t.vx = (1 - alpha) * t.vx + alpha * ((nx - cx) / dt);
      t.vy = (1 - alpha) * t.vy + alpha * ((ny - cy) / dt);
    }
    t.box = { ...d.box };
    t.score = d.score;
    t.hits++;
    t.lastSeen = now;
    if (t.hits >= this.options.confirmHits) t.confirmed = true;
  }

  /** Greedy matching by descending IoU (near-optimal for the few people per camera). */
  private match(
    predicted: ReadonlyArray<BoxXYXY | undefined>,
    detections: readonly TrackerDetection[],
    matchedTracks: Set<number>,
  ): { pairs: Array<[number, TrackerDetection]>; unmatched: TrackerDetection[] } {
    const candidates: Array<[number, number, number]> = [];
    predicted.forEach((p, ti) => {
      if (!p || matchedTracks.has(ti)) return;
      detections.forEach((d, di) => {
        const v = iou(p, d.box);
        if (v >= this.options.matchIou) candidates.push([v, ti, di]);
      });
    });
    candidates.sort((a, b) => b[0] - a[0]);
    const usedDetections = new Set<number>();
    const pairs: Array<[number, TrackerDetection]> = [];
    for (const [, ti, di] of candidates) {
      if (matchedTracks.has(ti) || usedDetections.has(di)) continue;
      matchedTracks.add(ti);
      usedDetections.add(di);
      pairs.push([ti, detections[di]!]);
    }
    return { pairs, unmatched: detections.filter((_, di) => !usedDetections.has(di)) };
  }
}
