import type { BoxXYXY } from './box';

/** An RGB24 frame in the detector's coordinates (the boxes' coordinates). */
export interface RgbFrameView {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * A cheap appearance cue: colour histograms of a person's upper and lower body (torso and legs),
 * each over a sparse grid inside the box's central part, so the background at the box's sides and
 * the head count little. Colours go into coarse hue/brightness bins: grey levels for dark or
 * unsaturated pixels (most clothes), hue × brightness for coloured ones.
 */
const GREY_BINS = 4;
const HUE_BINS = 8;
const VALUE_LEVELS = 2;
const PART_BINS = GREY_BINS + HUE_BINS * VALUE_LEVELS;
/** Histogram length: two body parts. */
export const APPEARANCE_BINS = 2 * PART_BINS;
const GRID_COLUMNS = 8;
const GRID_ROWS = 12;
/** The sampled part of the box, as fractions of its width and height (per body part for y). */
const X_FROM = 0.25;
const X_TO = 0.75;
const PARTS: ReadonlyArray<readonly [number, number]> = [
  [0.15, 0.5],
  [0.5, 0.88],
];
/** Boxes smaller than this (pixels, either side) give no histogram: too few distinct pixels. */
const MIN_SIDE = 6;

export function assertFrame(frame: RgbFrameView): void {
  const expected = frame.width * frame.height * 3;
  if (!Number.isInteger(frame.width) || !Number.isInteger(frame.height) || frame.width <= 0 || frame.height <= 0 || frame.data.length < expected) {
    throw new RangeError(`tracker frame: expected RGB24 data of width*height*3 = ${expected} bytes for ${frame.width}x${frame.height}, got ${frame.data.length}`);
  }
}

function bin(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  if (max < 40 || chroma < 0.2 * max || chroma < 20) return Math.min(GREY_BINS - 1, max >> 6);
  let hue: number;
  if (max === r) hue = ((g - b) / chroma + 6) % 6;
  else if (max === g) hue = (b - r) / chroma + 2;
  else hue = (r - g) / chroma + 4;
  const h = Math.min(HUE_BINS - 1, Math.floor((hue / 6) * HUE_BINS));
  return GREY_BINS + h * VALUE_LEVELS + (max >= 150 ? 1 : 0);
}

/**
 * Writes the box's normalised histogram (each part sums to 1) into `out` (APPEARANCE_BINS long) and
 * returns true, or returns false when the box is too small or outside the frame.
 */
export function sampleAppearance(frame: RgbFrameView, box: BoxXYXY, out: Float32Array): boolean {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  if (w < MIN_SIDE || h < MIN_SIDE) return false;
  out.fill(0);
  const { data, width, height } = frame;
  for (let part = 0; part < PARTS.length; part++) {
    const [top, bottom] = PARTS[part]!;
    const offset = part * PART_BINS;
    let n = 0;
    for (let row = 0; row < GRID_ROWS; row++) {
      const y = Math.floor(box.y1 + h * (top + ((bottom - top) * (row + 0.5)) / GRID_ROWS));
      if (y < 0 || y >= height) continue;
      for (let col = 0; col < GRID_COLUMNS; col++) {
        const x = Math.floor(box.x1 + w * (X_FROM + ((X_TO - X_FROM) * (col + 0.5)) / GRID_COLUMNS));
        if (x < 0 || x >= width) continue;
        const i = (y * width + x) * 3;
        out[offset + bin(data[i]!, data[i + 1]!, data[i + 2]!)]! += 1;
        n++;
      }
    }
    if (n === 0) return false;
    for (let k = 0; k < PART_BINS; k++) out[offset + k]! /= n;
  }
  return true;
}

/** Hellinger distance between two histograms, averaged over the parts: 0 same colours, 1 disjoint. */
export function appearanceDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let part = 0; part < 2; part++) {
    let bc = 0;
    for (let k = part * PART_BINS; k < (part + 1) * PART_BINS; k++) bc += Math.sqrt(a[k]! * b[k]!);
    sum += Math.sqrt(Math.max(0, 1 - bc));
  }
  return sum / 2;
}

/** Moves a track's histogram towards a new observation (exponential smoothing, weight `alpha`). */
export function blendAppearance(into: Float32Array, from: Float32Array, alpha: number): void {
  for (let k = 0; k < into.length; k++) into[k] = (1 - alpha) * into[k]! + alpha * from[k]!;
}
