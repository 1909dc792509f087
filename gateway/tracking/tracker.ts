import { APPEARANCE_BINS, appearanceDistance, assertFrame, blendAppearance, sampleAppearance, type RgbFrameView } from './appearance';
import { assign, assignWithUnpairedCost } from './assignment';
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
  /** A predicted box overlapping a detection by at least this IoU may match it whatever the centre distance. */
  matchIou: number;
  /** A track unseen for this long ends; until then it is lost (not reported) and may be found again. */
  maxLostMs: number;
  /**
   * A track lost while standing (moving slower than stillSpeed box heights per second) is kept this
   * long instead: a person who stops behind a sign or a pillar stays there, often for longer than
   * someone walking takes to pass behind it, and comes out where they went in.
   */
  stillLostMs: number;
  stillSpeed: number;
  /** Hits before a new track is confirmed (reported). */
  confirmHits: number;
  /** Centre distance gate, in box heights, for a track seen in the previous frame. */
  gate: number;
  /** How much the gate grows per second a track is lost (box heights per second), up to maxGate. */
  gateGrowthPerSecond: number;
  maxGate: number;
  /** Time constant of the velocity's decay while a track is lost (a walker slows, stops or turns). */
  dampingMs: number;
  /** Weight of the appearance distance (0..1) in the matching cost; motion counts 0..1. */
  appearanceWeight: number;
  /** A lost track is not found again by a detection that looks more different than this (0..1). */
  maxAppearanceDistance: number;
  /** A track seen in the previous frame does not take a detection that looks more different than this (0..1). */
  maxAppearanceChange: number;
  /**
   * Low-score detections keep a track only within this long of its last high-score one: a person
   * scores low for a while when half hidden, while a box that only ever scores low (a post a track
   * slid onto) must not keep a track for ever.
   */
  lowScoreMaxLostMs: number;
  /**
   * A lost track is found again only by a detection that costs at most this (motion 0..1 + appearance,
   * plus the low-score penalty): one that is far, looks different and scores low is someone else.
   */
  maxRefindCost: number;
  /**
   * What leaving a track or a detection unmatched costs in the assignment (each): a pair costing
   * more than twice this is never made, and no track is forced onto a box that fits it badly so that
   * one more pair is made (which swaps the ids of two people who fit their own boxes well).
   * null: the most pairs win (SORT's gating).
   */
  unmatchedCost: number | null;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  highScore: 0.45,
  lowScore: KEEP_ALIVE_SCORE,
  matchIou: 0.2,
  maxLostMs: 4000,
  stillLostMs: 12000,
  stillSpeed: 0.25,
  confirmHits: 2,
  gate: 0.6,
  gateGrowthPerSecond: 0.6,
  maxGate: 2,
  dampingMs: 1500,
  appearanceWeight: 1,
  maxAppearanceDistance: 0.45,
  maxAppearanceChange: 0.45,
  lowScoreMaxLostMs: 2000,
  maxRefindCost: 1.3,
  unmatchedCost: 0.65,
};

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
  /** Centre velocity in pixels per ms (constant-velocity motion model, damped while lost). */
  vx: number;
  vy: number;
}

export interface TrackerUpdate {
  /** Confirmed tracks matched in this frame. */
  active: Track[];
  /** Confirmed tracks that ended (unseen for maxLostMs); lastSeen is when they were last matched. */
  ended: Track[];
}

/** A track and what only the tracker needs of it. */
interface Tracked {
  track: Track;
  /** Smoothed appearance histogram, null until a frame gave one. */
  appearance: Float32Array | null;
  /** Frames since it was last matched. */
  missed: number;
  /** When a high-score detection last matched it. */
  lastConfident: number;
}

/** One detection of this frame, with its appearance when the frame was given. */
interface Candidate {
  det: TrackerDetection;
  appearance: Float32Array | null;
  /** Overlaps another detection: its colours are partly someone else's, so they do not teach the track. */
  crowded: boolean;
}

const centre = (b: BoxXYXY): [number, number] => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2];
const height = (b: BoxXYXY): number => Math.max(1, b.y2 - b.y1);
/** Distance from point p to the segment a–b. */
function segmentDistance([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const [ux, uy] = [bx - ax, by - ay];
  const length2 = ux * ux + uy * uy;
  const t = length2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * ux + (py - ay) * uy) / length2)) : 0;
  return Math.hypot(px - (ax + t * ux), py - (ay + t * uy));
}
/**
 * A box wider than tall is not a person standing or walking: it starts no track (it may still keep
 * one: a person who bends down or falls). The detector's steady false positives on squat objects
 * (a rock on the grass scoring 0.35-0.45 for the whole of vtest.avi) are such boxes; people's boxes
 * there are 0.25-0.6 times as wide as tall.
 */
const upright = (b: BoxXYXY): boolean => b.x2 - b.x1 <= b.y2 - b.y1;
/** Which tracks a matching pass may pair: confirmed ones (seen or lost) first, new ones after. */
const CONFIRMED = (t: Tracked): boolean => t.track.confirmed;
const TENTATIVE = (t: Tracked): boolean => !t.track.confirmed;
/** Boxes whose heights differ by more than this factor are not the same person (a part of them at most). */
const MAX_HEIGHT_RATIO = 1.6;
/** Added to a low-score detection's cost where maxRefindCost judges it: a dim box re-finds a lost track only when it fits well. */
const LOW_SCORE_PENALTY = 0.3;
/** Weight of a new observation in a track's smoothed appearance. */
const APPEARANCE_ALPHA = 0.25;
/** IoU with another detection above which a detection's appearance is not learned. */
const CROWDED_IOU = 0.25;

/**
 * Multi-object tracker for people at a few frames per second: ByteTrack's score classes (high-score
 * detections start tracks, low-score ones only keep them), a cost combining centre distance
 * (in box heights, with a gate that widens the longer a track is lost), IoU and an appearance cue
 * (colour histograms of torso and legs, when update() gets the frame), solved by minimum-cost
 * assignment (leaving a track or a box unpaired has a cost, so no pair is forced). A track that is
 * not matched is lost for up to maxLostMs (stillLostMs when it was standing): it moves on with a
 * damped velocity and keeps its id when found again (behind a pole, in a crowd). Time-aware, so a
 * camera's frame rate may vary.
 */
export class Tracker {
  private readonly options: TrackerOptions;
  private tracked: Tracked[] = [];
  private nextId = 1;
  /** No frame seen yet: the people in the first frame were there before the camera, see start(). */
  private firstFrame = true;
  /** Reused histogram storage for the detections of one frame. */
  private scratch = new Float32Array(16 * APPEARANCE_BINS);

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  /** Tracks held: confirmed (seen or lost) and new ones awaiting confirmation. */
  get size(): number {
    return this.tracked.length;
  }

  /**
   * One frame's detections at time `now` (ms). `frame`, the RGB24 image the boxes were detected on,
   * adds the appearance cue; without it the tracker matches by motion alone.
   */
  update(detections: readonly TrackerDetection[], now: number, frame?: RgbFrameView): TrackerUpdate {
    const o = this.options;
    if (frame) assertFrame(frame);
    const candidates = this.candidates(detections.filter((d) => d.score >= o.lowScore), frame);
    const matched = new Set<Tracked>();
    const high = candidates.filter((c) => c.det.score >= o.highScore);
    let unmatched: Candidate[];
    if (frame) {
      // With the appearance cue, one assignment of the confirmed tracks over high and low scores: a
      // track takes its own dim box (a person half hidden by someone crossing) rather than the
      // bright box of the person in front of them.
      unmatched = this.match(candidates, now, matched, CONFIRMED).filter((c) => c.det.score >= o.highScore);
    } else {
      // By motion alone ByteTrack's order is safer: high-score boxes first, then low-score ones.
      unmatched = this.match(high, now, matched, CONFIRMED);
      this.match(candidates.filter((c) => c.det.score < o.highScore), now, matched, CONFIRMED);
    }
    // New tracks awaiting confirmation take only the high-score boxes left (ByteTrack's order): a
    // box the detector gave a person twice for a frame must not take that person's id.
    unmatched = this.match(unmatched, now, matched, TENTATIVE);
    const ended: Track[] = [];
    this.tracked = this.tracked.filter((t) => {
      if (matched.has(t)) return true;
      t.missed++;
      if (!t.track.confirmed) return false;
      if (now - t.track.lastSeen > this.memoryMs(t.track)) {
        ended.push(t.track);
        return false;
      }
      return true;
    });
    for (const c of unmatched) if (upright(c.det.box)) this.tracked.push(this.start(c, now));
    this.firstFrame = false;
    const active = this.tracked.filter((t) => t.track.confirmed && t.track.lastSeen === now).map((t) => t.track);
    return { active, ended };
  }

  /** Ends every track (camera stopped). */
  flush(): Track[] {
    const ended = this.tracked.filter((t) => t.track.confirmed).map((t) => t.track);
    this.tracked = [];
    return ended;
  }

  private candidates(detections: readonly TrackerDetection[], frame: RgbFrameView | undefined): Candidate[] {
    if (frame && this.scratch.length < detections.length * APPEARANCE_BINS) this.scratch = new Float32Array(detections.length * 2 * APPEARANCE_BINS);
    return detections.map((det, i) => {
      let appearance: Float32Array | null = null;
      if (frame) {
        const slot = this.scratch.subarray(i * APPEARANCE_BINS, (i + 1) * APPEARANCE_BINS);
        if (sampleAppearance(frame, det.box, slot)) appearance = slot;
      }
      const crowded = detections.some((other, j) => j !== i && iou(other.box, det.box) > CROWDED_IOU);
      return { det, appearance, crowded };
    });
  }

  /**
   * Matches the tracks not yet matched (of those `which` admits) to `candidates` at least total cost, applies the pairs and
   * returns the candidates left. A low-score detection only keeps a confirmed track alive, within
   * lowScoreMaxLostMs of its last high-score one; it never starts a track.
   */
  private match(candidates: readonly Candidate[], now: number, matched: Set<Tracked>, which: (t: Tracked) => boolean): Candidate[] {
    const o = this.options;
    const cost = this.tracked.map((t) => {
      const open = !matched.has(t) && which(t);
      const keptByLow = t.track.confirmed && now - t.lastConfident <= o.lowScoreMaxLostMs;
      const predicted = open ? this.predict(t.track, now) : t.track.box;
      return candidates.map((c) => {
        const low = c.det.score < o.highScore;
        if (!open || (low && !keptByLow)) return Infinity;
        const cost = this.cost(t, predicted, c, now) + (low ? LOW_SCORE_PENALTY : 0);
        return t.missed > 0 && cost > o.maxRefindCost ? Infinity : cost;
      });
    });
    const taken = new Set<number>();
    const pairs = o.unmatchedCost === null ? assign(cost, candidates.length) : assignWithUnpairedCost(cost, candidates.length, o.unmatchedCost);
    for (const [ti, ci] of pairs) {
      this.correct(this.tracked[ti]!, candidates[ci]!, now);
      matched.add(this.tracked[ti]!);
      taken.add(ci);
    }
    return candidates.filter((_, ci) => !taken.has(ci));
  }

  /** How long a lost track is kept: longer for a person who was standing when lost. */
  private memoryMs(t: Track): number {
    const speed = (Math.hypot(t.vx, t.vy) * 1000) / height(t.box);
    return speed < this.options.stillSpeed ? Math.max(this.options.maxLostMs, this.options.stillLostMs) : this.options.maxLostMs;
  }

  /** Where the track should be now: its last box moved by its velocity, which decays while it is lost. */
  private predict(t: Track, now: number): BoxXYXY {
    const dt = Math.max(0, now - t.lastSeen);
    const reach = this.options.dampingMs * (1 - Math.exp(-dt / this.options.dampingMs));
    const dx = t.vx * reach;
    const dy = t.vy * reach;
    return { x1: t.box.x1 + dx, y1: t.box.y1 + dy, x2: t.box.x2 + dx, y2: t.box.y2 + dy };
  }

  /** The cost of explaining candidate `c` by track `t`, Infinity when they cannot be the same person. */
  private cost(t: Tracked, predicted: BoxXYXY, c: Candidate, now: number): number {
    const o = this.options;
    const overlap = iou(predicted, c.det.box);
    const hp = height(predicted);
    const hd = height(c.det.box);
    // A lost person may have walked on or stopped (behind a pole): the distance counts from the
    // nearest point between where they were last seen and where the motion model puts them.
    const distance = segmentDistance(centre(c.det.box), centre(t.track.box), centre(predicted)) / ((hp + hd) / 2);
    const lostSeconds = Math.max(0, now - t.track.lastSeen) / 1000;
    const gate = Math.min(o.maxGate, o.gate + o.gateGrowthPerSecond * lostSeconds);
    if (Math.max(hp / hd, hd / hp) > MAX_HEIGHT_RATIO) return Infinity;
    if (distance > gate && overlap < o.matchIou) return Infinity;
    let appearance = 0;
    if (t.appearance && c.appearance) {
      appearance = appearanceDistance(t.appearance, c.appearance);
      if (appearance > (t.missed > 0 ? o.maxAppearanceDistance : o.maxAppearanceChange)) return Infinity;
    }
    const motion = Math.min(1, distance / gate);
    return 0.5 * motion + 0.5 * (1 - overlap) + o.appearanceWeight * appearance;
  }

  private start(c: Candidate, now: number): Tracked {
    const o = this.options;
    // As ByteTrack does, a track started on the first frame is confirmed at once: there is no earlier
    // frame that could have confirmed the people already in view when the camera starts.
    const track: Track = { id: this.nextId++, box: { ...c.det.box }, score: c.det.score, confirmed: o.confirmHits <= 1 || this.firstFrame, hits: 1, firstSeen: now, lastSeen: now, vx: 0, vy: 0 };
    return { track, appearance: c.appearance ? Float32Array.from(c.appearance) : null, missed: 0, lastConfident: now };
  }

  private correct(t: Tracked, c: Candidate, now: number): void {
    const track = t.track;
    const dt = now - track.lastSeen;
    if (dt > 0) {
      const [cx, cy] = centre(track.box);
      const [nx, ny] = centre(c.det.box);
      const alpha = track.hits === 1 ? 1 : 0.5;
      track.vx = (1 - alpha) * track.vx + alpha * ((nx - cx) / dt);
      track.vy = (1 - alpha) * track.vy + alpha * ((ny - cy) / dt);
    }
    if (c.appearance && !c.crowded) {
      if (t.appearance) blendAppearance(t.appearance, c.appearance, APPEARANCE_ALPHA);
      else t.appearance = Float32Array.from(c.appearance);
    }
    track.box = { ...c.det.box };
    track.score = c.det.score;
    track.hits++;
    track.lastSeen = now;
    t.missed = 0;
    if (c.det.score >= this.options.highScore) t.lastConfident = now;
    if (track.hits >= this.options.confirmHits) track.confirmed = true;
  }
}
